"""Budget and final accounts disclosure (预决算公开): the figures of a ``budget`` item, its 20-day clock and the
year-on-year 三公经费 table.

Amounts are 万元 with two decimals, handled as ``Decimal`` end to end (JSON numbers are parsed as Decimal by
the API, strings are accepted too); floats never enter. Negative or malformed amounts are a 422.
"""
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from cms import clock
from cms.clock import to_local
from cms.clocks import parsing
from cms.clocks.models import BUDGET_KINDS, THREE_PUBLIC, BudgetDetail
from cms.content.models import Item
from cms.errors import ValidationError
from cms.extensions import db
from cms.workflow import events

DISCLOSURE_DAYS = 20  # 《预算法》第十四条: within 20 days of the finance department's approval
BUDGET_FIELDS = ("fiscal_year", "kind", "approved_on", "three_public", "operating_expenses")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
_AMOUNT_RE = re.compile(r"^(\d{1,12})(?:\.(\d+))?$")


def parse_amount(value, field):
    """A non-negative amount in 万元 with at most two decimals, as Decimal('12.30')."""
    if isinstance(value, (bool, float)):
        # A float has already lost exactness; the API parses JSON numbers as Decimal.
        raise ValidationError(f"{field} 金额格式无效", fields={field: "invalid_amount"})
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{field} 金额格式无效", fields={field: "invalid_amount"})
        value = format(value, "f")
    if not isinstance(value, str):
        raise ValidationError(f"{field} 金额应为数字或数字字符串", fields={field: "invalid_amount"})
    text = value.strip()
    if text.startswith("-") and _AMOUNT_RE.fullmatch(text[1:]):
        raise ValidationError(f"{field} 金额不能为负数", fields={field: "negative"})
    match = _AMOUNT_RE.fullmatch(text)
    if not match:
        raise ValidationError(f"{field} 金额格式无效（万元，最多两位小数）", fields={field: "invalid_amount"})
    decimals = match.group(2) or ""
    if len(decimals.rstrip("0")) > 2:
        raise ValidationError(f"{field} 金额最多两位小数（万元）", fields={field: "too_many_decimals"})
    amount = Decimal(text).quantize(CENT)
    if amount > MAX_AMOUNT:
        raise ValidationError(f"{field} 金额过大", fields={field: "too_large"})
    return amount


def clean_budget(data):
    """Validate the ``budget`` object of an item; returns the column values (Decimal amounts)."""
    if not isinstance(data, dict):
        raise ValidationError("budget 应为对象", fields={"budget": "wrong_type"})
    unknown = set(data) - set(BUDGET_FIELDS)
    if unknown:
        raise ValidationError(f"budget 中有未知字段：{', '.join(sorted(unknown))}",
                              fields={f"budget.{n}": "unknown" for n in unknown})
    year = data.get("fiscal_year")
    if isinstance(year, Decimal) and year == year.to_integral_value():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError("budget.fiscal_year 应为 2000–2100 的整数年份", fields={"budget.fiscal_year": "invalid"})
    kind = data.get("kind")
    if kind not in BUDGET_KINDS:
        raise ValidationError("budget.kind 取值无效，可选：budget, final_accounts", fields={"budget.kind": "invalid"})
    approved_on = parsing.parse_date(data.get("approved_on"), "budget.approved_on")
    three = data.get("three_public")
    if not isinstance(three, dict):
        raise ValidationError("budget.three_public 应为对象", fields={"budget.three_public": "required"})
    missing = [k for k in THREE_PUBLIC if three.get(k) in (None, "")]
    extra = set(three) - set(THREE_PUBLIC)
    if missing or extra:
        fields = {f"budget.three_public.{k}": "required" for k in missing}
        fields.update({f"budget.three_public.{k}": "unknown" for k in extra})
        raise ValidationError("三公经费须填写四项：" + "、".join(THREE_PUBLIC.values()), fields=fields)
    values = {"fiscal_year": year, "kind": kind, "approved_on": approved_on,
              "due_on": approved_on + timedelta(days=DISCLOSURE_DAYS)}
    for key in THREE_PUBLIC:
        values[key] = parse_amount(three[key], f"budget.three_public.{key}")
    operating = data.get("operating_expenses")
    values["operating_expenses"] = (None if operating in (None, "")
                                    else parse_amount(operating, "budget.operating_expenses"))
    return values


def save_budget(item, values):
    """Attach (or replace) the figures of a budget item."""
    if item.type != "budget":
        raise ValidationError("只有“财政预决算”类信息可以填写预决算数据", fields={"budget": "not_a_budget_item"})
    detail = BudgetDetail.query.filter_by(item_id=item.id).first() or BudgetDetail(item_id=item.id)
    for name, value in values.items():
        setattr(detail, name, value)
    db.session.add(detail)
    db.session.flush()
    return detail


def budget_of(item):
    return BudgetDetail.query.filter_by(item_id=item.id).first() if item is not None and item.id else None


def published_on(item):
    return to_local(item.published_at).date() if item.published_at else None


def is_late(detail, today=None):
    """Published after ``due_on``, or still unpublished past it."""
    item = detail.item
    if item.state == "published" and item.published_at:
        return published_on(item) > detail.due_on
    return (today or clock.local_today()) > detail.due_on


def amount_str(value):
    return None if value is None else format(Decimal(value).quantize(CENT), "f")


