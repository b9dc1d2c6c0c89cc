"""NPC suggestions and CPPCC proposals (建议提案办理): assignment, co-sections' opinions, the reply (an item
reviewed like any other), the proposer's satisfaction and reopening.

Due dates: the reply within three months of assignment, co-sections' opinions within one month, a reply
found unsatisfactory handled again within one month. "N months after" lands on the same day of the month,
or on the month's last day when that day does not exist (30 November → 28/29 February).
"""
import calendar
from datetime import date

from cms import clock
from cms.clocks import parsing
from cms.clocks.models import (
    PROPOSAL_KINDS,
    REPLY_CATEGORIES,
    REPLY_DISCLOSURE,
    SATISFACTION,
    Proposal,
    ProposalOpinion,
)
from cms.clocks.people import find_section, member_org_ids, registrar_org_ids, require_registrar
from cms.errors import Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db
from cms.workflow import events

PROPOSAL_FIELDS = ("kind", "session", "number", "title", "proposer", "lead_section", "co_sections", "assigned_on")
REPLY_FIELDS = ("category", "reply_html", "disclosure", "summary_html", "withheld_reason")
OPEN_STATES = ("assigned", "reopened")
REPLY_COLUMN = "proposals"


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def create_proposal(user, data):
    """Register an assigned suggestion or proposal; the same session and number twice is a Conflict."""
    orgs = require_registrar(user)
    parsing.check_unknown(data, PROPOSAL_FIELDS)
    kind = parsing.choice(data.get("kind"), "kind", PROPOSAL_KINDS)
    session = parsing.text(data.get("session"), "session", 100)
    number = data.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    number = parsing.text(number, "number", 32)
    title = parsing.text(data.get("title"), "title", 300)
    proposer = parsing.text(data.get("proposer"), "proposer", 200)
    lead = find_section(orgs, data.get("lead_section"), "lead_section")
    co_codes = data.get("co_sections") or []
    if not isinstance(co_codes, list) or not all(isinstance(c, str) for c in co_codes):
        raise ValidationError("co_sections 应为科室代码列表", fields={"co_sections": "wrong_type"})
    co_sections = []
    for code in dict.fromkeys(co_codes):
        section = find_section({lead.organization_id}, code, "co_sections")
        if section.id == lead.id:
            raise ValidationError("会办科室不能是主办科室", fields={"co_sections": "lead_section"})
        co_sections.append(section)
    assigned_on = parsing.parse_date(data.get("assigned_on"), "assigned_on")
    if assigned_on > clock.local_today():
        raise ValidationError("交办日期不能晚于今天", fields={"assigned_on": "in_future"})
    if Proposal.query.filter_by(organization_id=lead.organization_id, session=session, number=number).first():
        raise Conflict(f"{session}第{number}号已登记", fields={"number": "duplicate"})
    proposal = Proposal(
        organization_id=lead.organization_id, kind=kind, session=session, number=number, title=title,
        proposer=proposer, lead_section=lead, co_section_ids=[s.id for s in co_sections],
        assigned_on=assigned_on, due_on=add_months(assigned_on, 3), co_due_on=add_months(assigned_on, 1),
        state="assigned", created_by_id=user.id,
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def get_proposal_for(user, proposal_id):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.organization_id not in member_org_ids(user):
        raise NotFound("建议提案不存在或您无权查看")
    return proposal


def visible_proposals(user, year=None):
    query = Proposal.query.filter(Proposal.organization_id.in_(sorted(member_org_ids(user)) or [-1]))
    if year is not None:
        query = query.filter(Proposal.assigned_on >= date(year, 1, 1), Proposal.assigned_on <= date(year, 12, 31))
    return query.order_by(Proposal.assigned_on.desc(), Proposal.id.desc()).all()


def add_opinion(user, proposal, data):
    """A co-section's chief gives the section's opinion (会办意见)."""
    parsing.check_unknown(data, ("section", "body"))
    section = find_section({proposal.organization_id}, data.get("section"))
    body = parsing.text(data.get("body"), "body", 20000)
    if section.id not in (proposal.co_section_ids or []):
        raise ValidationError(f"“{section.name}”不是该件的会办科室", fields={"section": "not_a_co_section"})
    if not user.has_role("section_chief", section.id):
        raise NotAllowed("只有会办科室负责人可以提交会办意见")
    if proposal.state == "replied":
        raise Conflict("该件已答复，不能再提交会办意见", fields={"state": proposal.state})
    opinion = ProposalOpinion(proposal=proposal, section_id=section.id, body=body, author_id=user.id)
    db.session.add(opinion)
    db.session.flush()
    return opinion


def _reply_title(proposal):
    label = "建议" if proposal.kind == "npc_suggestion" else "提案"
    again = "（再次办理）" if proposal.reopened_count else ""
    return f"关于{proposal.session}第{proposal.number}号{label}《{proposal.title}》的答复{again}"[:500]


def submit_reply(user, proposal, data):
    """Draft the reply as an item of type ``proposal_reply`` in column ``proposals``; the item is reviewed
    like any other and its sign-off marks the proposal replied."""
    from cms.content.catalog import get_column
    from cms.content.sanitize import clean_html, html_to_text
    from cms.content.services import create_item

    parsing.check_unknown(data, REPLY_FIELDS)
    if proposal.state not in OPEN_STATES:
        raise Conflict("该件当前不能提交答复（答复审核中或已答复）", fields={"state": proposal.state})
    if not user.has_role("editor", proposal.lead_section_id):
        raise NotAllowed("只有主办科室的编辑可以起草答复")
    category = parsing.choice(data.get("category"), "category", REPLY_CATEGORIES)
    disclosure = parsing.choice(data.get("disclosure"), "disclosure", REPLY_DISCLOSURE)
    reply_html = clean_html(parsing.text(data.get("reply_html"), "reply_html", 200000))
    if not html_to_text(reply_html).strip():
        raise ValidationError("答复正文不能为空", fields={"reply_html": "required"})
    summary_html = parsing.text(data.get("summary_html"), "summary_html", 50000, required=disclosure == "summary")
    summary_html = clean_html(summary_html) if summary_html else None
    if disclosure == "summary" and not html_to_text(summary_html or "").strip():
        raise ValidationError("摘要公开须填写答复摘要", fields={"summary_html": "required"})
    reason = parsing.text(data.get("withheld_reason"), "withheld_reason", 2000, required=disclosure == "withheld")
    column = get_column(proposal.organization_id, REPLY_COLUMN)
    if column is None:
        raise ValidationError("本机关没有“建议提案办理”栏目", fields={"column": "missing"})
    body = summary_html if disclosure == "summary" else reply_html
    item = create_item(user, column, section=proposal.lead_section, type="proposal_reply",
                       title=_reply_title(proposal), body_html=body,
                       summary=f"办理类别：{category}类（{REPLY_CATEGORIES[category]}）")
    proposal.category, proposal.disclosure = category, disclosure
    proposal.reply_html, proposal.summary_html = reply_html, summary_html
    proposal.withheld_reason = reason if disclosure == "withheld" else None
    proposal.reply_item_id = item.id
    proposal.state = "replying"
    db.session.flush()
    return item


def record_feedback(user, proposal, data):
    """The proposer's satisfaction; ``unsatisfied`` reopens the case with one more month."""
    if proposal.organization_id not in registrar_org_ids(user) and not user.has_role("section_chief",
                                                                                      proposal.lead_section_id):
        raise NotAllowed("只有办公室或主办科室负责人可以登记代表委员的意见")
    parsing.check_unknown(data, ("satisfaction", "note"))
    satisfaction = parsing.choice(data.get("satisfaction"), "satisfaction", SATISFACTION)
    note = parsing.text(data.get("note"), "note", 5000, required=False)
    if proposal.state != "replied":
        raise Conflict("该件尚未答复，不能登记满意度", fields={"state": proposal.state})
    today = clock.local_today()
    proposal.satisfaction, proposal.feedback_note, proposal.feedback_on = satisfaction, note, today
    if satisfaction == "unsatisfied":
        proposal.state = "reopened"
        proposal.reopened_count += 1
        proposal.due_on = add_months(today, 1)
        proposal.replied_on = None
        proposal.replied_late = None
    db.session.flush()
    return proposal


def _on_published(evt):
    """The reply item was signed off: the proposal is replied; a withheld reply is kept off every public page."""
    item = evt.subject
    if evt.subject_type != "item" or item is None or item.type != "proposal_reply":
        return
    proposal = Proposal.query.filter_by(reply_item_id=item.id, state="replying").first()
    if proposal is None:
        return
    today = clock.local_today()
    proposal.state, proposal.replied_on = "replied", today
    proposal.replied_late = today > proposal.due_on
    if proposal.disclosure == "withheld":
        item.disclosure = "withheld"
        item.withheld_reason = proposal.withheld_reason
    db.session.flush()


events.subscribe("published", _on_published, phase="in_transaction")


def summary(organization_ids, year):
    """The year's figures (by assignment date): by kind, category, on time, disclosure, satisfaction."""
    rows = (Proposal.query.filter(Proposal.organization_id.in_(sorted(organization_ids) or [-1]),
                                  Proposal.assigned_on >= date(year, 1, 1), Proposal.assigned_on <= date(year, 12, 31))
            .all())
    out = {}
    for kind, label in PROPOSAL_KINDS.items():
        mine = [p for p in rows if p.kind == kind]
        out[kind] = {
            "label": label,
            "total": len(mine),
            "replied": sum(1 for p in mine if p.replied_on),
            "on_time": sum(1 for p in mine if p.replied_on and not p.replied_late),
            "late": sum(1 for p in mine if p.replied_on and p.replied_late),
            "category": {c: sum(1 for p in mine if p.replied_on and p.category == c) for c in REPLY_CATEGORIES},
            "disclosure": {d: sum(1 for p in mine if p.replied_on and p.disclosure == d) for d in REPLY_DISCLOSURE},
            "satisfaction": {s: sum(1 for p in mine if p.satisfaction == s) for s in SATISFACTION},
        }
    return out
