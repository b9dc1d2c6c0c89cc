"""The annual report as DOCX (official-document layout, as the application letters: A4, 仿宋 body, ruled tables)
and as XLSX (one sheet per table, with the national row and column labels)."""
import io

from cms.reports.annual import TEXT_FIELDS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def official_document():
    """A python-docx Document laid out like the reply letters (A4, margins, 仿宋 三号)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(3.7)
    section.left_margin = section.right_margin = Cm(2.8)
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    style.font.size = Pt(16)
    return document


def _paragraph(document, text, align=None, bold=False, size=None, indent=True, font=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = document.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if font:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return p


def _table(document, header_rows, body_rows, merges=()):
    """A ruled table (style Table Grid) in 仿宋 10.5pt; ``merges`` are ((r1, c1), (r2, c2)) cell ranges."""
    from docx.shared import Pt

    rows = header_rows + body_rows
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = "" if value is None else str(value)
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(10.5)
                    run.bold = r < len(header_rows)
    for (r1, c1), (r2, c2) in merges:
        a, b = table.cell(r1, c1), table.cell(r2, c2)
        text = a.text
        merged = a.merge(b)
        merged.text = text
    return table


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def applications_grid(tables):
    t = tables["applications"]
    cols = t["columns"]
    head = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "", "", "", "", "", ""],
        ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", *[c["label"] for c in cols[1:-1]], ""],
    ]
    body = [[r["label"], *[(r["counts"][c["key"]] if r["counts"] else "") for c in cols]] for r in t["rows"]]
    merges = (((0, 0), (2, 0)), ((0, 1), (0, 7)), ((1, 1), (2, 1)), ((1, 2), (1, 6)), ((1, 7), (2, 7)))
    return head, body, merges


def remedies_grid(tables):
    t = tables["remedies"]
    head = [sum(([g["label"], "", "", "", ""] for g in t["groups"]), []),
            [c["label"] for _ in t["groups"] for c in t["columns"]]]
    body = [[g["counts"][c["key"]] for g in t["groups"] for c in t["columns"]]]
    merges = tuple(((0, 5 * i), (0, 5 * i + 4)) for i in range(len(t["groups"])))
    return head, body, merges


def active_grids(tables):
    t = tables["active"]
    docs = ([["信息内容", *[c["label"] for c in t["documents"]["columns"]]]],
            [[r["label"], *[r["counts"][c["key"]] for c in t["documents"]["columns"]]] for r in t["documents"]["rows"]])
    decisions = ([["信息内容", t["decisions"]["column"]]], [[r["label"], r["count"]] for r in t["decisions"]["rows"]])
    fees = ([["信息内容", t["fees"]["column"]]], [[t["fees"]["label"], t["fees"]["amount"] or ""]])
    return (("第二十条第（一）项", docs), ("第二十条第（五）项、第（六）项、第（八）项", decisions),
            ("第二十条第（八）项", fees))


def render_docx(report):
    """The report as DOCX bytes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = official_document()
    inputs = report.inputs or {}
    _paragraph(document, report.item.title, WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22, indent=False,
               font="方正小标宋简体")
    heading = dict(indent=True, font="黑体")
    _paragraph(document, TEXT_FIELDS["overview"], **heading)
    for line in _lines(inputs.get("overview")):
        _paragraph(document, line)
    _paragraph(document, "二、主动公开政府信息情况", **heading)
    for caption, (head, body) in active_grids(report.tables):
        _paragraph(document, caption, WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=12)
        _table(document, head, body)
    _paragraph(document, "三、收到和处理政府信息公开申请情况", **heading)
    _table(document, *applications_grid(report.tables))
    _paragraph(document, "四、政府信息公开行政复议、行政诉讼情况", **heading)
    _table(document, *remedies_grid(report.tables))
    _paragraph(document, TEXT_FIELDS["problems"], **heading)
    for line in _lines(inputs.get("problems")):
        _paragraph(document, line)
    _paragraph(document, TEXT_FIELDS["other"], **heading)
    for line in _lines(inputs.get("other")):
        _paragraph(document, line)
    fees = inputs.get("processing_fees")
    _paragraph(document, f"本年度本机关依据《政府信息公开信息处理费管理办法》收取信息处理费{fees}元。"
               if fees and fees != "0.00" else "本年度本机关未收取信息处理费。")
    _paragraph(document, report.organization.name, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_xlsx(report):
    """The report's tables as XLSX bytes: one sheet per table, national labels, header cells merged."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    workbook = Workbook()
    workbook.remove(workbook.active)

    def sheet(title, blocks):
        ws = workbook.create_sheet(title)
        row = 1
        for caption, head, body, merges in blocks:
            if caption:
                ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
                row += 1
            start = row
            for r, values in enumerate(head + body):
                for c, value in enumerate(values):
                    cell = ws.cell(row=row + r, column=c + 1, value=value if value != "" else None)
                    cell.border = border
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
                    if r < len(head):
                        cell.font = Font(bold=True)
            for (r1, c1), (r2, c2) in merges:
                ws.merge_cells(start_row=start + r1, start_column=c1 + 1, end_row=start + r2, end_column=c2 + 1)
            row += len(head) + len(body) + 1
        ws.column_dimensions["A"].width = 48
        return ws

    sheet("二、主动公开", [(caption, head, body, ()) for caption, (head, body) in active_grids(report.tables)])
    head, body, merges = applications_grid(report.tables)
    sheet("三、申请情况", [(None, head, body, merges)])
    head, body, merges = remedies_grid(report.tables)
    sheet("四、行政复议行政诉讼", [(None, head, body, merges)])
    checks = workbook.create_sheet("一致性校验")
    checks.append(["校验项", "结果", "说明"])
    for c in report.checks:
        checks.append([c["title"], "通过" if c["passed"] else "未通过", c["message"]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
