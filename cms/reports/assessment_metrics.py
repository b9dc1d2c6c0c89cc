"""On-time figures of the assessment (考核) that other registers contribute, per section.

Every metric answers, for an organization and a period of local days: per section, how many things fell due
(``total``), how many were done within their deadline (``on_time``), and a line for each late one.

Built in: incident response clocks (政务舆情回应) and NPC/CPPCC proposal replies (建议提案答复). A package that adds
a register with deadlines (e.g. consultations, 意见征集) appends its own metric with ``register_metric``; the
assessment screen, the XLSX and the half-year report show it from then on and nothing for it until then.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Callable

from cms import clock
from cms.clock import CST


@dataclass(frozen=True)
class Metric:
    """An on-time metric: ``collect(organization_id, start, end)`` returns
    ``{section_id: {"total": n, "on_time": m, "late": ["…"]}}`` for local days ``start`` .. ``end``."""

    code: str  # key in each section's ``metrics``
    title: str  # chart title, e.g. "舆情回应按时"
    total_label: str  # table header of ``total``, e.g. "到期时限数"
    on_time_label: str  # table header of ``on_time``
    collect: Callable
    weight: int = 10  # points in the ranking (normalized with the built-in measures)


# The registry of extra assessment metrics. Append with ``register_metric`` (one line per package).
EXTRA_METRICS: list = []


def register_metric(metric: Metric) -> Metric:
    """Add ``metric`` to the assessment (replacing a metric of the same code)."""
    EXTRA_METRICS[:] = [m for m in EXTRA_METRICS if m.code != metric.code] + [metric]
    return metric


def registered_metrics():
    return list(EXTRA_METRICS)


def utc_bounds(start, end):
    """Naive-UTC datetimes covering local days ``start`` .. ``end`` inclusive."""
    def to_utc(day):
        return datetime.combine(day, time(0), CST).astimezone(timezone.utc).replace(tzinfo=None)

    return to_utc(start), to_utc(end + timedelta(days=1))


def _local(instant):
    return clock.to_local(instant).strftime("%Y-%m-%d %H:%M")


def _bucket(out, section_id):
    return out.setdefault(section_id, {"total": 0, "on_time": 0, "late": []})


def incident_clocks(organization_id, start, end):
    """Response clocks due in the period: met by their due time, or not (met late, or overdue now).

    A clock still running (not yet due) is not counted."""
    from cms.clocks.models import CLOCK_KINDS, Incident, IncidentClock

    lo, hi = utc_bounds(start, end)
    now = clock.utcnow()
    rows = (IncidentClock.query.join(Incident, Incident.id == IncidentClock.incident_id)
            .filter(Incident.organization_id == organization_id, IncidentClock.due_at >= lo,
                    IncidentClock.due_at < hi)
            .with_entities(Incident.section_id, Incident.title, IncidentClock.kind, IncidentClock.due_at,
                           IncidentClock.met_at)
            .order_by(IncidentClock.due_at, IncidentClock.id).all())
    out = {}
    for section_id, title, kind, due_at, met_at in rows:
        if met_at is None and now <= due_at:
            continue
        bucket = _bucket(out, section_id)
        bucket["total"] += 1
        if met_at is not None and met_at <= due_at:
            bucket["on_time"] += 1
        else:
            done = f"完成于 {_local(met_at)}" if met_at is not None else "尚未完成"
            bucket["late"].append(f"舆情《{title}》{CLOCK_KINDS.get(kind, kind)}（时限 {_local(due_at)}，{done}）")
    return out


def proposal_replies(organization_id, start, end):
    """Proposals whose reply was due in the period, by lead section: replied by the due date, or not.

    A proposal not yet replied and not yet due is not counted."""
    from cms.clocks.models import Proposal

    today = clock.local_today()
    rows = (Proposal.query.filter(Proposal.organization_id == organization_id, Proposal.due_on >= start,
                                  Proposal.due_on <= end)
            .order_by(Proposal.due_on, Proposal.id).all())
    out = {}
    for p in rows:
        if p.replied_on is None and today <= p.due_on:
            continue
        bucket = _bucket(out, p.lead_section_id)
        bucket["total"] += 1
        if p.replied_on is not None and p.replied_on <= p.due_on:
            bucket["on_time"] += 1
        else:
            done = f"答复于 {p.replied_on.isoformat()}" if p.replied_on else "尚未答复"
            bucket["late"].append(f"建议提案 {p.number}《{p.title}》（期限 {p.due_on.isoformat()}，{done}）")
    return out


BUILTIN_METRICS = (
    Metric("incidents", "舆情回应按时", "到期时限数", "按时完成数", incident_clocks),
    Metric("proposals", "建议提案按时答复", "到期件数", "按时答复件数", proposal_replies),
)
