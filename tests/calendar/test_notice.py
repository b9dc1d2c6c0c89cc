"""The State Council's holiday notice: parsed from the official wording, refused when not fully understood."""
import json
from datetime import date
from pathlib import Path

import chinese_calendar
import pytest

from cms.applications.calendar import add_working_days, is_workday
from cms.applications.models import CalendarDay
from cms.calendar.notice import NoticeError, next_year_warning, parse_notice
from cms.extensions import db

NOTICES = Path(__file__).parent / "notices"


def notice(year):
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_parser_reproduces_chinese_calendar_for_the_year(year):
    arrangement = parse_notice(notice(year), year)
    named_holidays = {d for d, name in chinese_calendar.holidays.items() if d.year == year and name}
    adjusted_workdays = {d for d, name in chinese_calendar.workdays.items() if d.year == year and name}
    assert set(arrangement.holidays) == named_holidays
    assert set(arrangement.workdays) == adjusted_workdays


def test_cross_month_ranges_names_and_advisory_sentences():
    a2025 = parse_notice(notice(2025))
    assert a2025.year == 2025
    # 春节 1月28日 to 2月4日 crosses the month; 端午 5月31日 to 6月2日 too.
    assert all(a2025.holidays[date(2025, 1, 28) + __import__("datetime").timedelta(days=i)] == "春节"
               for i in range(8))
    assert a2025.holidays[date(2025, 6, 1)] == "端午节"
    assert a2025.workdays == {date(2025, 1, 26): "春节", date(2025, 2, 8): "春节", date(2025, 4, 27): "劳动节",
                              date(2025, 9, 28): "国庆节、中秋节", date(2025, 10, 11): "国庆节、中秋节"}
    a2024 = parse_notice(notice(2024))
    # "鼓励……在除夕（2月9日）休息" is advice, not a day off.
    assert date(2024, 2, 9) not in a2024.holidays and a2024.notes


def test_a_national_day_range_reaching_back_into_september():
    text = "国务院办公厅关于2027年部分节假日安排的通知\n一、国庆节：9月30日至10月7日放假调休，共8天。9月26日（周日）、10月9日（周六）上班。"
    arrangement = parse_notice(text, 2027)
    assert min(arrangement.holidays) == date(2027, 9, 30) and max(arrangement.holidays) == date(2027, 10, 7)
    assert set(arrangement.workdays) == {date(2027, 9, 26), date(2027, 10, 9)}


@pytest.mark.parametrize("bad_line, why", [
    ("　　三、清明节：4月4日至6日放假调休，共4天。4月7日（星期日）上班。", "共4天"),
    ("　　三、清明节：4月4日至6日放假调休，共3天。4月7日（星期六）上班。", "不是周六"),
    ("　　三、清明节：4月4日至6日放假调休，共3天。4月8日（星期一）上班。", "本是工作日"),
    ("　　三、清明节：4月4日至6日放假调休，共3天。另行通知。", "另行通知"),
    ("　　请各单位认真贯彻执行。", "既不是节日安排"),
])
def test_text_it_cannot_account_for_is_refused_naming_the_line(bad_line, why):
    lines = notice(2024).split("\n")
    index = next(i for i, line in enumerate(lines) if "清明节" in line and "三、" in line)
    lines[index] = bad_line
    with pytest.raises(NoticeError) as exc:
        parse_notice("\n".join(lines), 2024)
    assert f"第{index + 1}行" in exc.value.message and why in exc.value.message


def test_the_year_must_match_the_title():
    with pytest.raises(NoticeError, match="不一致"):
        parse_notice(notice(2026), 2027)
    with pytest.raises(NoticeError):
        parse_notice("", 2027)


def _notice_2027():
    return notice(2026).replace("2026年", "2027年").replace(
        "　　一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
        "　　一、元旦：1月1日（周五）至3日（周日）放假，共3天。")


def test_cli_import_notice_then_export_and_import(app, tmp_path):
    text = _notice_2027().split("\n")
    # Keep only the 元旦 line for 2027 (the other dates of 2026 have different weekdays in 2027).
    text = [line for line in text if "、" not in line[:4] or "元旦" in line]
    path = tmp_path / "notice.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "calendar", "import-notice", str(path), "--year", "2027"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert {r.day for r in CalendarDay.query.all()} == {date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)}
    assert not is_workday(date(2027, 1, 1)) and is_workday(date(2027, 1, 4))
    out = tmp_path / "2027.json"
    assert runner.invoke(args=["cms", "calendar", "export", "2027", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2027 and len(data["days"]) == 3
    CalendarDay.query.delete()
    db.session.commit()
    result = runner.invoke(args=["cms", "calendar", "import", str(out)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert CalendarDay.query.count() == 3
    # A bad notice: one line on stderr, exit 2, nothing saved.
    path.write_text("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假，共2天。", encoding="utf-8")
    result = runner.invoke(args=["cms", "calendar", "import-notice", str(path), "--year", "2027"])
    assert result.exit_code == 2 and "第2行" in result.output


def test_export_of_a_package_year_and_bad_import_files(app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "2025.json"
    assert runner.invoke(args=["cms", "calendar", "export", "2025", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == "chinese-calendar" and {"day": "2025-01-26", "is_workday": True,
                                                      "note": "Spring Festival"} in data["days"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2027, "days": [{"day": "2027-13-01", "is_workday": false}]}', encoding="utf-8")
    result = runner.invoke(args=["cms", "calendar", "import", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    bad.write_text("not json", encoding="utf-8")
    assert runner.invoke(args=["cms", "calendar", "import", str(bad)]).exit_code == 2


def test_admin_pastes_the_notice_previews_the_month_grid_then_saves(client, demo, login_as):
    login_as("admin")
    text = "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。"
    response = client.post("/admin/calendar/notice", data={"year": 2027, "text": text})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "1月" in page and "day-holiday" in page and "确认并保存" in page
    assert CalendarDay.query.count() == 0
    response = client.post("/admin/calendar/notice", data={"year": 2027, "text": text, "confirm": "1"})
    assert response.status_code == 302
    assert CalendarDay.query.count() == 3
    response = client.post("/admin/calendar/notice", data={"year": 2027, "text": text + "\n随便写的一行"})
    assert response.status_code == 422 and "第3行" in response.get_data(as_text=True)
    assert client.post("/admin/calendar/notice", data={"year": "abc", "text": ""}).status_code == 422


def test_editors_cannot_import_notices(client, demo, login_as):
    login_as("editor")
    assert client.get("/admin/calendar/notice").status_code == 403


def test_from_first_november_admins_are_warned_when_next_year_is_missing(client, demo, login_as, monkeypatch):
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2026, 11, 2))
    assert "2027年的节假日安排尚未录入" in next_year_warning(date(2026, 11, 2))
    assert next_year_warning(date(2026, 10, 31)) is None
    assert next_year_warning(date(2025, 11, 2)) is None  # 2026 is in the package
    login_as("admin")
    assert "2027年的节假日安排尚未录入" in client.get("/admin/").get_data(as_text=True)
    db.session.add(CalendarDay(day=date(2027, 1, 1), is_workday=False, note="元旦"))
    db.session.commit()
    assert "2027年的节假日安排尚未录入" not in client.get("/admin/").get_data(as_text=True)
    assert add_working_days(date(2027, 1, 1), 1) == date(2027, 1, 4)
