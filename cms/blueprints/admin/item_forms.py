"""WTForms for the item editor and the review actions."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from cms.content.enforcement import KINDS, PARTY_TYPES
from cms.content.interpretations import FORMS as INTERPRETATION_FORMS
from cms.content.types import DISCLOSURE, FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.form_messages import MaxLength as Length


class ItemForm(FlaskForm):
    column_id = SelectField("栏目", coerce=int, validators=[DataRequired(message="请选择栏目")])
    section_id = SelectField("发布机构", coerce=int, validators=[Optional()])
    type = SelectField("信息类型", choices=list(ITEM_TYPES.items()))
    title = StringField("标题", validators=[DataRequired(message="请输入标题"), Length(max=500)])
    summary = TextAreaField("摘要", validators=[Optional(), Length(max=2000)])
    body_html = TextAreaField("正文", validators=[Optional(), Length(max=2_000_000)])
    doc_number = StringField("文号", validators=[Optional(), Length(max=100)])
    written_date = DateField("成文日期", validators=[Optional()])
    topic = StringField("主题分类", validators=[Optional(), Length(max=100)])
    validity = SelectField("有效性", choices=list(VALIDITY.items()))
    disclosure = SelectField("公开属性", choices=list(DISCLOSURE.items()))
    withheld_reason = TextAreaField("不予公开理由", validators=[Optional(), Length(max=2000)])
    five_public = SelectField("五公开", choices=[("", "（不适用）")] + list(FIVE_PUBLIC.items()))
    normative = BooleanField("规范性文件")
    interprets_id = IntegerField("所解读的政策文件编号", validators=[Optional()])
    interpretation_form = SelectField("解读形式", choices=[("", "（不适用）")] + list(INTERPRETATION_FORMS.items()),
                                      validate_choice=False)  # checked by the service (422 naming it)
    # 双公示 record (type enforcement only)
    enforcement_kind = SelectField("决定类别", choices=[("", "（请选择）")] + list(KINDS.items()),
                                   validate_choice=False)  # checked by the service, with the other fields
    enforcement_decision_no = StringField("决定文号", validators=[Optional(), Length(max=100)])
    enforcement_decided_on = DateField("决定日期", validators=[Optional()])
    enforcement_party = StringField("行政相对人", validators=[Optional(), Length(max=200)])
    enforcement_party_type = SelectField("相对人类型", choices=list(PARTY_TYPES.items()),
                                         validate_choice=False)
    enforcement_party_id = StringField("证件号码（自然人公开时脱敏）", validators=[Optional(), Length(max=40)])
    enforcement_summary = TextAreaField("决定内容摘要", validators=[Optional(), Length(max=2000)])
    version = HiddenField()

    ENFORCEMENT = ("kind", "decision_no", "decided_on", "party", "party_type", "party_id", "summary")

    def load_enforcement(self, record):
        """Fill the enforcement fields from an item's stored record."""
        from datetime import date

        for name in self.ENFORCEMENT:
            value = (record or {}).get(name)
            if name == "decided_on" and value:
                value = date.fromisoformat(value)
            getattr(self, f"enforcement_{name}").data = value or ("" if name != "decided_on" else None)

    def enforcement_values(self):
        if self.type.data != "enforcement":
            return None
        values = {name: getattr(self, f"enforcement_{name}").data for name in self.ENFORCEMENT}
        if not any(values[name] for name in ("kind", "decision_no", "decided_on", "party", "summary")):
            return None
        values["decided_on"] = values["decided_on"].isoformat() if values["decided_on"] else None
        return values

    def field_values(self):
        """The editable item fields as plain values for the services."""
        return {
            "type": self.type.data,
            "title": self.title.data,
            "summary": self.summary.data,
            "body_html": self.body_html.data,
            "doc_number": self.doc_number.data,
            "written_date": self.written_date.data,
            "topic": self.topic.data,
            "validity": self.validity.data,
            "disclosure": self.disclosure.data,
            "withheld_reason": self.withheld_reason.data,
            "five_public": self.five_public.data or None,
            "normative": bool(self.normative.data),
            "interprets_id": self.interprets_id.data or None,
            "enforcement": self.enforcement_values(),
            "interpretation_form": self.interpretation_form.data or None,
        }


class TransitionForm(FlaskForm):
    name = HiddenField(validators=[DataRequired()])
    # The item's version the reviewer decided on (a stale decision is refused, never applied to a later stage).
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    comment = TextAreaField("意见", validators=[Optional(), Length(max=4000)])
    # With "return": an earlier stage instead of the author (empty: back to the author).
    to_stage = SelectField("退回至", choices=[("", "作者（退回修改）")], validate_choice=False, default="")
    confidentiality_checked = BooleanField("已完成保密审查：经审查，本信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以公开")
