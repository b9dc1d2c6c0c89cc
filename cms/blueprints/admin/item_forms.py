"""WTForms for the item editor and the review actions."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

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
    version = HiddenField()

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
        }


class TransitionForm(FlaskForm):
    name = HiddenField(validators=[DataRequired()])
    # The item's version the reviewer decided on (a stale decision is refused, never applied to a later stage).
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    comment = TextAreaField("意见", validators=[Optional(), Length(max=4000)])
    confidentiality_checked = BooleanField("已完成保密审查：经审查，本信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，可以公开")
