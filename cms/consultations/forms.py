"""WTForms of the consultation screens; the rules live in the services (comments, closing, feedback)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from cms.consultations.models import HANDLINGS
from cms.form_messages import MaxLength as Length


class CommentForm(FlaskForm):
    """The public's comment form (CSRF, a honeypot and a signed time stamp; the rate limit is on the route)."""

    body = TextAreaField("您的意见（不超过2000字）")
    name = StringField("姓名（选填，公开时仅显示姓氏）")
    contact = StringField("联系方式（需要答复时必填，不公开）")
    wants_reply = BooleanField("需要答复")
    form_token = HiddenField()
    website = StringField("网站（请勿填写）")  # honeypot, hidden from people

    def values(self):
        return {"body": self.body.data, "name": self.name.data, "contact": self.contact.data,
                "wants_reply": bool(self.wants_reply.data)}

    def csrf_failed(self):
        return bool(getattr(getattr(self, "csrf_token", None), "errors", None))


class ModerationForm(FlaskForm):
    name = HiddenField(validators=[DataRequired()])
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    reason = StringField("说明", validators=[Optional(), Length(max=1000)])


class HandlingForm(FlaskForm):
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    handling = SelectField("采纳情况", choices=list(HANDLINGS.items()), validate_choice=False)
    reason = TextAreaField("理由", validators=[Optional(), Length(max=2000)])
    theme = StringField("主题", validators=[Optional(), Length(max=50)])


class CloseForm(FlaskForm):
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    reason = TextAreaField("提前结束的理由（将向社会公开）", validators=[Optional(), Length(max=1000)])


class ExtendForm(FlaskForm):
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    closes_on = StringField("新的截止日期")  # parsed by the service (422 naming the field)
    reason = TextAreaField("延期说明（选填，记入历史）", validators=[Optional(), Length(max=1000)])


class FeedbackForm(FlaskForm):
    pass


class SettingsForm(FlaskForm):
    feedback_working_days = IntegerField("闭征后发布意见采纳情况的期限（工作日）", validators=[Optional()])
