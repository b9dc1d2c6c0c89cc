"""Renditions of an item for the new media channels: pure functions, no database, no Flask.

- WeChat (微信公众号) article: HTML whose every element carries its look in a ``style`` attribute (the
  WeChat editor drops classes, ``<style>`` and scripts), built from the sanitized body; tables get inline
  borders; images point at the item's public attachment URLs; a source link (原文链接) ends the article.
- Toutiao (今日头条) takes the same HTML.
- Weibo (微博) text: ``【title】`` and the summary or the opening of the body (tables left out), at most
  ``WEIBO_LIMIT`` characters, cut at a sentence boundary (。！？；), then a space and the item's public URL.

Counting for Weibo: every character counts as one (a Chinese character is one; so is a Latin letter, which
Weibo counts as half, so our count never undercounts). The link is counted separately: Weibo replaces every
link with a short link of fixed length, so the 140 characters are the text before the link.
"""
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from cms.content.sanitize import clean_html, html_to_text

WEIBO_LIMIT = 140
SENTENCE_ENDS = "。！？；"
SOURCE_LABEL = "原文链接"

BASE_STYLE = "font-size:16px;line-height:1.75;color:#333333;word-wrap:break-word;"
LINK_STYLE = "color:#576b95;text-decoration:none;word-break:break-all;"
STYLES = {
    "p": "margin:0 0 1em 0;text-indent:2em;",
    "h1": "margin:1.2em 0 0.6em 0;font-size:22px;font-weight:bold;text-align:center;",
    "h2": "margin:1.2em 0 0.6em 0;font-size:20px;font-weight:bold;",
    "h3": "margin:1em 0 0.5em 0;font-size:18px;font-weight:bold;",
    "h4": "margin:1em 0 0.5em 0;font-size:17px;font-weight:bold;",
    "h5": "margin:1em 0 0.5em 0;font-size:16px;font-weight:bold;",
    "h6": "margin:1em 0 0.5em 0;font-size:16px;font-weight:bold;",
    "strong": "font-weight:bold;", "b": "font-weight:bold;",
    "em": "font-style:italic;", "i": "font-style:italic;",
    "u": "text-decoration:underline;", "s": "text-decoration:line-through;",
    "sub": "", "sup": "",
    "blockquote": "margin:1em 0;padding:0 0 0 1em;border-left:3px solid #dddddd;color:#666666;",
    "pre": "margin:1em 0;padding:0.5em;background-color:#f6f6f6;font-family:monospace;font-size:14px;"
           "white-space:pre-wrap;",
    "code": "font-family:monospace;font-size:14px;",
    "ul": "margin:0 0 1em 0;padding:0 0 0 2em;", "ol": "margin:0 0 1em 0;padding:0 0 0 2em;",
    "li": "margin:0 0 0.3em 0;",
    "a": LINK_STYLE,
    "img": "display:block;max-width:100%;height:auto;margin:1em auto;",
    "hr": "margin:1.5em 0;border:0;border-top:1px solid #dddddd;",
    "br": "",
    "table": "width:100%;margin:1em 0;border-collapse:collapse;border:1px solid #999999;font-size:14px;",
    "caption": "padding:0.3em 0;font-weight:bold;text-align:center;",
    "thead": "", "tbody": "", "tfoot": "", "tr": "", "colgroup": "", "col": "",
    "th": "padding:6px 8px;border:1px solid #999999;background-color:#f2f2f2;font-weight:bold;"
          "text-align:center;vertical-align:middle;",
    "td": "padding:6px 8px;border:1px solid #999999;vertical-align:top;",
}
VOID = {"br", "hr", "img", "col"}
_KEEP_ATTRS = {"a": ("href", "title"), "img": ("src", "alt", "title", "width", "height"),
               "th": ("colspan", "rowspan"), "td": ("colspan", "rowspan"), "col": ("span",), "ol": ("start",)}
_ALIGN = re.compile(r"\bql-align-(center|right|justify)\b")
_INDENT = re.compile(r"\bql-indent-([1-8])\b")
_ATTACHMENT_PATH = re.compile(r"^/(?:admin/)?attachments/(\d+)(?:/|$)")
_SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)  # a table's cells read as noise


