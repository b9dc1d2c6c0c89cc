"""Responses to public concerns (政务舆情回应): incidents, their wall-clock deadlines and milestones.

Major emergencies: authoritative information within 5 hours and a press conference within 24 hours;
other concerns: a response within 48 hours (国办发〔2016〕61号). Hours are wall-clock hours from discovery:
nights, weekends and holidays count, so no working-day calendar is involved.
"""
from datetime import timedelta

from cms import clock
from cms.clocks import parsing
from cms.clocks.models import CLOCK_HOURS, CLOCK_KINDS, INCIDENT_LEVELS, Incident, IncidentClock, IncidentItem
from cms.clocks.people import find_section, member_org_ids, registrar_org_ids, require_registrar
from cms.content.models import Item
from cms.errors import Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db

# A discovery time slightly in the future is clock skew; more than this is a typing error.
FUTURE_TOLERANCE = timedelta(minutes=10)
INCIDENT_FIELDS = ("title", "level", "discovered_at", "section", "summary")
MILESTONE_FIELDS = ("kind", "at", "item_id", "note")


def create_incident(user, data):
    """Register an incident from ``data`` (the API's JSON fields) and start its clocks."""
    orgs = require_registrar(user)
    parsing.check_unknown(data, INCIDENT_FIELDS)
    title = parsing.text(data.get("title"), "title", 300)
    level = parsing.choice(data.get("level"), "level", INCIDENT_LEVELS)
    discovered_at = parsing.parse_datetime(data.get("discovered_at"), "discovered_at")
    if discovered_at > clock.utcnow() + FUTURE_TOLERANCE:
        raise ValidationError("发现时间不能晚于当前时间", fields={"discovered_at": "in_future"})
    section = find_section(orgs, data.get("section"))
    summary = parsing.text(data.get("summary"), "summary", 5000, required=False)
    incident = Incident(organization_id=section.organization_id, section=section, title=title, level=level,
                        summary=summary, discovered_at=discovered_at, created_by_id=user.id)
    for kind, hours in CLOCK_HOURS[level]:
        incident.clocks.append(IncidentClock(kind=kind, hours=hours, due_at=discovered_at + timedelta(hours=hours)))
    db.session.add(incident)
    db.session.flush()
    return incident


def can_follow(user, incident):
    """Staff of the incident's organization see it."""
    return incident.organization_id in member_org_ids(user)


def can_meet(user, incident):
    """The office, leaders, the director, and the chief of the responsible section record milestones."""
    return incident.organization_id in registrar_org_ids(user) or user.has_role("section_chief", incident.section_id)


def get_incident_for(user, incident_id):
    incident = db.session.get(Incident, incident_id)
    if incident is None or not can_follow(user, incident):
        raise NotFound("舆情事件不存在或您无权查看")
    return incident


def visible_incidents(user, state=None):
    """Incidents of the caller's organizations, newest first; ``state`` ``open`` or ``closed`` filters."""
    if state not in (None, "", "open", "closed"):
        raise ValidationError("state 取值无效，可选：open, closed", fields={"state": "invalid"})
    orgs = member_org_ids(user)
    query = Incident.query.filter(Incident.organization_id.in_(sorted(orgs) or [-1]))
    open_ids = db.session.query(IncidentClock.incident_id).filter(IncidentClock.met_at.is_(None))
    if state == "open":
        query = query.filter(Incident.id.in_(open_ids))
    elif state == "closed":
        query = query.filter(~Incident.id.in_(open_ids))
    return query.order_by(Incident.discovered_at.desc(), Incident.id.desc()).all()


def _published_item(incident, item_id):
    if item_id is None:
        return None
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        raise ValidationError("item_id 应为整数", fields={"item_id": "wrong_type"})
    item = db.session.get(Item, item_id)
    if (item is None or item.organization_id != incident.organization_id or item.state != "published"
            or item.working_copy_of_id is not None):
        raise ValidationError("item_id 必须是本机关已发布的信息", fields={"item_id": "not_published"})
    return item


