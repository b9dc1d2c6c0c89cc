"""Budget and final accounts: the figures on POST/PATCH /items, the 20-day clock, decimal rules, the public
三公经费 table with the year-on-year change, the SVG chart and the column page by year."""
from datetime import date
from decimal import Decimal

import pytest

from cms.clocks.budgets import budget_of, is_late, parse_amount, three_public_table
from cms.content.models import Item
from cms.errors import ValidationError
from cms.extensions import db
from tests.workflow.helpers import publish

FIGURES = {"overseas_travel": "12.30", "vehicle_purchase": 0, "vehicle_operation": 20.5, "reception": "3"}


def _item(year=2026, kind="budget", approved_on="2026-03-01", three=None, **extra):
    budget = {"fiscal_year": year, "kind": kind, "approved_on": approved_on, "three_public": three or FIGURES}
    budget.update(extra)
    return {"column": "budget", "type": "budget", "title": f"嘉峪关市文化广播影视新闻出版局{year}年部门{'预算' if kind == 'budget' else '决算'}",
            "body_html": BODIES[kind].format(year=year), "budget": budget}


BODIES = {
    "budget": "<p>根据市财政局批复，现将{year}年部门收支预算总表、财政拨款收支预算表、一般公共预算支出表公开如下。</p>",
    "final_accounts": "<p>{year}年度决算说明：本部门全年实际支出情况、结转结余、绩效评价结果及机关运行经费执行。</p>",
}


def _post(client, token_for, payload):
    return client.post("/api/v1/items", json=payload, headers=token_for("editor"))


def test_budget_item_keeps_exact_decimals_and_a_20_day_due_date(client, demo, token_for):
    response = _post(client, token_for, _item(operating_expenses="1234.56"))
    assert response.status_code == 201, response.get_json()
    budget = response.get_json()["budget"]
    assert budget["three_public"] == {"overseas_travel": "12.30", "vehicle_purchase": "0.00",
                                      "vehicle_operation": "20.50", "reception": "3.00"}
    assert budget["operating_expenses"] == "1234.56"
    assert (budget["approved_on"], budget["due_on"]) == ("2026-03-01", "2026-03-21")
    assert budget["late"] is True  # still unpublished after 21 March
    detail = budget_of(db.session.get(Item, response.get_json()["id"]))
    assert detail.vehicle_operation == Decimal("20.50") and isinstance(detail.reception, Decimal)


def test_patch_changes_the_figures_and_the_late_flag_follows_the_publication_date(client, demo, token_for,
                                                                                monkeypatch):
    created = _post(client, token_for, _item(approved_on="2026-11-20")).get_json()
    patched = client.patch(f"/api/v1/items/{created['id']}", headers=token_for("editor"), json={
        "version": created["version"], "budget": {**_item()["budget"], "approved_on": "2026-11-25",
                                                  "three_public": {**FIGURES, "reception": "4.45"}}})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["budget"]["three_public"]["reception"] == "4.45"
    assert patched.get_json()["budget"]["due_on"] == "2026-12-15"
    item = db.session.get(Item, created["id"])
    publish(item)
    detail = budget_of(item)
    assert is_late(detail) is False
    detail.approved_on, detail.due_on = date(2026, 1, 1), date(2026, 1, 21)
    assert is_late(detail) is True


@pytest.mark.parametrize("value, code", [
    ("12.345", "too_many_decimals"), (12.345, "too_many_decimals"), ("-1", "negative"), (-1, "negative"),
    (-0.5, "negative"), ("abc", "invalid_amount"), ("1,000", "invalid_amount"), (True, "invalid_amount"),
    ("", "required"), (None, "required"), ("1e3", "invalid_amount"), ("Infinity", "invalid_amount"),
    ([1], "invalid_amount"),
])
def test_negative_or_malformed_amounts_are_422(client, demo, token_for, value, code):
    response = _post(client, token_for, _item(three={**FIGURES, "reception": value}))
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["fields"] == {"budget.three_public.reception": code}
    assert Item.query.filter(Item.title.like("%2026年部门预算")).count() == 0


def test_amount_parsing_never_uses_floats():
    assert parse_amount("0012.50", "x") == Decimal("12.50")
    assert parse_amount(Decimal("7.100"), "x") == Decimal("7.10")
    assert parse_amount(Decimal("1E+3"), "x") == Decimal("1000.00")
    with pytest.raises(ValidationError):
        parse_amount(12.5, "x")  # a float already lost exactness


