"""The reviewer's diff: per field, Chinese labels, inline by characters, attachments listed."""
from cms.content.diff import field_changes, inline_segments
from cms.content.services import EDITABLE_FIELDS, diff_snapshots


def _snap(**values):
    base = {name: None for name in EDITABLE_FIELDS}
    base.update(title="关于开展文化市场检查的通知", body_html="<p>为规范文化市场秩序，决定开展专项检查。</p>",
                validity="valid", normative=False, attachments=[])
    base.update(values)
    return base


def test_a_changed_character_in_chinese_text_is_marked_inline():
    segments = inline_segments("决定于四月开展专项检查", "决定于五月开展专项检查")
    assert ("delete", "四") in segments and ("insert", "五") in segments
    assert "".join(t for op, t in segments if op != "insert") == "决定于四月开展专项检查"


def test_fields_carry_chinese_labels_and_readable_values():
    changes = diff_snapshots(_snap(), _snap(title="关于开展文化市场专项检查的通知", validity="abolished",
                                            doc_number="嘉文广发〔2017〕31号", written_date="2017-03-01"))
    labels = {c.name: c.label for c in changes}
    assert labels == {"title": "标题", "doc_number": "文号", "written_date": "成文日期", "validity": "有效性"}
    validity = next(c for c in changes if c.name == "validity")
    assert validity.old == "有效" and validity.new == "废止"
    assert "@@" not in repr(changes)


def test_the_body_is_compared_as_text_not_html():
    changes = diff_snapshots(_snap(), _snap(body_html="<p>为规范文化市场秩序，决定开展<strong>全市</strong>专项检查。</p>"))
    (body,) = changes
    assert body.label == "正文" and ("insert", "全市") in body.segments
    assert "<strong>" not in body.new


def test_long_unchanged_text_is_shortened_around_the_change():
    long_text = "甲" * 1000 + "乙" + "丙" * 1000
    segments = inline_segments(long_text, long_text.replace("乙", "丁"))
    assert any(op == "skip" for op, _ in segments)
    assert sum(len(t) for op, t in segments if op == "equal") < 400


def test_attachments_added_and_removed_are_listed():
    old = _snap(attachments=[{"filename": "检查方案.docx", "sha256": "a"}, {"filename": "名单.xlsx", "sha256": "b"}])
    new = _snap(attachments=[{"filename": "检查方案.docx", "sha256": "a"}, {"filename": "结果.pdf", "sha256": "c"}])
    (change,) = field_changes(old, new, EDITABLE_FIELDS)
    assert change.label == "附件" and change.added == ["结果.pdf"] and change.removed == ["名单.xlsx"]
