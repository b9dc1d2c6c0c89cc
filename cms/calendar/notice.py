"""The State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知), parsed into days.

Each holiday line ("二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
2月14日（周六）、2月28日（周六）上班。") gives its days off and its adjusted working days (调休上班日). The parser
accounts for every line of the notice: a line it does not understand, a weekday that does not match its date
or a "共N天" that does not match the range refuses the whole text, naming the line, so a typo never becomes a
wrong deadline. Saving replaces the year's ``CalendarDay`` rows.
"""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from cms.errors import ValidationError

WEEKDAYS = "一二三四五六日"
_CN_DIGITS = "一二三四五六七八九十"

_TITLE = re.compile(r"^国务院办公厅关于(\d{4})年(?:部分)?节假日安排的通知$")
_HOLIDAY = re.compile(rf"^[{_CN_DIGITS}]+、([^：:]{{1,20}})[：:](.+)$")
# Lines that carry no days: document number, addressee, introduction, closing, signature, date.
_BOILERPLATE = (
    re.compile(r"^国办发明电〔\d{4}〕\d+号$"),
    re.compile(r"^.{0,80}[：:]$"),
    re.compile(r"^经国务院批准.*$"),
    re.compile(r"^节假日期间.*$"),
    re.compile(r"^国务院办公厅$"),
    re.compile(r"^（?此件公开发布）?$"),
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"),
)
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:@(\d))?"  # @N: the weekday stated after the date
_DAYS_OFF = re.compile(rf"^{_DATE}(?:至{_DATE})?放假(?:调休)?(?:(\d+)天)?$")
_TOTAL = re.compile(r"^共(\d+)天$")
_WORKDAYS = re.compile(rf"^({_DATE}(?:、{_DATE})*)上班$")
_ONE_DATE = re.compile(_DATE)
_PAREN = re.compile(r"（([^（）]*)）|\(([^()]*)\)")
_NO_CHANGE = ("不调休", "与周末连休")


class NoticeError(ValidationError):
    """The notice text has a line the parser cannot account for (HTTP 422)."""

    code = "notice_not_understood"


@dataclass
class Arrangement:
    """The result: days off and adjusted working days, each with the holiday's name."""

    year: int
    holidays: dict = field(default_factory=dict)  # date -> name
    workdays: dict = field(default_factory=dict)  # date -> name
    notes: list = field(default_factory=list)  # advisory sentences kept for the preview (e.g. 鼓励...)

    def days(self):
        """``[(date, is_workday, note)]`` in date order."""
        rows = [(d, False, n) for d, n in self.holidays.items()] + [(d, True, n) for d, n in self.workdays.items()]
        return sorted(rows)

    def months(self):
        """A month grid per month of the year for the preview: ``[(month, weeks)]``, each week 7 cells.

        A cell is ``None`` (outside the month) or ``{"day", "kind", "note"}`` with ``kind`` one of
        ``holiday`` / ``workday`` (adjusted) / ``weekend`` / ``normal``.
        """
        out = []
        for month in range(1, 13):
            first = date(self.year, month, 1)
            cells = [None] * first.weekday()
            day = first
            while day.month == month:
                if day in self.holidays:
                    kind, note = "holiday", self.holidays[day]
                elif day in self.workdays:
                    kind, note = "workday", self.workdays[day]
                else:
                    kind, note = ("weekend" if day.weekday() >= 5 else "normal"), None
                cells.append({"day": day, "kind": kind, "note": note})
                day += timedelta(days=1)
            cells += [None] * (-len(cells) % 7)
            out.append((month, [cells[i:i + 7] for i in range(0, len(cells), 7)]))
        return out


def _refuse(number, line, why):
    raise NoticeError(f"第{number}行无法识别：{why}（{line[:60]}）", fields={"text": f"line {number}"},
                      line=number)


def _mark_weekdays(number, line, sentence):
    """Replace each parenthesised hint after a date by ``@N`` when it states a weekday (else drop it)."""
    def replace(match):
        hint = match.group(1) if match.group(1) is not None else match.group(2)
        weekday = re.search(r"(?:周|星期)([一二三四五六日天])", hint)
        if not weekday:
            return ""
        if not sentence[:match.start()].endswith("日"):
            _refuse(number, line, f"“{hint}”前没有日期")
        return f"@{WEEKDAYS.index(weekday.group(1).replace('天', '日'))}"

    return _PAREN.sub(replace, sentence)


