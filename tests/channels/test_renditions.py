"""Renditions are pure functions: WeChat HTML with inline styles only, Weibo text cut at a sentence."""
import re

from cms.channels.renditions import (
    WEIBO_LIMIT, AttachmentLink, toutiao_html, wechat_html, weibo_length, weibo_text,
)

SITE = "https://wgj.example.gov.cn"
URL = SITE + "/items/7"
PHOTO = AttachmentLink(31, "现场照片.png", "image/png", SITE + "/attachments/31/%E7%8E%B0.png")
PLAN = AttachmentLink(32, "检查方案.pdf", "application/pdf", SITE + "/attachments/32/plan.pdf")
BODY = (
    '<p class="ql-align-center">各文化经营单位：</p>'
    "<p>为确保春节期间文化市场安全，现将有关事项通知如下。</p>"
    "<table><thead><tr><th>检查对象</th><th>时间</th></tr></thead>"
    "<tbody><tr><td>网吧</td><td colspan=\"1\">1月20日</td></tr></tbody></table>"
    '<p><img src="/admin/attachments/31/photo.png" alt="检查现场"></p>'
    '<p><img src="/attachments/99/other.png" alt="别处的图"></p>'
    '<p><a href="/columns/notices">通知公告</a> <a href="javascript:alert(1)">坏链接</a></p>'
    "<script>alert(1)</script><style>p{color:red}</style>"
)


def test_wechat_html_is_inline_styled_with_table_borders_images_and_source_link():
    html = wechat_html(BODY, URL, SITE, [PHOTO, PLAN])
    assert "class=" not in html and "<script" not in html and "<style" not in html and "alert(1)" not in html
    # every element carries its look inline
    for tag in re.findall(r"<(\w+)[ >]", html):
        assert tag in ("section", "p", "table", "thead", "tbody", "tr", "th", "td", "img", "a")
    assert re.search(r'<table style="[^"]*border:1px solid #999999', html)
    assert re.search(r'<td colspan="1" style="[^"]*border:1px solid #999999', html)
    assert re.search(r'<th style="[^"]*border:1px solid', html)
    assert '<p style="margin:0 0 1em 0;text-indent:2em;text-align:center;text-indent:0;">各文化经营单位：</p>' in html
    # the body's image points at the item's public attachment URL; an image of another item is left out
    assert f'<img src="{PHOTO.url}" alt="检查现场" style="' in html
    assert "other.png" not in html and "别处的图" not in html
    assert html.count("<img") == 1  # the photo is in the body already: not added again
    # relative links become absolute on the public site; unsafe ones lose their href
    assert f'href="{SITE}/columns/notices"' in html
    assert "javascript" not in html and "坏链接" in html
    # non-image attachments are listed, and the source link ends the article
    assert f'href="{PLAN.url}"' in html and "检查方案.pdf" in html
    assert html.endswith(f'原文链接：<a href="{URL}" style="color:#576b95;text-decoration:none;word-break:break-all;">'
                         f"{URL}</a></p></section>")


def test_image_attachments_not_in_the_body_are_added():
    html = wechat_html("<p>正文。</p>", URL, SITE, [PHOTO])
    assert f'<img src="{PHOTO.url}" alt="现场照片.png"' in html


def test_text_is_escaped():
    html = wechat_html("<p>a &lt;b&gt; &amp; c</p>", URL, SITE)
    assert "a &lt;b&gt; &amp; c" in html


def test_toutiao_reuses_the_wechat_html():
    assert toutiao_html(BODY, URL, SITE, [PHOTO]) == wechat_html(BODY, URL, SITE, [PHOTO])


def _text_part(result):
    text, url = result.rsplit(" ", 1)
    assert url == URL
    return text


def test_weibo_short_text_is_kept_whole_with_the_link():
    result = weibo_text("关于春节安全检查的通知", "<p>各单位：请做好安全检查。</p>", URL)
    assert result == f"【关于春节安全检查的通知】各单位：请做好安全检查。 {URL}"


def test_weibo_long_text_is_cut_at_a_sentence_boundary():
    body = "".join(f"<p>第{i}项工作要求各单位认真落实安全生产责任制度，加强日常巡查。</p>" for i in range(1, 12))
    body += "<p>请各单位于二月底前报送总结；逾期不报的将予以通报！是否清楚？</p>"
    text = _text_part(weibo_text("关于开展2017年文化市场专项检查的通知", body, URL))
    assert weibo_length(text) <= WEIBO_LIMIT
    assert text[-1] in "。！？；"
    assert text.startswith("【关于开展2017年文化市场专项检查的通知】第1项工作")
    # the cut keeps as many whole sentences as fit
    whole = "【关于开展2017年文化市场专项检查的通知】" + "".join(
        f"第{i}项工作要求各单位认真落实安全生产责任制度，加强日常巡查。" for i in range(1, 12))
    assert whole.startswith(text) and weibo_length(text) > WEIBO_LIMIT - 40


def test_weibo_counts_chinese_characters_as_one():
    body = "<p>" + "文" * 200 + "。</p>"
    text = _text_part(weibo_text("标题", body, URL))
    assert weibo_length(text) <= WEIBO_LIMIT and text.endswith("…")


def test_weibo_prefers_the_summary():
    result = weibo_text("标题", "<p>正文很长。</p>", URL, summary="摘要一句话。")
    assert result == f"【标题】摘要一句话。 {URL}"


def test_weibo_title_longer_than_a_post_is_cut():
    text = _text_part(weibo_text("长" * 300, "<p>正文。</p>", URL))
    assert weibo_length(text) <= WEIBO_LIMIT


def test_weibo_leaves_tables_out():
    result = weibo_text("标题", "<p>请按下表检查。</p><table><tr><td>网吧</td><td>1月20日</td></tr></table><p>特此通知。</p>",
                        URL)
    assert result == f"【标题】请按下表检查。特此通知。 {URL}"
