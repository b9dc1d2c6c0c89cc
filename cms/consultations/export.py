"""Every comment of a consultation as XLSX, for the drafting section (names and contacts in full: only the
owning section and the office may export)."""
from io import BytesIO

from cms.clock import to_local
from cms.consultations.access import require_manager
from cms.consultations.comments import comments_of
from cms.consultations.models import COMMENT_STATES, HANDLINGS

HEADERS = ("编号", "提交时间", "渠道", "姓名", "联系方式", "需要答复", "意见内容", "审核状态", "审核说明",
           "主题", "采纳情况", "理由")
WIDTHS = (8, 18, 8, 12, 22, 10, 60, 10, 20, 14, 12, 40)


def _safe(value):
    # A cell starting with = + - @ would be a formula in a spreadsheet program (CSV/XLSX injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def comments_xlsx(user, item):
    """The XLSX bytes of every comment on ``item``."""
    # openpyxl is imported here, as by the other exports: at module level it added ~20 MB to every worker.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    require_manager(user, item)
    book = Workbook()
    sheet = book.active
    sheet.title = "意见汇总"
    sheet.append([f"《{item.title}》征求意见汇总"[:200]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for comment in comments_of(item.id):
        sheet.append([_safe(v) for v in (
            comment.id, to_local(comment.created_at).strftime("%Y-%m-%d %H:%M"),
            "网站" if comment.channel == "web" else "接口", comment.name or "", comment.contact or "",
            "是" if comment.wants_reply else "否", comment.body, COMMENT_STATES[comment.state],
            comment.moderation_reason or "", comment.theme or "", HANDLINGS.get(comment.handling, "待处理"),
            comment.handling_reason or "")])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=3):
        row[6].alignment = Alignment(wrap_text=True, vertical="top")
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def export_filename(item):
    return f"征求意见汇总-{item.id}.xlsx"
