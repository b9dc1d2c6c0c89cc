"""``send_clock_reminders(now)``: reminders at 50 %, 80 % and 100 % of each incident clock, escalation once
overdue, and the due-soon / overdue notices of proposals and budgets.

Idempotent: every (subject, step) sent is recorded in ``clock_reminders`` (unique), so running the tick
twice, or from two workers, never sends the same reminder twice. When the tick first sees a clock past
several thresholds (the queue was down) only the highest is sent; the lower ones are recorded as passed.
The task queue's periodic tick calls it; ``flask --app wsgi cms clocks remind`` runs it by hand.
"""
from datetime import timedelta

from cms import clock
from cms.clock import to_local
from cms.clocks import people
from cms.clocks.models import CLOCK_KINDS, BudgetDetail, ClockReminder, Incident, IncidentClock, Proposal
from cms.content.models import Item
from cms.extensions import db
from cms.notifications.services import notify

THRESHOLDS = (50, 80, 100)
PROPOSAL_SOON = timedelta(days=15)
BUDGET_SOON = timedelta(days=5)


def _sent_steps(subject_type, ids):
    if not ids:
        return set()
    rows = db.session.query(ClockReminder.subject_id, ClockReminder.step).filter(
        ClockReminder.subject_type == subject_type, ClockReminder.subject_id.in_(sorted(ids)))
    return set(rows)


def _record(subject_type, subject_id, step, recipients=0):
    db.session.add(ClockReminder(subject_type=subject_type, subject_id=subject_id, step=step,
                                 recipients=recipients))


def _fmt(value):
    return to_local(value).strftime("%Y-%m-%d %H:%M")


def _incident_link(incident):
    return f"/admin/incidents/{incident.id}"


def _remind_incident_clocks(now, sent):
    clocks = (IncidentClock.query.join(Incident).filter(IncidentClock.met_at.is_(None))
              .order_by(IncidentClock.due_at).all())
    done = _sent_steps("incident_clock", [c.id for c in clocks])
    for c in clocks:
        incident = c.incident
        span = (c.due_at - incident.discovered_at).total_seconds()
        elapsed = (now - incident.discovered_at).total_seconds()
        percent = 100.0 * elapsed / span if span > 0 else 100.0
        crossed = [t for t in THRESHOLDS if percent >= t and (c.id, str(t)) not in done]
        label = f"【舆情回应】《{incident.title[:60]}》{CLOCK_KINDS[c.kind]}（{c.hours}小时）"
        if crossed:
            highest = crossed[-1]
            for t in crossed[:-1]:
                _record("incident_clock", c.id, str(t))
            if highest == 100:
                message = f"{label}时限已到（截止 {_fmt(c.due_at)} 北京时间），请立即回应并登记"
            else:
                left = c.due_at - now
                minutes = max(0, int(left.total_seconds() // 60))
                message = (f"{label}时限已过{highest}%，剩余约{minutes // 60}小时{minutes % 60}分，"
                           f"截止 {_fmt(c.due_at)}（北京时间）")
            recipients = (people.section_staff(incident.section_id)
                          + people.office_staff(incident.organization_id))
            count = notify(recipients, message, _incident_link(incident))
            _record("incident_clock", c.id, str(highest), count)
            sent.append(("incident_clock", c.id, str(highest), count))
        if now > c.due_at and (c.id, "escalated") not in done:
            recipients = (people.office_heads(incident.organization_id) + people.leaders_of(incident.section_id)
                          + people.directors(incident.organization_id))
            message = (f"【舆情回应超时】《{incident.title[:60]}》{CLOCK_KINDS[c.kind]}已超过{c.hours}小时时限"
                       f"（截止 {_fmt(c.due_at)} 北京时间），承办科室：{incident.section.name}，请督促处理")
            count = notify(recipients, message, _incident_link(incident))
            _record("incident_clock", c.id, "escalated", count)
            sent.append(("incident_clock", c.id, "escalated", count))


def _remind_proposals(today, sent):
    proposals = Proposal.query.filter(Proposal.state.in_(("assigned", "reopened", "replying"))).all()
    done = _sent_steps("proposal", [p.id for p in proposals])
    for p in proposals:
        name = f"【建议提案】{p.session}第{p.number}号《{p.title[:50]}》"
        steps = []
        if today > p.due_on:
            steps.append((f"overdue:{p.due_on.isoformat()}", f"{name}已超过办理期限（{p.due_on.isoformat()}）",
                          people.leaders_of(p.lead_section_id)))
        elif today >= p.due_on - PROPOSAL_SOON:
            steps.append((f"due_soon:{p.due_on.isoformat()}", f"{name}将于{p.due_on.isoformat()}到期，请及时答复", []))
        for step, message, extra in steps:
            if (p.id, step) in done:
                continue
            recipients = (people.section_staff(p.lead_section_id) + people.office_staff(p.organization_id) + extra)
            count = notify(recipients, message, f"/admin/proposals/{p.id}")
            _record("proposal", p.id, step, count)
            sent.append(("proposal", p.id, step, count))


def _remind_budgets(today, sent):
    rows = (BudgetDetail.query.join(Item, BudgetDetail.item_id == Item.id)
            .filter(Item.state != "published", Item.working_copy_of_id.is_(None)).all())
    done = _sent_steps("budget", [b.id for b in rows])
    for b in rows:
        item = b.item
        name = f"【预决算公开】《{item.title[:60]}》"
        if today > b.due_on:
            step, message = f"overdue:{b.due_on.isoformat()}", f"{name}已超过公开期限（批复后20日，{b.due_on.isoformat()}）"
        elif today >= b.due_on - BUDGET_SOON:
            step, message = f"due_soon:{b.due_on.isoformat()}", f"{name}须在{b.due_on.isoformat()}前公开（批复后20日内）"
        else:
            continue
        if (b.id, step) in done:
            continue
        recipients = people.section_staff(item.section_id) + people.office_staff(item.organization_id)
        count = notify(recipients, message, f"/admin/items/{item.id}")
        _record("budget", b.id, step, count)
        sent.append(("budget", b.id, step, count))


def send_clock_reminders(now=None):
    """Send every reminder and escalation due at ``now`` (naive UTC; default: the current time) once.

    Returns the list of ``(subject_type, subject_id, step, recipients)`` sent in this run. Flushes; the caller
    (the queue task or the CLI command) commits.
    """
    now = now or clock.utcnow()
    today = to_local(now).date()
    sent = []
    _remind_incident_clocks(now, sent)
    _remind_proposals(today, sent)
    _remind_budgets(today, sent)
    db.session.flush()
    return sent
