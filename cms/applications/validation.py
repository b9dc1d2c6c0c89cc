"""Checks on what applicants type: one set of rules for the public form, the API and the staff entry screen."""
import re
from datetime import date

from cms.applications.types import (
    APPLICANT_TYPES,
    CHANNELS,
    DELIVERY,
    ID_TYPES,
    ORGANIZATION_ID_TYPES,
    PERSON_ID_TYPES,
)
from cms.errors import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(?:\d{1,6})?$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NP-RT-UW-Y]{2}\d{6}[0-9A-HJ-NP-RT-UW-Y]{10}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

LIMITS = {"applicant_name": 200, "contact_person": 100, "id_number": 40, "phone": 30, "email": 200,
          "address": 300, "description": 5000, "document_hint": 500}


def resident_id_error(number):
    """Why ``number`` is not a valid 18-digit resident ID (GB 11643), or None."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "居民身份证号码应为18位（最后一位可以是X）"
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效"
    if birth > date.today() or birth.year < 1900:
        return "居民身份证号码中的出生日期无效"
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != number[17]:
        return "居民身份证号码校验位不正确，请核对"
    return None


def normalize_phone(value):
    return re.sub(r"[\s\-()（）]", "", value or "")


def normalize_contact(value):
    """The form in which a contact is compared: phone digits, or the e-mail in lower case."""
    value = (value or "").strip()
    if "@" in value:
        return value.lower()
    digits = normalize_phone(value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def _text(data, name, errors, required=False):
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = "wrong_type"
        return None
    value = _CONTROL.sub("", value).strip()
    if required and not value:
        errors[name] = "required"
        return None
    if len(value) > LIMITS.get(name, 10_000):
        errors[name] = "too_long"
        return None
    return value or None


def _choice(data, name, choices, errors, default=None):
    value = data.get(name) or default
    if not isinstance(value, str) or value not in choices:
        errors[name] = "required" if not value else "invalid"
        return None
    return value


MESSAGES = {
    "required": "必填",
    "invalid": "取值无效",
    "too_long": "内容过长",
    "wrong_type": "类型错误",
}


# Other spellings clients use for the same choices.
DELIVERY_ALIASES = {"e-mail": "email", "mail": "paper", "post": "paper", "postal": "paper", "collect": "pickup",
                    "in_person": "pickup", "collect_in_person": "pickup", "self_pickup": "pickup"}


def clean_application(data, staff=False):
    """Validate an application's fields; returns the cleaned values or raises ValidationError naming each field.

    ``staff`` entries (letters, visits) also carry ``channel`` and ``received_on`` (default: today).
    Without ``id_type`` a person's number is read as a resident ID and an organization's as a credit code.
    """
    errors, messages = {}, {}
    values = {}
    data = dict(data)
    if not data.get("applicant_name") and isinstance(data.get("name"), str):
        data["applicant_name"] = data["name"]
    if isinstance(data.get("delivery"), str):
        data["delivery"] = DELIVERY_ALIASES.get(data["delivery"].strip().lower(), data["delivery"].strip().lower())
    if not data.get("id_type") and isinstance(data.get("applicant_type"), str):
        data["id_type"] = "resident_id" if data["applicant_type"] == "person" else "credit_code"
    values["applicant_type"] = _choice(data, "applicant_type", APPLICANT_TYPES, errors)
    values["applicant_name"] = _text(data, "applicant_name", errors, required=True)
    values["contact_person"] = _text(data, "contact_person", errors)
    values["id_type"] = _choice(data, "id_type", ID_TYPES, errors)
    values["id_number"] = _text(data, "id_number", errors, required=True)
    values["phone"] = _text(data, "phone", errors)
    values["email"] = _text(data, "email", errors)
    values["address"] = _text(data, "address", errors)
    values["delivery"] = _choice(data, "delivery", DELIVERY, errors)
    values["description"] = _text(data, "description", errors, required=True)
    values["document_hint"] = _text(data, "document_hint", errors)

    kind, id_type = values["applicant_type"], values["id_type"]
    if kind and id_type:
        allowed = PERSON_ID_TYPES if kind == "person" else ORGANIZATION_ID_TYPES
        if id_type not in allowed:
            errors["id_type"] = "invalid"
            messages["id_type"] = "自然人请选择个人证件；法人或其他组织请选择统一社会信用代码或其他证件"
    number = values["id_number"]
    if number and id_type == "resident_id":
        number = number.upper().replace(" ", "")
        values["id_number"] = number
        problem = resident_id_error(number)
        if problem:
            errors["id_number"] = "invalid"
            messages["id_number"] = problem
    elif number and id_type == "credit_code":
        number = number.upper().replace(" ", "")
        values["id_number"] = number
        if not _CREDIT_CODE.match(number):
            errors["id_number"] = "invalid"
            messages["id_number"] = "统一社会信用代码应为18位数字或大写字母"

    phone = values["phone"]
    if phone:
        digits = normalize_contact(phone)
        if not (_MOBILE.match(digits) or _LANDLINE.match(digits)):
            errors["phone"] = "invalid"
            messages["phone"] = "请填写有效的手机号码或固定电话（含区号）"
        else:
            values["phone"] = digits
    email = values["email"]
    if email and not _EMAIL.match(email):
        errors["email"] = "invalid"
        messages["email"] = "电子邮箱格式不正确"
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = "required"
        messages["phone"] = "请至少填写联系电话或电子邮箱之一"
    delivery = values["delivery"]
    if delivery == "email" and not email and "email" not in errors:
        errors["email"] = "required"
        messages["email"] = "选择电子邮件方式获取信息时须填写电子邮箱"
    if delivery == "paper" and not values["address"] and "address" not in errors:
        errors["address"] = "required"
        messages["address"] = "选择邮寄纸质文书时须填写通信地址"
    if delivery != "paper":
        values["address"] = None  # stored minimally: the address is only needed for a reply by post

    if staff:
        values["channel"] = _choice(data, "channel", CHANNELS, errors, default="in_person")
        received = data.get("received_on")
        if isinstance(received, date):
            values["received_on"] = received
        elif isinstance(received, str) and received.strip():
            try:
                values["received_on"] = date.fromisoformat(received.strip())
            except ValueError:
                errors["received_on"] = "invalid"
                messages["received_on"] = "收到申请日期格式应为 YYYY-MM-DD"
        elif received not in (None, ""):
            errors["received_on"] = "wrong_type"
            messages["received_on"] = "收到申请日期格式应为 YYYY-MM-DD"

    if errors:
        details = [f"{FIELD_LABELS.get(n, n)}：{messages.get(n) or MESSAGES.get(code, code)}" for n, code in errors.items()]
        raise ValidationError("申请信息有误：" + "；".join(details), fields=errors, messages=messages)
    return values


FIELD_LABELS = {
    "applicant_type": "申请人类型",
    "applicant_name": "申请人姓名/名称",
    "contact_person": "联系人",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通信地址",
    "delivery": "获取信息方式",
    "description": "所需信息的内容描述",
    "document_hint": "文件名称、文号或其他特征描述",
    "channel": "申请方式",
    "received_on": "收到申请之日",
}
