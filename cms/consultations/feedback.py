"""The feedback (意见采纳情况): a draft item linked to the consultation, prefilled with the counts and a table
of the published comments and their handling; reviewed and published like any item. Personal data never
enters it; the bodies of comments that were not published do not either."""
from collections import Counter
from html import escape

from cms.consultations.access import flush_or_conflict, require_manager
from cms.consultations.closing import status_of
from cms.consultations.comments import comments_of
from cms.consultations.models import HANDLINGS, KINDS
from cms.errors import Conflict, NotAllowed
from cms.extensions import db

FEEDBACK_TYPE = "consultation_feedback"


def counts(item_id):
    """The figures of the feedback: received, published, rejected, each handling, not adopted with reasons,
    and the handling by theme."""
    comments = comments_of(item_id)
    handling = Counter(c.handling or "unhandled" for c in comments if c.state != "rejected")
    themes = {}
    for c in comments:
        if c.state == "rejected":
            continue
        theme = themes.setdefault(c.theme or "其他", Counter())
        theme["received"] += 1
        theme[c.handling or "unhandled"] += 1
    return {
        "received": len(comments),
        "published": sum(1 for c in comments if c.state == "published"),
        "rejected": sum(1 for c in comments if c.state == "rejected"),
        "pending": sum(1 for c in comments if c.state == "pending"),
        "adopted": handling["adopted"],
        "partly": handling["partly"],
        "not_adopted": handling["not_adopted"],
        "not_applicable": handling["not_applicable"],
        "unhandled": handling["unhandled"],
        "not_adopted_reasons": [
            {"comment": c.id, "reason": c.handling_reason,
             "body": c.body if c.state == "published" else None}
            for c in comments if c.handling == "not_adopted" and c.state != "rejected"
        ],
        "by_theme": {name: dict(counter) for name, counter in sorted(themes.items())},
    }


def _excerpt(text, limit=200):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"


def feedback_body(item, record):
    """The prefilled body (HTML) of the feedback item."""
    figures = counts(item.id)
    period = f"{record.opens_on.isoformat()}至{record.closes_on.isoformat()}"
    parts = [
        f"<p>本机关于{period}就《{escape(item.title)}》（{KINDS[record.kind]}）公开征求社会公众意见。"
        + (f"征集已于期满前结束，理由：{escape(record.closed_early_reason)}。" if record.closed_early_reason else "")
        + "现将意见采纳情况反馈如下。</p>",
        f"<p>共收到意见{figures['received']}条，其中公开{figures['published']}条；"
        f"采纳{figures['adopted']}条，部分采纳{figures['partly']}条，不予采纳{figures['not_adopted']}条，"
        f"不适用{figures['not_applicable']}条。</p>",
    ]
    if figures["not_adopted_reasons"]:
        parts.append("<p>不予采纳的理由：</p><ol>" + "".join(
            f"<li>{escape(_excerpt(r['body'])) + '：' if r['body'] else ''}{escape(r['reason'] or '')}</li>"
            for r in figures["not_adopted_reasons"]) + "</ol>")
    if figures["by_theme"]:
        parts.append("<p>按主题统计：</p><table><thead><tr><th>主题</th><th>意见数</th><th>采纳</th><th>部分采纳</th>"
                     "<th>不予采纳</th></tr></thead><tbody>" + "".join(
                         f"<tr><td>{escape(name)}</td><td>{c.get('received', 0)}</td><td>{c.get('adopted', 0)}</td>"
                         f"<td>{c.get('partly', 0)}</td><td>{c.get('not_adopted', 0)}</td></tr>"
                         for name, c in figures["by_theme"].items()) + "</tbody></table>")
    published = [c for c in comments_of(item.id, "published")]
    if published:
        parts.append("<p>意见及采纳情况：</p><table><thead><tr><th>序号</th><th>意见摘要</th><th>采纳情况</th>"
                     "<th>说明</th></tr></thead><tbody>" + "".join(
                         f"<tr><td>{n}</td><td>{escape(_excerpt(c.body))}</td>"
                         f"<td>{HANDLINGS.get(c.handling, '待处理')}</td><td>{escape(c.handling_reason or '')}</td></tr>"
                         for n, c in enumerate(published, start=1)) + "</tbody></table>")
    parts.append("<p>感谢社会各界的关心和支持。</p>")
    return "".join(parts)


def _accepting_column(column, actor):
    """The consultation's column takes the feedback type (columns made before the type existed are extended)."""
    if column.accepts_type(FEEDBACK_TYPE):
        return column
    from cms.accounts.audit import record_audit

    column.accepts = list(column.accepts or []) + [FEEDBACK_TYPE]
    record_audit("column.update", actor, target=f"column:{column.code}",
                 details={"accepts": {"added": FEEDBACK_TYPE, "by": "consultation feedback"}})
    db.session.flush()
    return column


def create_feedback(user, item, record):
    """Draft the feedback item of a closed consultation (an editor of the drafting section); one per consultation."""
    from cms.content.services import create_item

    require_manager(user, item)
    if not user.has_role("editor", item.section_id):
        raise NotAllowed("只有起草科室的编辑可以起草意见采纳情况")
    if status_of(record) != "closed":
        raise Conflict("征集尚未结束，不能起草意见采纳情况", fields={"state": status_of(record)})
    if record.feedback_item_id is not None:
        raise Conflict("该征集已有意见采纳情况", fields={"feedback": "exists"}, feedback_item_id=record.feedback_item_id)
    column = _accepting_column(item.column, user)
    feedback = create_item(user, column, section=item.section, type=FEEDBACK_TYPE,
                           title=f"关于《{item.title}》征求意见采纳情况的反馈"[:500], body_html=feedback_body(item, record),
                           five_public="decision", topic=item.topic)
    record.feedback_item_id = feedback.id
    flush_or_conflict("该征集已有意见采纳情况，请刷新后查看")
    return feedback


def consultation_of_feedback(feedback_item):
    """The consultation a feedback item answers (None for other items)."""
    from cms.consultations.models import Consultation

    if feedback_item is None or feedback_item.type != FEEDBACK_TYPE:
        return None
    target = feedback_item.working_copy_of_id or feedback_item.id
    return Consultation.query.filter_by(feedback_item_id=target).first()