@dataclass(frozen=True)
class AttachmentLink:
    """One attachment of the item as the renditions need it: its id, name, type and absolute public URL."""

    id: int
    filename: str
    content_type: str
    url: str

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class _InlineStyler(HTMLParser):
    """Re-emit sanitized HTML with inline styles only (classes turned into styles, then dropped)."""

    def __init__(self, site_url, attachment_urls):
        super().__init__(convert_charrefs=True)
        self.site_url = site_url.rstrip("/")
        self.attachment_urls = attachment_urls
        self.out = []
        self.used_attachment_ids = set()
        self._skip = 0  # inside an element whose content never goes out (defence in depth)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
            return
        if self._skip or tag not in STYLES:
            return
        values = dict(attrs)
        style = STYLES[tag]
        classes = values.get("class") or ""
        align = _ALIGN.search(classes)
        if align:
            style += f"text-align:{align.group(1)};" + ("text-indent:0;" if tag == "p" else "")
        indent = _INDENT.search(classes)
        if indent:
            style += f"padding-left:{2 * int(indent.group(1))}em;"
        kept = []
        for name in _KEEP_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is None:
                continue
            if tag == "img" and name == "src":
                value = self._image_url(value)
                if value is None:
                    return  # not one of this item's attachments: the image is left out
            if tag == "a" and name == "href":
                value = self._absolute(value)
                if value is None:
                    continue
            kept.append((name, value))
        if tag == "img" and not any(name == "src" for name, _ in kept):
            return
        attrs_out = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in kept)
        style_out = f' style="{escape(style, quote=True)}"' if style else ""
        self.out.append(f"<{tag}{attrs_out}{style_out}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
            return
        if self._skip or tag not in STYLES or tag in VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self._skip:
            self.out.append(escape(data, quote=False))

    def _image_url(self, src):
        match = _ATTACHMENT_PATH.match(src)
        if not match:
            return None
        attachment_id = int(match.group(1))
        url = self.attachment_urls.get(attachment_id)
        if url is not None:
            self.used_attachment_ids.add(attachment_id)
        return url

    def _absolute(self, href):
        if href.startswith("/") and not href.startswith("//"):
            return self.site_url + href
        return href if _SAFE_HREF.match(href) else None


def wechat_html(body_html, public_url, site_url, attachments=()):
    """The WeChat article for an item: inline-styled HTML of the sanitized ``body_html``, images kept as
    ``<img>`` pointing at the item's attachment URLs, image attachments not shown in the body added after
    it, other attachments listed as links, and the source link (原文链接 ``public_url``) at the end."""
    attachments = list(attachments)
    styler = _InlineStyler(site_url, {a.id: a.url for a in attachments})
    styler.feed(clean_html(body_html or ""))
    styler.close()
    parts = [f'<section style="{BASE_STYLE}">', "".join(styler.out)]
    extra_images = [a for a in attachments if a.is_image and a.id not in styler.used_attachment_ids]
    for attachment in extra_images:
        parts.append(f'<img src="{escape(attachment.url, quote=True)}" alt="{escape(attachment.filename, quote=True)}"'
                     f' style="{STYLES["img"]}">')
    files = [a for a in attachments if not a.is_image]
    if files:
        parts.append('<p style="margin:1.5em 0 0.5em 0;font-weight:bold;">附件：</p>')
        for attachment in files:
            parts.append(f'<p style="margin:0 0 0.5em 0;"><a href="{escape(attachment.url, quote=True)}"'
                         f' style="{LINK_STYLE}">{escape(attachment.filename, quote=False)}</a></p>')
    url = escape(public_url, quote=True)
    parts.append(f'<p style="margin:2em 0 0 0;font-size:14px;color:#888888;">{SOURCE_LABEL}：'
                 f'<a href="{url}" style="{LINK_STYLE}">{escape(public_url, quote=False)}</a></p>')
    parts.append("</section>")
    return "".join(parts)


def toutiao_html(body_html, public_url, site_url, attachments=()):
    """Toutiao's editor accepts the same inline-styled HTML as WeChat's."""
    return wechat_html(body_html, public_url, site_url, attachments)


def weibo_length(text):
    """Characters as this module counts them for Weibo (each character is one)."""
    return len(text)


def weibo_text(title, body_html, public_url, summary=None, limit=WEIBO_LIMIT):
    """``【title】`` and the summary (or the body) cut to at most ``limit`` characters at a sentence boundary,
    then a space and ``public_url`` (the link is not counted in ``limit``, see the module docstring)."""
    title = " ".join((title or "").split())
    text = html_to_text(summary) if summary else html_to_text(_TABLE.sub("", clean_html(body_html or "")))
    body = "".join(text.split("\n"))
    body = " ".join(body.split())
    head = f"【{title}】"
    if weibo_length(head) > limit:  # a title longer than a whole post
        return f"{head[:limit - 2]}…】 {public_url}"
    text = head + body
    if weibo_length(text) > limit:
        text = _cut_at_sentence(head, body, limit)
    return f"{text} {public_url}"


def _cut_at_sentence(head, body, limit):
    room = body[:limit - len(head)]
    cut = max(room.rfind(mark) for mark in SENTENCE_ENDS)
    if cut >= 0:
        return head + room[:cut + 1]
    # No sentence ends early enough: a clause boundary, else a hard cut; both marked as cut.
    clause = max(room[:-1].rfind(mark) for mark in "，、：,")
    if clause > 0:
        return head + room[:clause] + "…"
    return head + room[:-1] + "…"
