"""The daily reminder (``flask --app wsgi cms applications remind``): what is overdue or due soon, per person."""
from collections import defaultdict

from cms import clock
from cms.applications.deadlines import soon_horizon, urgency
from cms.applications.models import Application
from cms.applications.notices import desk_users, section_users
from cms.applications.types import OPEN_STATES
from cms.notifications.models import Notification
from cms.notifications.services import notify

LABELS = {"overdue": "已超期", "today": "今日到期", "soon": "3个工作日内到期", "unknown": "期限无法计算（工作日历缺年份）",
          "supplement_overdue": "补正期限已届满", "consultation_overdue": "征求意见期限已届满"}


def due_for_attention(today=None):
    """``[(application, reason)]`` for every open application that needs attention today."""
    today = today or clock.local_today()
    horizon = soon_horizon(today)
    found = []
    for a in Application.query.filter(Application.state.in_(OPEN_STATES)).order_by(Application.due_on).all():
        level = urgency(a, today, horizon)
        if level in ("overdue", "today", "soon", "unknown"):
            found.append((a, level))
        elif a.state == "supplement_requested" and a.supplement_due_on and a.supplement_due_on < today:
            found.append((a, "supplement_overdue"))
        elif a.state == "consulting" and a.consultation_due_on and a.consultation_due_on < today:
            found.append((a, "consultation_overdue"))
    return found


def send_reminders(today=None):
    """One in-app notification (and e-mail, if configured) per person with a list; returns {username: count}."""
    today = today or clock.local_today()
    per_user = defaultdict(list)
    users = {}
    desks, sections = {}, {}  # one query per organization and section, not per application
    for a, level in due_for_attention(today):
        if a.organization_id not in desks:
            desks[a.organization_id] = desk_users(a.organization_id)
        if a.section_id not in sections:
            sections[a.section_id] = section_users(a.section_id, ("editor", "section_chief"))
        recipients = desks[a.organization_id] + sections[a.section_id]
        for user in recipients:
            users[user.id] = user
            per_user[user.id].append((a, level))
    sent = {}
    for user_id, entries in per_user.items():
        overdue = sum(1 for _, level in entries if level == "overdue")
        lines = "；".join(f"{a.code} {LABELS[level]}" + (f"（{a.due_on.isoformat()}）" if a.due_on else "")
                         for a, level in entries[:20])
        message = f"{today.isoformat()} 依申请公开提醒：{len(entries)} 件需处理（超期 {overdue} 件）：{lines}"
        already = Notification.query.filter_by(user_id=user_id, message=message[:500], read_at=None).first()
        if already is None:
            notify([users[user_id]], message, "/admin/applications")
        sent[users[user_id].username] = len(entries)
    return sent