def _date(number, line, groups, year, month):
    """A date from the regex groups ``(year, month, day, weekday)``, checking the stated weekday."""
    y, m, d, weekday = groups
    try:
        day = date(int(y) if y else year, int(m) if m else month, int(d))
    except (TypeError, ValueError):
        _refuse(number, line, "日期无效")
    if weekday is not None and day.weekday() != int(weekday):
        _refuse(number, line, f"{day.month}月{day.day}日不是周{WEEKDAYS[int(weekday)]}")
    return day


def parse_notice(text, year=None):
    """Parse the notice ``text``; ``year`` (when given) must match the notice's own year.

    Returns an ``Arrangement``; raises ``NoticeError`` naming the first line it cannot account for.
    """
    if not isinstance(text, str) or not text.strip():
        raise NoticeError("请粘贴国务院办公厅节假日安排通知的全文", fields={"text": "required"})
    notice_year = None
    arrangement = None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pending_holidays = []
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"\s+", "", raw.replace("\u3000", " "))
        if not line:
            continue
        title = _TITLE.match(line)
        if title:
            notice_year = int(title.group(1))
            continue
        holiday = _HOLIDAY.match(line)
        if holiday:
            pending_holidays.append((number, line, holiday.group(1), holiday.group(2)))
            continue
        if any(p.match(line) for p in _BOILERPLATE):
            continue
        _refuse(number, line, "既不是节日安排，也不是通知的标题、主送、导语或落款")
    if year is not None and notice_year is not None and notice_year != year:
        raise NoticeError(f"通知标题中的年份为{notice_year}年，与所选年份{year}年不一致", fields={"year": "mismatch"})
    year = year or notice_year
    if year is None:
        raise NoticeError("未找到通知标题（国务院办公厅关于YYYY年部分节假日安排的通知），请指定年份",
                          fields={"year": "required"})
    if not pending_holidays:
        raise NoticeError("通知中没有找到任何节日安排（如“一、元旦：……”）", fields={"text": "no_holidays"})
    arrangement = Arrangement(year=year)
    for number, line, name, body in pending_holidays:
        _parse_holiday(arrangement, number, line, name, body)
    return arrangement


def _parse_holiday(arrangement, number, line, name, body):
    year = arrangement.year
    found_days_off = False
    for sentence in filter(None, (s.strip() for s in body.split("。"))):
        if sentence.startswith("鼓励"):
            arrangement.notes.append(f"{name}：{sentence}。")
            continue
        days_off = None
        for text in filter(None, _mark_weekdays(number, line, sentence).split("，")):
            if text in _NO_CHANGE:
                continue
            total = _TOTAL.match(text)
            if total:
                if days_off is None:
                    _refuse(number, line, "“共N天”前没有放假日期")
                if int(total.group(1)) != len(days_off):
                    _refuse(number, line, f"放假日期共{len(days_off)}天，与“共{total.group(1)}天”不符")
                continue
            match = _DAYS_OFF.match(text)
            if match:
                g = match.groups()
                if g[1] is None:
                    _refuse(number, line, "放假日期缺少月份")
                start = _date(number, line, g[0:4], year, None)
                end = start
                if g[6] is not None:
                    end = _date(number, line, g[4:8], start.year, start.month)
                    if end < start:
                        _refuse(number, line, "放假结束日期早于开始日期")
                days_off = [start + timedelta(days=i) for i in range((end - start).days + 1)]
                if g[8] is not None and int(g[8]) != len(days_off):
                    _refuse(number, line, f"放假日期共{len(days_off)}天，与“放假{g[8]}天”不符")
                for day in days_off:
                    if day in arrangement.workdays or arrangement.holidays.get(day, name) != name:
                        _refuse(number, line, f"{day.month}月{day.day}日与其他安排重复")
                    arrangement.holidays[day] = name
                found_days_off = True
                continue
            match = _WORKDAYS.match(text)
            if match:
                month = None
                for m in _ONE_DATE.finditer(match.group(1)):
                    if m.group(2) is None and month is None:
                        _refuse(number, line, "上班日期缺少月份")
                    day = _date(number, line, m.groups(), year, month)
                    month = day.month
                    if day.weekday() < 5:
                        _refuse(number, line, f"调休上班日{day.month}月{day.day}日本是工作日")
                    if day in arrangement.holidays:
                        _refuse(number, line, f"{day.month}月{day.day}日同时是放假日")
                    arrangement.workdays[day] = name
                continue
            _refuse(number, line, f"无法理解“{text}”")
    if not found_days_off:
        _refuse(number, line, f"{name}没有放假日期")


