"""Server-side sanitizing: the guarantee behind the rich-text editor, including HTML pasted from Word."""
from cms.content.sanitize import clean_html, html_to_text

WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=ProgId content=Word.Document><style><!-- p.MsoNormal {mso-style-parent:""; font-family:宋体} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<p class=MsoNormal align=center style='text-align:center;mso-line-height-alt:12pt'><b><span style='font-size:16.0pt;font-family:方正小标宋简体'>关于开展文化市场专项整治的通知<span lang=EN-US><o:p></o:p></span></span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>各县区文化主管部门：<o:p></o:p></span></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'><tr><td width=100 style='mso-border-alt:solid'><p class=MsoNormal>序号</p></td><td><p class=MsoNormal>单位</p></td></tr></table>
<p class=MsoNormal><a href="javascript:alert('x')">链接</a> <a href="https://www.gov.cn/">中国政府网</a> <img src="file:///C:/Users/x/image001.png"></p>
</body></html>"""


def test_word_paste_becomes_clean_html():
    cleaned = clean_html(WORD_PASTE)
    for junk in ("mso", "Mso", "<o:p", "<style", "<xml", "font-family", "javascript:", "file:", "<span", "Mso", "<html", "<meta"):
        assert junk not in cleaned, junk
    assert '<p class="ql-align-center"><b>关于开展文化市场专项整治的通知</b></p>' in cleaned  # Word's centring kept
    assert "<table>" in cleaned and "<td><p>序号</p></td>" in cleaned
    assert '<a href="https://www.gov.cn/">中国政府网</a>' in cleaned


def test_scripts_events_and_foreign_images_are_removed():
    cleaned = clean_html('<p onclick="x()">文字</p><script>alert(1)</script><img src="https://evil.example/a.png" onerror="x()">'
                         '<img src="/attachments/12/图.png" alt="图"><iframe src="https://x"></iframe>')
    assert cleaned == '<p>文字</p><img src="/attachments/12/图.png" alt="图">'


def test_links_keep_safe_targets_only():
    cleaned = clean_html('<a href="mailto:ban@example.gov.cn">信箱</a><a href="/items/3">相关</a>'
                         '<a href="data:text/html,x">坏</a><a href="vbscript:x">坏</a>')
    assert '<a href="mailto:ban@example.gov.cn">信箱</a>' in cleaned
    assert '<a href="/items/3">相关</a>' in cleaned
    assert "data:" not in cleaned and "vbscript" not in cleaned


def test_editor_alignment_classes_survive_others_do_not():
    assert clean_html('<p class="ql-align-center">居中</p>') == '<p class="ql-align-center">居中</p>'
    assert clean_html('<p class="evil ql-align-center">x</p>') == '<p class="ql-align-center">x</p>'
    assert clean_html('<p class="evil">x</p>') == "<p>x</p>"
    assert clean_html('<span class="ql-align-center">x</span>') == "x"


def test_html_to_text_keeps_paragraphs():
    assert html_to_text("<p>第一段&nbsp;内容</p><p>第二段</p><br>第三行") == "第一段 内容\n第二段\n第三行"


WORD_LIST_AND_CENTRE = """<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><style>@list l0:level1
{mso-level-number-format:chinese-counting;}</style></head><body>
<p class=MsoNormal align=center style='text-align:center'><b>关于开展文化市场检查的通知</b></p>
<p class=MsoListParagraph style='margin-left:21pt;text-indent:-21pt;mso-list:l0 level1 lfo1'><span
style='mso-list:Ignore'>一、<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span>检查范围</p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>二、</span>检查时间</p>
<p style="TEXT-ALIGN: right">嘉峪关市文化广电局</p><script>alert(1)</script></body></html>"""


def test_word_numbering_stays_text_and_alignment_is_kept():
    html = clean_html(WORD_LIST_AND_CENTRE)
    assert '<p class="ql-align-center"><b>关于开展文化市场检查的通知</b></p>' in html
    assert "<ol" not in html and "<li" not in html
    assert "一、" in html and "二、检查时间" in html
    assert '<p class="ql-align-right">嘉峪关市文化广电局</p>' in html
    assert "alert" not in html and "mso-level" not in html and "MsoNormal" not in html