def budget_to_json(detail):
    if detail is None:
        return None
    return {
        "fiscal_year": detail.fiscal_year,
        "kind": detail.kind,
        "approved_on": detail.approved_on.isoformat(),
        "due_on": detail.due_on.isoformat(),
        "late": is_late(detail),
        "three_public": {k: amount_str(getattr(detail, k)) for k in THREE_PUBLIC},
        "operating_expenses": amount_str(detail.operating_expenses),
    }


@dataclass
class Row:
    key: str
    label: str
    current: Decimal
    previous: Decimal | None

    @property
    def change(self):
        return None if self.previous is None else self.current - self.previous

    @property
    def change_text(self):
        change = self.change
        return "" if change is None else ("0.00" if change == 0 else format(change, "+f"))

    @property
    def percent_text(self):
        percent = self.percent
        return "" if percent is None else ("0.0%" if percent == 0 else format(percent, "+f") + "%")

    @property
    def percent(self):
        if self.previous is None or self.previous == 0:
            return None
        return ((self.current - self.previous) * 100 / self.previous).quantize(Decimal("0.1"), ROUND_HALF_UP)


def previous_of(detail):
    """The public budget of the same kind for the previous fiscal year of the same organization."""
    from cms.content.queries import public_items

    ids = public_items().filter(Item.organization_id == detail.item.organization_id).with_entities(Item.id)
    return (BudgetDetail.query.filter(BudgetDetail.kind == detail.kind,
                                      BudgetDetail.fiscal_year == detail.fiscal_year - 1,
                                      BudgetDetail.item_id.in_(ids))
            .order_by(BudgetDetail.id.desc()).first())


def three_public_table(detail):
    """Rows of the 三公经费 table: each expense and the total, with the change against the previous year."""
    previous = previous_of(detail)
    rows = [Row(k, label, Decimal(getattr(detail, k)).quantize(CENT),
                None if previous is None else Decimal(getattr(previous, k)).quantize(CENT))
            for k, label in THREE_PUBLIC.items()]
    total = Row("total", "合计", sum((r.current for r in rows), Decimal("0.00")),
                None if previous is None else sum((r.previous for r in rows), Decimal("0.00")))
    return {"detail": detail, "previous": previous, "rows": rows + [total],
            "kind_label": BUDGET_KINDS[detail.kind]}


def public_budget_view(item):
    """What the public page shows for a budget item (None for other items or items without figures)."""
    if item.type != "budget":
        return None
    detail = budget_of(item)
    if detail is None:
        return None
    from cms.clocks.chart import bar_chart_svg

    table = three_public_table(detail)
    table["chart"] = bar_chart_svg(table)
    return table


def budgets_by_year(column):
    """Public budget items of ``column`` grouped by fiscal year, newest year first: ``[(year, [(item, detail)])]``."""
    from cms.content.queries import public_items_in_column

    pairs = (public_items_in_column(column).join(BudgetDetail, BudgetDetail.item_id == Item.id)
             .with_entities(Item, BudgetDetail).order_by(BudgetDetail.fiscal_year.desc(), BudgetDetail.kind,
                                                         Item.published_at.desc()).all())
    grouped = {}
    for item, detail in pairs:
        grouped.setdefault(detail.fiscal_year, []).append((item, detail))
    return sorted(grouped.items(), key=lambda kv: kv[0], reverse=True)


def statistics(organization_ids, year):
    """Budget items of fiscal ``year``: how many, how many published on time, how many late."""
    rows = (BudgetDetail.query.join(Item, BudgetDetail.item_id == Item.id)
            .filter(Item.organization_id.in_(sorted(organization_ids) or [-1]), BudgetDetail.fiscal_year == year,
                    Item.working_copy_of_id.is_(None)).all())
    late = sum(1 for d in rows if is_late(d))
    return {"total": len(rows), "late": late, "on_time": sum(1 for d in rows if d.item.state == "published"
                                                             and not is_late(d))}


def _on_revised(evt):
    """A revision of a published budget item was signed off: its figures replace the original's."""
    original = evt.subject
    if evt.subject_type != "item" or original is None or original.type != "budget":
        return
    for copy in Item.query.filter_by(working_copy_of_id=original.id).all():
        copied = BudgetDetail.query.filter_by(item_id=copy.id).first()
        if copied is None:
            continue
        target = budget_of(original) or BudgetDetail(item_id=original.id)
        for name in ("fiscal_year", "kind", "approved_on", "due_on", *THREE_PUBLIC, "operating_expenses"):
            setattr(target, name, getattr(copied, name))
        db.session.add(target)
        db.session.delete(copied)
    db.session.flush()


def copy_to_working_copy(original, copy):
    """A working copy starts with the original's figures."""
    source = budget_of(original)
    if source is None or budget_of(copy) is not None:
        return None
    detail = BudgetDetail(item_id=copy.id)
    for name in ("fiscal_year", "kind", "approved_on", "due_on", *THREE_PUBLIC, "operating_expenses"):
        setattr(detail, name, getattr(source, name))
    db.session.add(detail)
    db.session.flush()
    return detail


events.subscribe("revised", _on_revised, phase="in_transaction")


def _drop_with_item(mapper, connection, target):
    from cms.clocks.models import IncidentItem

    connection.execute(BudgetDetail.__table__.delete().where(BudgetDetail.item_id == target.id))
    connection.execute(IncidentItem.__table__.delete().where(IncidentItem.item_id == target.id))


# A working copy deleted after sign-off (or discarded) must not be blocked by its figures.
db.event.listen(Item, "before_delete", _drop_with_item)
