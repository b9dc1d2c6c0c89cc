"""A page of the item worklist: counts per stage from one grouped COUNT, and one page of rows with what a
list shows loaded up front (no query per row). Used by the dashboard and ``GET /api/v1/worklist``.

The rows come from ``item_worklist_query``, i.e. from the stored definitions' guards: the page, the
counts and the buttons agree.
"""
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.orm import joinedload, load_only, selectinload

from cms.content.models import Item
from cms.content.urgency import is_urgent_row, open_urgent_ids
from cms.content.workflow import item_worklist_query
from cms.errors import ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# What a worklist row shows (the dashboard): no bodies, no fingerprints.
LIST_COLUMNS = (Item.id, Item.organization_id, Item.column_id, Item.section_id, Item.author_id,
                Item.last_editor_id, Item.working_copy_of_id, Item.type, Item.title, Item.workflow,
                Item.workflow_version, Item.state, Item.version, Item.stage_round, Item.stage_entered_at,
                Item.stage_due_at, Item.updated_at, Item.created_at)


@dataclass
class WorklistPage:
    items: list
    total: int  # rows matching (the state filter included)
    counts: dict  # state -> rows waiting in it (whole worklist)
    urgent_ids: set = field(default_factory=set)
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def is_urgent(self, item):
        return is_urgent_row(item, self.urgent_ids)

    # The pager macro's names (templates/_macros/forms.html).
    @property
    def page(self):
        return self.offset // self.limit + 1

    @property
    def pages(self):
        return max((self.total + self.limit - 1) // self.limit, 1)

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.offset + len(self.items) < self.total

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1


def parse_paging(limit, offset):
    """``limit``/``offset`` from a query string: integers, 1 ≤ limit ≤ 200, offset ≥ 0 (422 otherwise)."""
    def number(value, name, default, low, high):
        if value in (None, ""):
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(f"{name} 应为整数", fields={name: "invalid"}) from None
        if not low <= number <= high:
            raise ValidationError(f"{name} 应在 {low} 到 {high} 之间", fields={name: "out_of_range"})
        return number

    return (number(limit, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
            number(offset, "offset", 0, 0, 10_000_000))


def worklist_page(user, limit=DEFAULT_LIMIT, offset=0, state=None, full_rows=False):
    """One page of ``user``'s worklist (urgent first, then due first) with the counts per state.

    ``state`` narrows the page to one stage state. ``full_rows`` loads whole items (the API answers with
    the item's JSON, attachments and author included); otherwise only what a list shows.
    """
    urgent_ids = open_urgent_ids()
    query = item_worklist_query(user, urgent_ids=urgent_ids)
    counts = dict(query.order_by(None).with_entities(Item.state, func.count(Item.id)).group_by(Item.state).all())
    total = counts.get(state, 0) if state else sum(counts.values())
    if state:
        query = query.filter(Item.state == state)
    items = []
    if total:
        # The page's ids from the covering index (ordering included), then those rows only.
        ids = [item_id for (item_id,) in query.with_entities(Item.id).limit(limit).offset(offset)]
        options = [joinedload(Item.column), joinedload(Item.section)]
        if full_rows:
            options += [joinedload(Item.author), selectinload(Item.attachments)]
        else:
            options.append(load_only(*LIST_COLUMNS))
        rows = {item.id: item for item in Item.query.options(*options).filter(Item.id.in_(ids))} if ids else {}
        items = [rows[item_id] for item_id in ids if item_id in rows]
    return WorklistPage(items=items, total=total, counts=counts, urgent_ids=urgent_ids, limit=limit, offset=offset)


def approvals_by_item(items):
    """``{item_id: [StageApproval]}`` of the current round of each item, oldest first (one query)."""
    from cms.workflow.models import StageApproval

    rounds = {item.id: item.stage_round for item in items}
    if not rounds:
        return {}
    rows = (StageApproval.query.options(joinedload(StageApproval.actor), joinedload(StageApproval.on_behalf_of))
            .filter(StageApproval.subject_type == "item", StageApproval.subject_id.in_(sorted(rounds)))
            .order_by(StageApproval.id).all())
    out = {item_id: [] for item_id in rounds}
    for row in rows:
        if row.round == rounds[row.subject_id]:
            out[row.subject_id].append(row)
    return out
