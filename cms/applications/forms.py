"""WTForms shared by the public form and the desk's entry screen; the rules themselves live in validation.py."""
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from cms.applications.types import APPLICANT_TYPES, CHANNELS, DELIVERY, ID_TYPES

FIELDS = ("applicant_type", "applicant_name", "contact_person", "id_type", "id_number", "phone", "email",
          "address", "delivery", "description", "document_hint")


class ApplicationForm(FlaskForm):
    applicant_type = SelectField("申请人类型", choices=list(APPLICANT_TYPES.items()), validate_choice=False)
    applicant_name = StringField("申请人姓名/名称")
    contact_person = StringField("联系人（法人或其他组织填写）")
    id_type = SelectField("证件类型", choices=list(ID_TYPES.items()), validate_choice=False)
    id_number = StringField("证件号码")
    phone = StringField("联系电话")
    email = StringField("电子邮箱")
    address = StringField("通信地址（邮寄纸质文书时必填）")
    delivery = SelectField("获取信息的方式", choices=list(DELIVERY.items()), validate_choice=False)
    description = TextAreaField("所需政府信息的内容描述")
    document_hint = StringField("文件名称、文号或其他特征描述（选填）")

    def values(self):
        return {name: getattr(self, name).data for name in FIELDS}

    def csrf_failed(self):
        """True when the submission failed on the CSRF token (not on a field)."""
        return bool(getattr(getattr(self, "csrf_token", None), "errors", None))

    def place_errors(self, exc):
        """Show a service ValidationError next to the fields it names; True when every field was placed."""
        messages = exc.extra.get("messages", {})
        placed = True
        for name, code in exc.fields.items():
            field = getattr(self, name, None)
            if field is None:
                placed = False
                continue
            field.errors = list(field.errors) + [messages.get(name) or {"required": "必填", "too_long": "内容过长"}.get(code, "取值无效")]
        return placed


class CorrectionForm(ApplicationForm):
    version = HiddenField()


class PublicApplicationForm(ApplicationForm):
    form_token = HiddenField()
    test_token = HiddenField()
    website = StringField("网站（请勿填写）")  # honeypot, hidden from people


class StaffApplicationForm(ApplicationForm):
    channel = SelectField("申请方式", choices=[(k, v) for k, v in CHANNELS.items() if k != "online"],
                          validate_choice=False)
    received_on = DateField("收到申请之日", validators=[Optional()])

    def values(self):
        return {**super().values(), "channel": self.channel.data, "received_on": self.received_on.data}


class StatusForm(FlaskForm):
    code = StringField("申请编号")
    contact = StringField("申请时填写的联系电话或电子邮箱")
