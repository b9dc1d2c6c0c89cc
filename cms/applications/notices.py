"""Who hears about an application: the desk, the assigned section, the leader; the applicant by e-mail."""
from cms.accounts.models import Membership, Section, User
from cms.applications.types import RESULTS
from cms.notifications.services import notify, queue_mail
from cms.workflow import events


def link_for(application):
    return f"/admin/applications/{application.id}"


def desk_users(organization_id):
    return (User.query.join(Membership).join(Section)
            .filter(Section.organization_id == organization_id, User.active.is_(True))
            .filter((Membership.role == "office_auditor")
                    | ((Membership.role == "section_chief") & (Section.kind == "office")))
            .distinct().all())


def section_users(section_id, roles):
    if section_id is None:
        return []
    return (User.query.join(Membership)
            .filter(Membership.section_id == section_id, Membership.role.in_(roles), User.active.is_(True))
            .distinct().all())


def _label(a):
    return f"依申请公开 {a.code}{'（测试）' if a.is_test else ''}"


def on_submitted(application):
    notify(desk_users(application.organization_id), f"{_label(application)}：收到网上申请，请登记受理",
           link_for(application))


def on_transition(evt):
    if evt.subject_type != "application":
        return
    a = evt.subject
    link = link_for(a)
    if evt.transition == "request_supplement" and a.email:
        queue_mail(a.email, f"您的政府信息公开申请（编号 {a.code}）需要补正：{a.supplement_notice}"
                            f"。请于{a.supplement_due_on.isoformat()}前补正；逾期无正当理由不补正的，视为放弃申请。")
    if evt.transition in ("assign", "reassign"):
        notify(section_users(a.section_id, ("editor", "section_chief")), f"{_label(a)}：已交由本科室承办", link)
    elif evt.transition == "draft_reply":
        notify(desk_users(a.organization_id), f"{_label(a)}：承办科室已提交答复意见，待办公室审核", link)
    elif evt.transition == "approve" and evt.to_state == "pending_leader":
        notify(section_users(a.section_id, ("leader",)), f"{_label(a)}：答复待领导审定", link)
    elif evt.transition == "return":
        notify(section_users(a.section_id, ("editor", "section_chief")), f"{_label(a)}：答复被退回，请修改", link)
    elif evt.transition == "approve" and evt.to_state == "replied":
        notify(desk_users(a.organization_id), f"{_label(a)}：答复已审定（{RESULTS.get(a.result, '')}），请送达申请人",
               link)


def on_replied(evt):
    a = evt.subject
    if a.email:
        from cms.applications.documents import mail_note

        queue_mail(a.email, f"您的政府信息公开申请（编号 {a.code}）已答复，请凭申请编号和联系方式查看答复书。"
                            + mail_note(a))


def on_extended(evt):
    a = evt.subject
    if a.email:
        queue_mail(a.email, f"您的政府信息公开申请（编号 {a.code}）答复期限延长{a.extension_days}个工作日，"
                            f"延长后的答复期限为{a.due_on.isoformat() if a.due_on else '（另行告知）'}。")


events.subscribe("transition", on_transition, phase="in_transaction")
events.subscribe("application_replied", on_replied, phase="in_transaction")
events.subscribe("application_extended", on_extended, phase="in_transaction")
