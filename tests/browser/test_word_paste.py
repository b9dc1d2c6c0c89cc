"""A Word paste in the editor: Chinese numbering stays text, centring is kept, script text never appears."""
from cms.content.models import Item
from cms.extensions import db
from tests.browser.conftest import browser_login

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><style>@list l0:level1 {mso-level-number-format:chinese-counting;}</style></head><body>
<p class=MsoNormal align=center style='text-align:center'><b>关于开展文化市场检查的通知</b></p>
<p class=MsoListParagraph style='margin-left:21pt;text-indent:-21pt;mso-list:l0 level1 lfo1'><span
style='mso-list:Ignore'>一、<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span>检查范围</p>
<p class=MsoListParagraph style='margin-left:21pt;text-indent:-21pt;mso-list:l0 level1 lfo1'><span
style='mso-list:Ignore'>二、</span>检查时间</p>
<script>alert(1)</script><p>正文结束</p></body></html>"""

PASTE = """([html, text]) => {
  const target = document.querySelector('.ql-editor');
  target.focus();
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', text);
  target.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_word_paste_keeps_numbering_as_text_and_the_centred_title(page, live_server, demo):
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/new")
    page.fill("#title", "关于开展文化市场检查的通知（粘贴测试）")
    page.evaluate(PASTE, [WORD_HTML, "关于开展文化市场检查的通知 一、检查范围 二、检查时间 正文结束"])
    editor_html = page.inner_html(".ql-editor")
    assert "<ol" not in editor_html and "alert" not in editor_html
    assert "一、" in editor_html and "二、" in editor_html
    page.click("text=保存草稿")
    page.wait_for_url(f"{live_server}/admin/items/*")
    db.session.expire_all()
    item = Item.query.filter_by(title="关于开展文化市场检查的通知（粘贴测试）").one()
    body = item.body_html
    assert "<ol" not in body and "<li" not in body and "alert" not in body
    assert "一、" in body and "检查范围" in body and "二、" in body
    assert 'class="ql-align-center"' in body and "关于开展文化市场检查的通知" in body
