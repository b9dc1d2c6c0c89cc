"""The public's comments: submitting (form and API), moderation (publish / reject), handling (采纳情况), and
how comments are shown: masked outside the owning section and the office, names as 张* on the public page."""
from cms import clock
from cms.applications.masking import mask_email, mask_name, mask_phone
from cms.clocks import parsing
from cms.consultations.access import can_manage, can_see, flush_or_conflict, require_manager
from cms.consultations.closing import require_open
from cms.consultations.models import COMMENT_STATES, HANDLINGS, ConsultationComment
from cms.errors import Conflict, NotFound, ValidationError
from cms.extensions import db

MAX_BODY = 2000
COMMENT_FIELDS = ("body", "name", "contact", "wants_reply")
# Moderation: the transition, the states it leaves, the state it enters.
TRANSITIONS = {"publish": (("pending", "rejected"), "published"), "reject": (("pending", "published"), "rejected")}


def clean_comment(data):
    """Validate a comment from the public: ``{body, name?, contact?, wants_reply?}``."""
    parsing.check_unknown(data, COMMENT_FIELDS)
    body = data.get("body")
    if isinstance(body, str) and len(body.strip()) > MAX_BODY:
        raise ValidationError(f"意见内容不能超过 {MAX_BODY} 字", fields={"body": "too_long"})
    body = parsing.text(body, "body", MAX_BODY)
    name = parsing.text(data.get("name"), "name", 100, required=False)
    contact = parsing.text(data.get("contact"), "contact", 200, required=False)
    wants_reply = data.get("wants_reply", False)
    if wants_reply is None:
        wants_reply = False
    if not isinstance(wants_reply, bool):
        raise ValidationError("wants_reply 应为布尔值", fields={"wants_reply": "wrong_type"})
    if wants_reply and not contact:
        raise ValidationError("需要答复的，请留下联系方式", fields={"contact": "required_for_reply"})
    return {"body": body, "name": name, "contact": contact, "wants_reply": wants_reply}


def submit_comment(item, record, data, channel="web", now=None):
    """A comment from the public on an open consultation; it waits for moderation (``pending``)."""
    values = clean_comment(data)
    require_open(record, now)
    comment = ConsultationComment(item_id=item.id, channel=channel, state="pending", **values)
    db.session.add(comment)
    db.session.flush()
    return comment


def get_comment_for(user, comment_id):
    comment = db.session.get(ConsultationComment, comment_id) if 0 < comment_id < 2**31 else None
    if comment is None or not can_see(user, comment.item):
        raise NotFound("意见不存在或您无权查看")
    return comment


def _check_version(comment, version):
    if version is None:
        return
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("version 应为整数", fields={"version": "wrong_type"})
    if version != comment.version:
        raise Conflict("该意见已被他人处理，请刷新后重试", fields={"version": "stale"},
                       current_version=comment.version)


def moderate(user, comment, name, reason=None, version=None):
    """Publish or reject a comment (the owning section or the office); a rejection may give a reason."""
    if name not in TRANSITIONS:
        raise ValidationError("name 取值无效，可选：publish, reject", fields={"name": "invalid"})
    reason = parsing.text(reason, "reason", 1000, required=False)
    require_manager(user, comment.item)
    _check_version(comment, version)
    sources, target = TRANSITIONS[name]
    if comment.state not in sources:
        raise Conflict(f"意见当前为“{COMMENT_STATES[comment.state]}”，不能执行该操作",
                       fields={"state": comment.state})
    comment.state = target
    comment.moderation_reason = reason
    comment.moderated_by_id, comment.moderated_at = user.id, clock.utcnow()
    flush_or_conflict("该意见已被他人处理，请刷新后重试")
    return comment


def handle(user, comment, data):
    """Record how a comment was handled: ``{handling, reason, theme?, version?}``; not_adopted needs a reason."""
    parsing.check_unknown(data, ("handling", "reason", "theme", "version"))
    handling = parsing.choice(data.get("handling"), "handling", HANDLINGS)
    reason = parsing.text(data.get("reason"), "reason", 2000, required=handling == "not_adopted")
    theme = parsing.text(data.get("theme"), "theme", 50, required=False)
    require_manager(user, comment.item)
    _check_version(comment, data.get("version"))
    comment.handling, comment.handling_reason = handling, reason
    if "theme" in data:
        comment.theme = theme
    comment.handled_by_id, comment.handled_at = user.id, clock.utcnow()
    flush_or_conflict("该意见已被他人处理，请刷新后重试")
    return comment


def comments_of(item_id, state=None):
    query = ConsultationComment.query.filter_by(item_id=item_id)
    if state is not None:
        query = query.filter_by(state=state)
    return query.order_by(ConsultationComment.id).all()


def mask_contact(contact):
    if not contact:
        return contact
    return mask_email(contact) if "@" in contact else mask_phone(contact)


def public_name(name):
    """A name on the public page: its first character and a star (张*); anonymous when none was given."""
    name = (name or "").strip()
    return f"{name[0]}*" if name else "匿名"


def comment_to_json(comment, user):
    """A comment as staff see it: name and contact in full only for the owning section and the office."""
    full = can_manage(user, comment.item)
    return {
        "id": comment.id,
        "consultation": comment.item_id,
        "body": comment.body,
        "name": comment.name if full else (mask_name(comment.name) or None),
        "contact": comment.contact if full else mask_contact(comment.contact),
        "wants_reply": comment.wants_reply,
        "state": comment.state,
        "moderation_reason": comment.moderation_reason,
        "handling": comment.handling,
        "handling_reason": comment.handling_reason,
        "theme": comment.theme,
        "version": comment.version,
        "created_at": comment.created_at.isoformat() + "Z",
        "masked": not full,
    }