@pytest.mark.parametrize("budget, field", [
    ({"fiscal_year": "2026"}, "budget.fiscal_year"),
    ({"fiscal_year": 1999}, "budget.fiscal_year"),
    ({"kind": "forecast"}, "budget.kind"),
    ({"approved_on": "2026-13-01"}, "budget.approved_on"),
    ({"three_public": "12"}, "budget.three_public"),
    ({"three_public": {"overseas_travel": "1"}}, "budget.three_public.reception"),
    ({"three_public": {**FIGURES, "gifts": "1"}}, "budget.three_public.gifts"),
    ({"operating_expenses": "-3"}, "budget.operating_expenses"),
    ({"colour": "red"}, "budget.colour"),
])
def test_bad_budget_objects_are_422(client, demo, token_for, budget, field):
    payload = _item()
    payload["budget"].update(budget)
    response = _post(client, token_for, payload)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_budget_figures_only_on_budget_items(client, demo, token_for):
    payload = {**_item(), "column": "notices", "type": "notice"}
    response = _post(client, token_for, payload)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"budget": "not_a_budget_item"}
    assert client.post("/api/v1/items", json={**_item(), "budget": "lots"},
                       headers=token_for("editor")).status_code == 422


def _published_budget(client, token_for, year, three, kind="budget"):
    created = _post(client, token_for, _item(year=year, kind=kind, approved_on=f"{year}-03-01", three=three))
    assert created.status_code == 201, created.get_json()
    item = db.session.get(Item, created.get_json()["id"])
    publish(item)
    return item


def test_public_page_shows_the_three_public_table_with_year_on_year_change_and_a_chart(client, demo, token_for):
    _published_budget(client, token_for, 2025, {"overseas_travel": "10.00", "vehicle_purchase": "0",
                                                "vehicle_operation": "25.00", "reception": "4.00"})
    # A final account of 2025 is a different kind: it is not the comparison for the 2026 budget.
    _published_budget(client, token_for, 2025, {"overseas_travel": "99", "vehicle_purchase": "99",
                                                "vehicle_operation": "99", "reception": "99"}, kind="final_accounts")
    item = _published_budget(client, token_for, 2026, {"overseas_travel": "12.30", "vehicle_purchase": "0",
                                                       "vehicle_operation": "20.00", "reception": "4.00"})
    table = three_public_table(budget_of(item))
    rows = {r.key: r for r in table["rows"]}
    assert rows["overseas_travel"].change == Decimal("2.30") and rows["overseas_travel"].percent == Decimal("23.0")
    assert rows["vehicle_operation"].change == Decimal("-5.00") and rows["vehicle_operation"].percent == Decimal("-20.0")
    assert rows["vehicle_purchase"].percent is None  # no base to compare with
    assert rows["reception"].change == Decimal("0.00")
    assert (rows["total"].current, rows["total"].previous) == (Decimal("36.30"), Decimal("39.00"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "“三公”经费" in html and "因公出国（境）费" in html
    assert "12.30" in html and "+2.30" in html and "-5.00" in html and "+23.0%" in html
    assert "<svg" in html and 'aria-hidden="true"' in html and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    column = client.get("/columns/budget").get_data(as_text=True)
    assert column.index("2026年") < column.index("2025年")
    assert "部门决算" in column


def test_unpublished_budgets_never_reach_the_public_table(client, demo, token_for):
    _post(client, token_for, _item(year=2025))  # draft only
    item = _published_budget(client, token_for, 2026, FIGURES)
    table = three_public_table(budget_of(item))
    assert table["previous"] is None
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "上年" not in html or "无上年数据" in html


def test_revising_a_published_budget_carries_its_figures_through_the_working_copy(client, demo, token_for):
    item = _published_budget(client, token_for, 2026, FIGURES)
    patched = client.patch(f"/api/v1/items/{item.id}", headers=token_for("editor"), json={
        "version": item.version, "budget": {**_item()["budget"], "three_public": {**FIGURES, "reception": "9.99"}}})
    assert patched.status_code == 200, patched.get_json()
    copy = patched.get_json()
    assert copy["working_copy_of"] == item.id and copy["budget"]["three_public"]["reception"] == "9.99"
    # The live page keeps the signed-off figures until the revision is signed off.
    assert "9.99" not in client.get(f"/items/{item.id}").get_data(as_text=True)
    publish(db.session.get(Item, copy["id"]))
    db.session.expire_all()
    assert db.session.get(Item, copy["id"]) is None
    assert budget_of(db.session.get(Item, item.id)).reception == Decimal("9.99")
    assert "9.99" in client.get(f"/items/{item.id}").get_data(as_text=True)


def test_statistics_count_budgets_published_late(client, demo, token_for):
    from cms.clocks.budgets import statistics

    _published_budget(client, token_for, 2026, FIGURES)  # approved 2026-03-01, published today: late
    on_time = _post(client, token_for, _item(kind="final_accounts", approved_on="2026-11-25")).get_json()
    publish(db.session.get(Item, on_time["id"]))
    assert statistics({demo.id}, 2026) == {"total": 2, "late": 1, "on_time": 1}
