"""The yearly summary of proposal handling as XLSX (openpyxl); the same figures feed the annual report."""
import io

from cms.clocks.models import REPLY_CATEGORIES, REPLY_DISCLOSURE, SATISFACTION
from cms.clocks.proposals import summary


def summary_xlsx(organization_ids, year):
    """XLSX bytes: one row per kind with totals, on time, categories, disclosure and satisfaction."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = summary(organization_ids, year)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年建议提案办理"
    headers = (["类型", "件数", "已答复", "按期答复", "逾期答复"]
               + [f"{c}类" for c in REPLY_CATEGORIES] + list(REPLY_DISCLOSURE.values()) + list(SATISFACTION.values()))
    sheet.append([f"{year}年人大代表建议和政协委员提案办理情况汇总"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    totals = [0] * (len(headers) - 1)
    for entry in data.values():
        values = ([entry["total"], entry["replied"], entry["on_time"], entry["late"]]
                  + [entry["category"][c] for c in REPLY_CATEGORIES]
                  + [entry["disclosure"][d] for d in REPLY_DISCLOSURE]
                  + [entry["satisfaction"][s] for s in SATISFACTION])
        totals = [a + b for a, b in zip(totals, values)]
        sheet.append([entry["label"], *values])
    sheet.append(["合计", *totals])
    sheet.column_dimensions["A"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
