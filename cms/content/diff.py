"""What a revision changes, as a reviewer reads it: per field, in Chinese, inline by characters.

Chinese has no spaces between words, so a line diff marks whole paragraphs; diff-match-patch compares by
characters and its semantic cleanup merges the fragments back into readable runs.
"""
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch

from cms.content.sanitize import html_to_text
from cms.content.types import DISCLOSURE, FIVE_PUBLIC, ITEM_TYPES, VALIDITY

FIELD_LABELS = {
    "title": "标题", "summary": "摘要", "body_html": "正文", "doc_number": "文号", "written_date": "成文日期",
    "topic": "主题分类", "validity": "有效性", "validity_changed_on": "有效性变更日期", "disclosure": "公开属性",
    "withheld_reason": "不予公开理由", "five_public": "五公开", "normative": "规范性文件", "type": "信息类型",
    "column_id": "栏目", "interprets_id": "所解读的政策文件", "attachments": "附件",
    "interpretation_form": "解读形式",
}
_CHOICES = {"validity": VALIDITY, "disclosure": DISCLOSURE, "five_public": FIVE_PUBLIC, "type": ITEM_TYPES}
# Unchanged text longer than this is shortened to its two ends, so a one-character edit in a long body
# shows where it is without repeating the whole document.
CONTEXT_CHARS = 80
_EQUAL, _DELETE, _INSERT = 0, -1, 1


@dataclass
class FieldChange:
    """One changed field: ``segments`` are ``(op, text)`` with op in 'equal', 'delete', 'insert', 'skip'."""

    name: str
    label: str
    old: str
    new: str
    segments: list = field(default_factory=list)
    added: list = field(default_factory=list)  # attachments only
    removed: list = field(default_factory=list)


def display_value(name, value):
    """A field's value as a reviewer reads it (labels for codes, 是/否 for flags)."""
    if value is None or value == "":
        return ""
    if name == "body_html":
        return html_to_text(value)
    if name == "normative":
        return "是" if value else "否"
    if name in _CHOICES:
        return _CHOICES[name].get(value, str(value))
    return str(value)


def inline_segments(old: str, new: str):
    """Character-level insertions and deletions between two texts, cleaned up to readable runs."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 1.0  # bounded work on very long bodies
    diffs = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(diffs)
    segments = []
    for index, (op, text) in enumerate(diffs):
        if op == _EQUAL:
            if len(text) > 2 * CONTEXT_CHARS + 10:
                head = text[:CONTEXT_CHARS] if index > 0 else ""
                tail = text[-CONTEXT_CHARS:] if index < len(diffs) - 1 else ""
                if head:
                    segments.append(("equal", head))
                segments.append(("skip", f"……（省略 {len(text) - len(head) - len(tail)} 字）……"))
                if tail:
                    segments.append(("equal", tail))
            else:
                segments.append(("equal", text))
        else:
            segments.append(("delete" if op == _DELETE else "insert", text))
    return segments


def field_changes(old: dict, new: dict, fields):
    """The changes from snapshot ``old`` to ``new`` over ``fields`` (plus attachments), in that order."""
    changes = []
    for name in tuple(fields) + ("attachments",):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        label = FIELD_LABELS.get(name, name)
        if name == "attachments":
            before = [x["filename"] for x in a or []]
            after = [x["filename"] for x in b or []]
            before_keys = {(x["filename"], x.get("sha256")) for x in a or []}
            after_keys = {(x["filename"], x.get("sha256")) for x in b or []}
            added = [x["filename"] for x in b or [] if (x["filename"], x.get("sha256")) not in before_keys]
            removed = [x["filename"] for x in a or [] if (x["filename"], x.get("sha256")) not in after_keys]
            if added or removed:
                changes.append(FieldChange(name, label, "、".join(before), "、".join(after), added=added,
                                           removed=removed))
            continue
        old_text, new_text = display_value(name, a), display_value(name, b)
        if old_text == new_text:
            continue
        changes.append(FieldChange(name, label, old_text, new_text, inline_segments(old_text, new_text)))
    return changes


def typed_changes(item, typed: dict):
    """How the values a person typed (``typed``: field → value) differ from ``item`` as saved now."""
    from cms.content.sanitize import clean_html
    from cms.content.services import EDITABLE_FIELDS, snapshot

    saved = snapshot(item)
    mine = dict(saved)
    for name, value in typed.items():
        if name in EDITABLE_FIELDS:
            if name == "body_html":
                value = clean_html(value or "")
            mine[name] = value.isoformat() if hasattr(value, "isoformat") else (value if value != "" else None)
    return [c for c in field_changes(saved, mine, EDITABLE_FIELDS) if c.name != "attachments"]