def record_milestone(user, incident, data):
    """Meet one of the incident's clocks: ``kind``, ``at`` (when it happened), optional published item and note."""
    if not can_meet(user, incident):
        raise NotAllowed("只有办公室、分管领导、主要负责人或承办科室负责人可以登记回应")
    parsing.check_unknown(data, MILESTONE_FIELDS)
    kinds = {c.kind: c for c in incident.clocks}
    kind = parsing.choice(data.get("kind"), "kind", CLOCK_KINDS)
    if kind not in kinds:
        raise ValidationError(f"该事件没有“{CLOCK_KINDS[kind]}”时限，可选：{', '.join(kinds)}",
                              fields={"kind": "not_a_clock_of_this_incident"})
    at = parsing.parse_datetime(data.get("at"), "at")
    if at < incident.discovered_at:
        raise ValidationError("回应时间不能早于发现时间", fields={"at": "before_discovery"})
    if at > clock.utcnow() + FUTURE_TOLERANCE:
        raise ValidationError("回应时间不能晚于当前时间", fields={"at": "in_future"})
    item = _published_item(incident, data.get("item_id"))
    note = parsing.text(data.get("note"), "note", 2000, required=False)
    target = kinds[kind]
    if target.met_at is not None:
        raise Conflict(f"“{CLOCK_KINDS[kind]}”已登记完成", fields={"kind": "already_met"})
    target.met_at, target.note, target.met_by_id = at, note, user.id
    if item is not None:
        target.item = item
        link_item(incident, item)
    db.session.flush()
    return target


def link_item(incident, item):
    """Link a response item to the incident (while the incident is open the item is urgent)."""
    if item.organization_id != incident.organization_id:
        raise ValidationError("只能关联本机关的信息", fields={"item_id": "other_organization"})
    existing = IncidentItem.query.filter_by(incident_id=incident.id, item_id=item.id).first()
    if existing is None:
        existing = IncidentItem(incident_id=incident.id, item_id=item.id)
        db.session.add(existing)
        db.session.flush()
        if any(c.met_at is None for c in incident.clocks):
            from cms.content.urgency import expedite

            expedite(item)  # already waiting in a stage: due in hours from now
    return existing


def link_item_for(user, incident, data):
    """API form of ``link_item``: the caller names an item of the incident's organization that it may see."""
    from cms.content.services import can_view

    if not can_meet(user, incident):
        raise NotAllowed("只有办公室、分管领导、主要负责人或承办科室负责人可以关联回应信息")
    parsing.check_unknown(data, ("item_id",))
    item_id = data.get("item_id")
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        raise ValidationError("item_id 应为整数", fields={"item_id": "required" if item_id is None else "wrong_type"})
    item = db.session.get(Item, item_id)
    if item is None or not can_view(user, item) or item.organization_id != incident.organization_id:
        raise ValidationError("信息不存在或不属于本机关", fields={"item_id": "unknown"})
    return link_item(incident, item)


def is_urgent(item):
    """True when ``item`` is linked to an incident with a clock not yet met (its review runs in hours)."""
    if item is None or item.id is None:
        return False
    item_id = item.working_copy_of_id or item.id
    return db.session.query(
        IncidentItem.query.join(IncidentClock, IncidentClock.incident_id == IncidentItem.incident_id)
        .filter(IncidentItem.item_id.in_({item.id, item_id}), IncidentClock.met_at.is_(None)).exists()
    ).scalar()


def urgent_item_ids(item_ids):
    """The subset of ``item_ids`` that are urgent (one query, for lists)."""
    ids = list(item_ids)
    if not ids:
        return set()
    rows = (db.session.query(IncidentItem.item_id)
            .join(IncidentClock, IncidentClock.incident_id == IncidentItem.incident_id)
            .filter(IncidentItem.item_id.in_(ids), IncidentClock.met_at.is_(None)).distinct())
    return {r for (r,) in rows}


def timeliness(organization_ids, year):
    """Per level, for incidents discovered in ``year`` (Beijing time): clocks met on time / all clocks."""
    from datetime import datetime

    start = datetime(year, 1, 1) - timedelta(hours=8)
    end = datetime(year + 1, 1, 1) - timedelta(hours=8)
    rows = (db.session.query(Incident.level, IncidentClock)
            .join(IncidentClock, IncidentClock.incident_id == Incident.id)
            .filter(Incident.organization_id.in_(sorted(organization_ids) or [-1]),
                    Incident.discovered_at >= start, Incident.discovered_at < end).all())
    result = {level: {"label": label, "on_time": 0, "total": 0, "rate": None}
              for level, label in INCIDENT_LEVELS.items()}
    for level, c in rows:
        result[level]["total"] += 1
        if c.met_at is not None and c.met_at <= c.due_at:
            result[level]["on_time"] += 1
    for entry in result.values():
        if entry["total"]:
            entry["rate"] = round(100.0 * entry["on_time"] / entry["total"], 1)
    return result
