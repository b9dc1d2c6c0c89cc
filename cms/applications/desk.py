"""The desk dashboard: what is overdue, due today and due within 3 working days, by section."""
from sqlalchemy.orm import joinedload

from cms import clock
from cms.applications.deadlines import soon_horizon, urgency
from cms.applications.models import Application
from cms.applications.services import visible_filter

RUNNING = ("submitted", "registered", "assigned", "pending_office", "pending_leader")
WAITING = ("supplement_requested", "consulting")


def dashboard(user, section_id=None, today=None):
    """``{"overdue", "today", "soon", "unknown", "waiting"}`` lists of the applications ``user`` may see."""
    today = today or clock.local_today()
    horizon = soon_horizon(today)
    query = Application.query.filter(visible_filter(user)).options(joinedload(Application.section))
    if section_id:
        query = query.filter(Application.section_id == section_id)
    groups = {"overdue": [], "today": [], "soon": [], "unknown": [], "waiting": []}
    for a in query.filter(Application.state.in_(RUNNING)).order_by(Application.due_on, Application.id):
        level = urgency(a, today, horizon)
        if level in groups:
            groups[level].append(a)
    waiting = query.filter(Application.state.in_(WAITING)).order_by(Application.id).all()
    groups["waiting"] = [a for a in waiting
                         if (a.state == "supplement_requested" and a.supplement_due_on and a.supplement_due_on < today)
                         or (a.state == "consulting" and a.consultation_due_on and a.consultation_due_on < today)]
    return groups


def by_section(user, today=None):
    """Open applications per assigned section: ``[(section name, open, overdue)]``."""
    today = today or clock.local_today()
    counts = {}
    query = (Application.query.filter(visible_filter(user), Application.state.in_(RUNNING + WAITING))
             .options(joinedload(Application.section)))
    for a in query:
        name = a.section.name if a.section else "（未交办）"
        entry = counts.setdefault(name, [0, 0])
        entry[0] += 1
        if a.due_on and a.due_on < today and a.state in RUNNING:
            entry[1] += 1
    return sorted((name, n, late) for name, (n, late) in counts.items())
