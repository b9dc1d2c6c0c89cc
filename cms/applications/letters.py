"""Reply letters (政府信息公开申请答复书): one text, rendered as HTML for the screen and DOCX for printing.

The letter states the result with its legal basis and the remedy channels for that result: a 不予公开 reply
must go to administrative reconsideration first (Administrative Reconsideration Law as revised in 2024);
any other reply may go to reconsideration within 60 days or to court within 6 months.
"""
import io
from dataclasses import dataclass

from cms.applications.types import APPLICANT_TYPES, CHANNELS, RESULT_REASONS, RESULTS

# The article of the Regulations on Open Government Information (2019) each result rests on.
LEGAL_BASIS = {
    ("disclosed", None): "第二十七条、第三十六条第（二）项",
    ("partly_disclosed", None): "第三十七条",
    ("withheld", 1): "第十四条",
    ("withheld", 2): "第十四条",
    ("withheld", 3): "第十四条",
    ("withheld", 4): "第十五条、第三十二条",
    ("withheld", 5): "第十六条第一款",
    ("withheld", 6): "第十六条第二款",
    ("withheld", 7): "第十六条第二款",
    ("withheld", 8): "第三十六条第（七）项",
    ("unavailable", 1): "第三十六条第（四）项",
    ("unavailable", 2): "第三十八条",
    ("unavailable", 3): "第三十条",
    ("not_processed", 1): "第三十九条第一款",
    ("not_processed", 2): "第三十六条第（六）项",
    ("not_processed", 3): "第三十九条第二款",
    ("not_processed", 4): "第三十五条",
    ("not_processed", 5): "第三十九条第二款",
    ("other", 1): "第三十条",
    ("other", 2): "第四十二条",
}

OPENINGS = {
    "disclosed": "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开。",
    "partly_disclosed": "经审查，您申请获取的政府信息中含有依法不应当公开的内容，本机关对可以公开的部分予以公开。",
    "withheld": "经审查，您申请获取的政府信息{reason}，本机关决定不予公开。",
    "unavailable": "经审查，您申请获取的政府信息{reason}，本机关无法提供。",
    "not_processed": "经审查，您的申请{reason}，本机关不予处理。",
    "other": "{reason}。",
}


@dataclass
class Letter:
    title: str
    code: str
    letter_no: str
    addressee: str
    paragraphs: list
    remedy: str
    signer: str
    date: str
    is_test: bool
    code_label: str = "申请编号"


DEFAULT_LETTER_PATTERN = "依申〔{year}〕{n}号"


def format_letter_number(pattern, year, n):
    """``pattern`` with ``{year}`` and ``{n}`` filled in; a pattern without ``{n}`` gets the number appended."""
    pattern = pattern or DEFAULT_LETTER_PATTERN
    if "{n}" not in pattern:
        pattern += "{n}号"
    return pattern.replace("{year}", str(year)).replace("{n}", str(n))


def validate_letter_pattern(pattern):
    """A usable pattern names the sequence ({n}), may name the year, and has no other placeholders."""
    from cms.errors import ValidationError

    pattern = (pattern or "").strip()
    rest = pattern.replace("{year}", "").replace("{n}", "")
    if not pattern or "{n}" not in pattern or "{" in rest or "}" in rest or len(pattern) > 80:
        raise ValidationError("文号格式须包含 {n}（序号），可包含 {year}（年份），如：嘉文广依申〔{year}〕{n}号",
                              fields={"pattern": "invalid"})
    return pattern


def assign_letter_number(application):
    """Number the reply letter at the sign-off: sequential per organization and year, gap-free (a rolled-back
    sign-off gives its number back). Test applications are not numbered."""
    from cms.applications.models import LetterCounter
    from cms.workflow.sequences import next_sequence

    if application.letter_no or application.is_test:
        return application.letter_no
    year = application.replied_on.year
    n = next_sequence(application.organization_id, year, counter=LetterCounter)
    application.letter_no = format_letter_number(application.organization.letter_number_pattern, year, n)
    return application.letter_no


