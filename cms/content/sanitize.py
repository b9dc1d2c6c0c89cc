"""Server-side HTML sanitizing with bleach: the guarantee behind the rich-text editor.

Whatever the browser sends (including HTML pasted from Word), only an allowlist of structural tags,
tables, links with http/https/mailto/relative targets and images from our own attachments survives.
"""
import re
from html import unescape

import bleach

ALLOWED_TAGS = [
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "pre", "code",
    "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
]
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "title", "width", "height"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "col": ["span"],
    "ol": ["start"],
}
# Alignment and indentation come from the editor as classes (inline styles would need a weaker CSP).
_CLASS_VALUE = re.compile(r"^(ql-align-(center|right|justify)|ql-indent-[1-8])( (ql-align-(center|right|justify)|ql-indent-[1-8]))*$")
_CLASS_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]
_ATTACHMENT_SRC = re.compile(r"^/(attachments|admin/attachments)/\d+(/[^\s\"'<>]*)?$")
# Word and Office markup whose content is not text: drop the element and everything inside.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|xml|head|title|iframe|object|embed|template|noscript)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_CONDITIONAL_COMMENTS = re.compile(r"<!--.*?-->|<!\[if[^\]]*\]>|<!\[endif\]>", re.DOTALL)
_OFFICE_TAGS = re.compile(r"</?(o|w|m|v|st1):[^>]*>", re.IGNORECASE)
_EMPTY_PARAS = re.compile(r"<p>(\s|&nbsp;|\u00a0)*</p>")


_BLOCK_START = re.compile(r"<(p|h[1-6]|li|blockquote)(\s[^>]*)?>", re.IGNORECASE)
_ALIGN = re.compile(r"""(?:\balign\s*=\s*["']?|text-align\s*:\s*)(center|right|justify)\b""", re.IGNORECASE)
_QL_CLASS = re.compile(r"\bql-(?:align-(?:center|right|justify)|indent-[1-8])\b")


def _normalize_block(match):
    """Keep a block's alignment (Word: ``align=center`` or ``text-align:center``) as the editor's class.

    Inline styles would need a weaker CSP, and Word's own classes (MsoNormal ...) mean nothing here, so a
    block start tag keeps only the editor's alignment/indent classes.
    """
    tag, attrs = match.group(1).lower(), match.group(2) or ""
    classes = _QL_CLASS.findall(attrs)
    align = _ALIGN.search(attrs)
    if align and not any(c.startswith("ql-align-") for c in classes):
        classes.insert(0, f"ql-align-{align.group(1).lower()}")
    return f'<{tag} class="{" ".join(classes)}">' if classes else f"<{tag}>"


def _filter_attributes(tag, name, value):
    if tag == "img" and name == "src":
        return bool(_ATTACHMENT_SRC.match(value))
    if name == "class":
        return tag in _CLASS_TAGS and bool(_CLASS_VALUE.match(value.strip()))
    return name in ALLOWED_ATTRIBUTES.get(tag, [])


def clean_html(html: str | None) -> str:
    """Return ``html`` reduced to the allowlist; safe to render unescaped on public pages."""
    if not html:
        return ""
    text = _CONDITIONAL_COMMENTS.sub("", html)
    text = _DROP_WITH_CONTENT.sub("", text)
    text = _OFFICE_TAGS.sub("", text)
    text = _BLOCK_START.sub(_normalize_block, text)
    attributes = {tag: _filter_attributes for tag in ALLOWED_TAGS}
    cleaned = bleach.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=attributes,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    cleaned = re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned)  # images whose source was refused
    # The editor shows images through the back office; the stored body names the public address.
    cleaned = re.sub(r'(<img\b[^>]*\ssrc=")/admin/attachments/', r"\1/attachments/", cleaned)
    cleaned = re.sub(r"<a>(.*?)</a>", r"\1", cleaned, flags=re.DOTALL)  # links whose target was refused
    cleaned = _EMPTY_PARAS.sub("", cleaned)
    return cleaned.strip()


_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|blockquote|pre|table)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(html: str | None) -> str:
    """Plain text of ``html`` (paragraphs on their own lines), for search, fingerprints and feeds."""
    if not html:
        return ""
    text = _BLOCK_END.sub("\n", html)
    text = re.sub(r"<[^>]+>", "", text)
    text = unescape(text).replace("\u00a0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
