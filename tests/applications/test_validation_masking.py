"""Applicant input rules (shared by the form, the API and the desk) and masking of personal data."""
import pytest

from cms.applications.masking import mask_email, mask_id, mask_name, mask_phone
from cms.applications.validation import clean_application, normalize_contact, resident_id_error
from cms.errors import ValidationError
from tests.applications.helpers import RESIDENT_ID, payload


def test_resident_id_checksum():
    assert resident_id_error(RESIDENT_ID) is None
    assert resident_id_error("620202199003071235") is None
    assert "校验位" in resident_id_error("620202199003071234")
    assert "出生日期" in resident_id_error("620202199002301236")
    assert "18位" in resident_id_error("62020219900307123")
    assert "18位" in resident_id_error("62020219900307123Y")


def test_lower_case_x_is_accepted():
    assert clean_application(payload(id_number=RESIDENT_ID.lower()))["id_number"] == RESIDENT_ID


@pytest.mark.parametrize("overrides,field", [
    ({"id_number": "110105194912310021"}, "id_number"),
    ({"applicant_type": "alien"}, "applicant_type"),
    ({"applicant_type": ["person"]}, "applicant_type"),
    ({"applicant_name": "  "}, "applicant_name"),
    ({"applicant_name": 42}, "applicant_name"),
    ({"description": ""}, "description"),
    ({"description": "长" * 5001}, "description"),
    ({"phone": "12345"}, "phone"),
    ({"email": "not-an-email"}, "email"),
    ({"phone": None, "email": None, "delivery": "pickup"}, "phone"),
    ({"email": None, "delivery": "email"}, "email"),
    ({"delivery": "paper"}, "address"),
    ({"delivery": "pigeon"}, "delivery"),
    ({"id_type": "credit_code"}, "id_type"),
    ({"applicant_type": "enterprise", "id_type": "credit_code", "id_number": "abc", "contact_person": "李"}, "id_number"),
])
def test_bad_input_names_the_field(overrides, field):
    with pytest.raises(ValidationError) as info:
        clean_application(payload(**overrides))
    assert field in info.value.fields
    assert info.value.status == 422


def test_organization_applicant_and_minimal_storage():
    values = clean_application(payload(applicant_type="research", applicant_name="甘肃文化研究院", id_type="credit_code",
                                       id_number="12620200438000000A", contact_person="赵研究员",
                                       address="嘉峪关市新华路1号", delivery="email", phone="0937-6212345"))
    assert values["phone"] == "09376212345"
    assert values["address"] is None  # only kept when the reply goes by post
    paper = clean_application(payload(delivery="paper", address="嘉峪关市新华路1号"))
    assert paper["address"] == "嘉峪关市新华路1号"


def test_defaults_and_aliases_clients_commonly_send():
    values = clean_application({"applicant_type": "person", "name": "李四", "id_number": RESIDENT_ID,
                                "phone": "13912345678", "delivery": "collect", "description": "查询"})
    assert values["applicant_name"] == "李四" and values["id_type"] == "resident_id" and values["delivery"] == "pickup"
    company = clean_application({"applicant_type": "enterprise", "applicant_name": "某公司",
                                 "id_number": "91620200MA71234567", "email": "a@b.cn", "delivery": "e-mail",
                                 "description": "查询"})
    assert company["id_type"] == "credit_code" and company["delivery"] == "email"
    with pytest.raises(ValidationError) as info:
        clean_application({"applicant_type": "person", "name": "李四", "id_number": "123456789012345678",
                           "phone": "13912345678", "delivery": "pickup", "description": "查询"})
    assert info.value.fields == {"id_number": "invalid"}


def test_control_characters_are_removed():
    assert clean_application(payload(description="查询\x00文件\x1b"))["description"] == "查询文件"


def test_contacts_compare_normalized():
    assert normalize_contact("+86 139-1234-5678") == normalize_contact("13912345678")
    assert normalize_contact(" Wang@Example.CN ") == "wang@example.cn"


def test_masks_keep_nothing_identifying():
    assert mask_name("王小明") == "王*明"
    assert mask_name("王明") == "王*"
    assert mask_id(RESIDENT_ID) == "11**************2X"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_email("wang@example.cn") == "w***@example.cn"