def _cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日" if day else "（未答复）"


def remedy_text(application):
    org = application.organization
    organ = org.reconsideration_organ or "本级人民政府"
    court = org.court or "有管辖权的人民法院"
    if application.result == "withheld":
        return (f"如对本答复不服，可以自收到本答复之日起60日内向{organ}申请行政复议；"
                f"对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向{court}提起行政诉讼。")
    return (f"如对本答复不服，可以自收到本答复之日起60日内向{organ}申请行政复议，"
            f"或者自收到本答复之日起6个月内依法向{court}提起行政诉讼。")


def build_letter(application, full=False):
    """The letter's text. ``full`` only for the applicant and the desk: anyone else (the section drafting the
    reply, the leader signing it off) sees the addressee masked exactly as the API masks it."""
    from cms.applications.masking import applicant_view

    a = application
    reason_label = RESULT_REASONS.get(a.result, {}).get(a.result_reason, "")
    basis = LEGAL_BASIS.get((a.result, a.result_reason)) or LEGAL_BASIS.get((a.result, None))
    opening = OPENINGS.get(a.result, "").format(reason=reason_label)
    if basis:
        opening += f"依据《中华人民共和国政府信息公开条例》{basis}的规定，特此答复。"
    received = _cn_date(a.received_on)
    request = (f"本机关于{received}收到您通过{CHANNELS.get(a.channel, a.channel)}方式提出的政府信息公开申请"
               f"（申请编号：{a.code}），申请获取：{a.description}")
    if a.document_hint:
        request += f"（{a.document_hint}）"
    paragraphs = [request.rstrip("。") + "。", opening]
    if a.extension_days:
        paragraphs.append(f"因{a.extension_reason or '需要'}，经本机关政府信息公开工作机构负责人同意，"
                          f"答复期限延长{a.extension_days}个工作日，已告知申请人。")
    paragraphs.extend(p.strip() for p in (a.reply_text or "").splitlines() if p.strip())
    person = applicant_view(a, full=full)
    addressee = person["applicant_name"]
    if a.applicant_type != "person" and a.contact_person:
        addressee += f"（联系人：{person['contact_person']}）"
    return Letter(
        title="政府信息公开申请答复书",
        code=a.code,
        letter_no=a.letter_no or "",
        addressee=addressee + "：",
        paragraphs=paragraphs,
        remedy=remedy_text(a),
        signer=a.organization.name,
        date=_cn_date(a.replied_on),
        is_test=a.is_test,
    )


def render_html(application, full=False):
    from flask import render_template

    return render_template("applications/letter.html", letter=build_letter(application, full=full))


def render_docx(application, full=False):
    """The letter as DOCX bytes (python-docx), laid out for A4 printing; ``full`` as for ``build_letter``."""
    return official_docx(build_letter(application, full=full))


def official_docx(letter):
    """Any ``Letter`` as DOCX bytes in the official-document layout (A4, 仿宋 三号, centred title)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
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

    def paragraph(text, align=None, bold=False, size=None, indent=True):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        return p

    if letter.is_test:
        paragraph("【测试申请，不计入统计】", WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if letter.letter_no:
        paragraph(letter.letter_no, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(letter.title, WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22, indent=False)
    paragraph(f"{letter.code_label}：{letter.code}", WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    paragraph(letter.addressee, indent=False)
    for text in letter.paragraphs:
        paragraph(text)
    if letter.remedy:
        paragraph(letter.remedy)
    # The seal (印章) is pressed over the signer and date: leave room above them, as official letters do.
    for _ in range(2):
        paragraph("", indent=False)
    seal = paragraph("（印章）", WD_ALIGN_PARAGRAPH.RIGHT, indent=False, size=12)
    seal.paragraph_format.right_indent = Cm(2.5)
    paragraph(letter.signer, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    paragraph(letter.date, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def applicant_type_label(application):
    return APPLICANT_TYPES.get(application.applicant_type, "")


def result_text(application):
    return RESULTS.get(application.result, "")