# ---------------------------------------------------------------- storage


def _calendar_day_model():
    from cms.calendar.models import CalendarDay

    return CalendarDay


def save_arrangement(arrangement, user=None):
    """Replace the year's calendar rows with ``arrangement`` (flushes; the caller commits)."""
    from cms.extensions import db

    CalendarDay = _calendar_day_model()
    start, end = date(arrangement.year, 1, 1), date(arrangement.year, 12, 31)
    CalendarDay.query.filter(CalendarDay.day >= start, CalendarDay.day <= end).delete(synchronize_session=False)
    for day, is_workday, note in arrangement.days():
        if day.year != arrangement.year:
            # A range may reach into a neighbouring year (元旦 from 31 December): keep that day too.
            db.session.query(CalendarDay).filter(CalendarDay.day == day).delete(synchronize_session=False)
        db.session.add(CalendarDay(day=day, is_workday=is_workday, note=(f"{note}调休上班" if is_workday else note)[:100]))
    if user is not None:
        from cms.accounts.audit import record_audit

        record_audit("calendar.import_notice", user, str(arrangement.year),
                     {"holidays": len(arrangement.holidays), "workdays": len(arrangement.workdays)})
    db.session.flush()
    return len(arrangement.holidays) + len(arrangement.workdays)


def export_year(year):
    """The year's days as JSON-friendly data: entered rows, or else the package's own arrangement."""
    CalendarDay = _calendar_day_model()
    rows = (CalendarDay.query.filter(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day).all())
    days = [{"day": r.day.isoformat(), "is_workday": r.is_workday, "note": r.note} for r in rows]
    source = "entered"
    if not days:
        import chinese_calendar

        source = "chinese-calendar"
        named = {d: n for d, n in chinese_calendar.holidays.items() if d.year == year and n}
        work = {d: n for d, n in chinese_calendar.workdays.items() if d.year == year and n}
        days = sorted([{"day": d.isoformat(), "is_workday": False, "note": n} for d, n in named.items()]
                      + [{"day": d.isoformat(), "is_workday": True, "note": n} for d, n in work.items()],
                      key=lambda x: x["day"])
    if not days:
        raise ValidationError(f"{year}年既未录入，也不在 chinese-calendar 中", fields={"year": "unknown"})
    return {"format": "cms-calendar/1", "year": year, "source": source, "days": days}


def import_year(data, user=None):
    """Load data written by ``export_year`` (replaces that year's rows). Returns the year and day count."""
    if not isinstance(data, dict) or not isinstance(data.get("year"), int) or not isinstance(data.get("days"), list):
        raise ValidationError("文件格式无效：应为 {year, days: [{day, is_workday, note}]}", fields={"file": "invalid"})
    year = data["year"]
    if not 2000 <= year <= 2100:
        raise ValidationError("年份无效", fields={"year": "invalid"})
    arrangement = Arrangement(year=year)
    for index, entry in enumerate(data["days"]):
        try:
            day = date.fromisoformat(entry["day"])
            is_workday = entry["is_workday"]
            note = entry.get("note") or ""
            if not isinstance(is_workday, bool) or not isinstance(note, str):
                raise TypeError
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValidationError(f"第{index + 1}条日期记录无效", fields={"days": f"entry {index + 1}"}) from None
        if abs(day.year - year) > 1:
            raise ValidationError(f"{day.isoformat()} 不属于 {year} 年", fields={"days": f"entry {index + 1}"})
        note = note.removesuffix("调休上班")
        (arrangement.workdays if is_workday else arrangement.holidays)[day] = note
    return year, save_arrangement(arrangement, user)


def year_is_known(year):
    """True when working days of ``year`` can be computed (package data or entered rows)."""
    import chinese_calendar

    if any(d.year == year for d in chinese_calendar.holidays):
        return True
    CalendarDay = _calendar_day_model()
    return CalendarDay.query.filter(CalendarDay.day >= date(year, 1, 1),
                                    CalendarDay.day <= date(year, 12, 31)).first() is not None


def next_year_warning(today):
    """From 1 November: the warning shown to administrators when next year's holidays are missing."""
    if today.month < 11 or year_is_known(today.year + 1):
        return None
    return (f"{today.year + 1}年的节假日安排尚未录入：国务院办公厅公布通知后，请在“工作日历”中粘贴通知全文导入，"
            "否则落在该年的期限将无法计算。")
