"""Demo applications for the desk: one waiting to be registered, one with a section, one answered."""
from cms import clock
from cms.accounts.models import Section, User
from cms.applications.models import Application
from cms.applications.services import register_by_staff, submit_online, transition

DEMO_APPLICANTS = (
    {"applicant_type": "person", "applicant_name": "王小明", "id_type": "resident_id", "id_number": "11010519491231002X",
     "phone": "13912345678", "email": "wang@example.cn", "delivery": "email",
     "description": "2017年度全市文化市场“双随机”执法检查结果", "document_hint": "嘉文广发〔2017〕31号"},
    {"applicant_type": "enterprise", "applicant_name": "嘉峪关长城文化传播有限公司", "contact_person": "李经理",
     "id_type": "credit_code", "id_number": "91620200MA71234567", "phone": "0937-6212345",
     "delivery": "paper", "address": "嘉峪关市新华中路1号",
     "description": "2016年以来营业性演出许可审批的办理时限规定"},
    {"applicant_type": "research", "applicant_name": "河西文化研究所", "contact_person": "赵研究员",
     "id_type": "credit_code", "id_number": "12620200438000000A", "email": "research@example.cn",
     "delivery": "email", "description": "2017年市博物馆免费开放专项资金的预算安排"},
)


def seed_demo_applications(org):
    """Create the demo applications once (tracked by applicant name)."""
    if Application.query.filter_by(organization_id=org.id).first() is not None:
        return
    auditor = User.query.filter_by(username="auditor").first()
    editor = User.query.filter_by(username="editor").first()
    officehead = User.query.filter_by(username="officehead").first()
    leader = User.query.filter_by(username="leader").first()
    market = Section.query.filter_by(organization_id=org.id, code="market").first()
    office = Section.query.filter_by(organization_id=org.id, code="office").first()
    if not all((auditor, editor, officehead, leader, market, office)):
        return
    submit_online(org, DEMO_APPLICANTS[0])
    today = clock.local_today().isoformat()
    letter = register_by_staff(auditor, org, {**DEMO_APPLICANTS[1], "channel": "registered_mail", "received_on": today})
    transition(letter, auditor, "assign", section_id=market.id)
    answered = register_by_staff(auditor, org, {**DEMO_APPLICANTS[2], "channel": "in_person", "received_on": today})
    transition(answered, auditor, "assign", section_id=office.id)
    transition(answered, auditor, "draft_reply", result="disclosed",
               reply_text="现将《2017年市博物馆免费开放专项资金预算》电子版发送至您的电子邮箱，请查收。")
    transition(answered, officehead, "approve", confidentiality_checked=True)
    transition(answered, leader, "approve")
