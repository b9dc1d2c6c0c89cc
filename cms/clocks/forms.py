"""Back-office forms (CSRF-protected) for incidents and proposals; values go to the same services as the API."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cms.clocks.models import CLOCK_KINDS, INCIDENT_LEVELS, PROPOSAL_KINDS, SATISFACTION


class IncidentForm(FlaskForm):
    title = StringField("舆情标题", validators=[DataRequired(), Length(max=300)])
    level = SelectField("级别", choices=list(INCIDENT_LEVELS.items()))
    discovered_at = StringField("发现时间（北京时间）", validators=[DataRequired()],
                                render_kw={"type": "datetime-local"})
    section = SelectField("承办科室", validators=[DataRequired()], validate_choice=False)
    summary = TextAreaField("简要情况", validators=[Optional(), Length(max=5000)])


class MilestoneForm(FlaskForm):
    kind = SelectField("时限", choices=list(CLOCK_KINDS.items()))
    at = StringField("完成时间（北京时间）", validators=[DataRequired()], render_kw={"type": "datetime-local"})
    item_id = StringField("回应信息编号（已发布，可选）", validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class ProposalForm(FlaskForm):
    kind = SelectField("类型", choices=list(PROPOSAL_KINDS.items()))
    session = StringField("会议届次", validators=[DataRequired(), Length(max=100)])
    number = StringField("编号", validators=[DataRequired(), Length(max=32)])
    title = StringField("标题", validators=[DataRequired(), Length(max=300)])
    proposer = StringField("代表/委员", validators=[DataRequired(), Length(max=200)])
    lead_section = SelectField("主办科室", validators=[DataRequired()], validate_choice=False)
    co_sections = StringField("会办科室代码（逗号分隔，可选）", validators=[Optional()])
    assigned_on = DateField("交办日期", validators=[DataRequired()])


class FeedbackForm(FlaskForm):
    satisfaction = SelectField("代表/委员意见", choices=list(SATISFACTION.items()))
    note = TextAreaField("说明", validators=[Optional(), Length(max=5000)])
