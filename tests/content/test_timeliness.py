"""The art. 26 clock: proactive information is published within 20 working days of its written date."""
from datetime import date, datetime

from cms.content.timeliness import publish_clock
from tests.workflow.helpers import draft


def test_clock_from_the_written_date(demo, monkeypatch):
    item = draft(demo, written_date=date(2025, 1, 20))
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2025, 2, 10))
    running = publish_clock(item)
    assert running.due_on == date(2025, 2, 21) and running.status == "running"  # across Spring Festival
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2025, 2, 24))
    assert publish_clock(item).status == "overdue"
    item.published_at = datetime(2025, 2, 20, 2, 0)
    assert publish_clock(item).status == "met"
    item.published_at = datetime(2025, 3, 1, 2, 0)
    assert publish_clock(item).status == "late"


def test_no_clock_without_a_written_date_or_when_not_proactive(demo):
    assert publish_clock(draft(demo)) is None
    assert publish_clock(draft(demo, written_date=date(2025, 1, 20), disclosure="on_request")) is None


def test_unknown_year_is_not_guessed(demo):
    clock = publish_clock(draft(demo, written_date=date(2026, 12, 28)))
    assert clock.status == "unknown" and "2027" in clock.message


def test_review_screen_shows_the_clock(client, demo, login_as):
    item = draft(demo, written_date=date(2025, 1, 20))
    login_as("editor")
    html = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert 'id="publish-clock"' in html and "2025-02-21" in html
