"""The back office's item list scope and the dashboard's filters, shared so that every count on the
dashboard is exactly the number of rows of the list it links to."""
from datetime import datetime, timedelta

from sqlalchemy import or_

from cms.clock import to_local, utcnow
from cms.content.models import Item
from cms.extensions import db

LOCAL_OFFSET = timedelta(hours=8)  # the dashboard's month is the local (China Standard Time) month

FILTER_LABELS = {
    "waiting": "待我审核",
    "mine_review": "我提交的、审核中",
    "overdue": "已超办理期限",
    "published_month": "本月发布",
}


def _worklist_clause(user):
    from cms.workflow.worklist import worklist_filter

    return db.and_(worklist_filter(user, Item), Item.author_id != user.id,
                   or_(Item.last_editor_id.is_(None), Item.last_editor_id != user.id))


def list_scope(user):
    """Items the list shows: of the user's sections, of the organizations they audit or administer, their own,
    and whatever waits for their review (a countersign from another section)."""
    section_ids = {m.section_id for m in user.memberships}
    office_orgs = {m.section.organization_id for m in user.memberships
                   if m.role in ("office_auditor", "director", "admin")}
    return or_(Item.section_id.in_(section_ids or [-1]), Item.organization_id.in_(office_orgs or [-1]),
               Item.author_id == user.id, _worklist_clause(user))


def month_start_utc(now=None):
    """The start of the current local month, as a naive UTC datetime."""
    local = to_local(now or utcnow())
    start = datetime(local.year, local.month, 1)
    return start - LOCAL_OFFSET


def apply_filter(query, user, name, now=None):
    """Narrow ``query`` by one of the dashboard's filters (unknown names change nothing)."""
    now = now or utcnow()
    if name == "waiting":
        return query.filter(_worklist_clause(user))
    if name == "mine_review":
        return query.filter(Item.author_id == user.id, Item.state.like("pending\\_%", escape="\\"))
    if name == "overdue":
        return query.filter(Item.state.like("pending\\_%", escape="\\"), Item.stage_due_at.isnot(None),
                            Item.stage_due_at < now)
    if name == "published_month":
        return query.filter(Item.state == "published", Item.working_copy_of_id.is_(None),
                            Item.published_at >= month_start_utc(now))
    return query


def dashboard_counts(user, now=None):
    """``{waiting: [(state, n)], mine_review: [(state, n)], overdue: n, published_month: [(section, n)]}``:
    the numbers the dashboard shows, each a filter of the item list (``list_scope``)."""
    from cms.accounts.models import Section

    now = now or utcnow()
    scoped = Item.query.filter(list_scope(user))

    def by_state(name):
        rows = (apply_filter(scoped, user, name, now).with_entities(Item.state, db.func.count(Item.id))
                .group_by(Item.state).order_by(Item.state).all())
        return [(state, count) for state, count in rows]

    section_ids = sorted({m.section_id for m in user.memberships})
    published = []
    if section_ids:
        counts = dict(apply_filter(scoped, user, "published_month", now).filter(Item.section_id.in_(section_ids))
                      .with_entities(Item.section_id, db.func.count(Item.id)).group_by(Item.section_id).all())
        sections = Section.query.filter(Section.id.in_(section_ids)).order_by(Section.id).all()
        published = [(s, counts.get(s.id, 0)) for s in sections]
    return {
        "waiting": by_state("waiting"),
        "mine_review": by_state("mine_review"),
        "overdue": apply_filter(scoped, user, "overdue", now).count(),
        "published_month": published,
    }
