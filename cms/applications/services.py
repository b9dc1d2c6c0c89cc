"""Filing, finding and moving applications; who may see what."""
import hmac
import secrets

from sqlalchemy import or_

from cms import clock
from cms.accounts.audit import record_audit
from cms.applications import deadlines, notices
from cms.applications.models import Application
from cms.applications.validation import clean_application, normalize_contact
from cms.applications.workflow import desk_org_ids, is_desk
from cms.errors import NotFound, ValidationError
from cms.extensions import db
from cms.workflow.engine import fire, record_history

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


def new_code():
    """A tracking code such as ``YS2026-7KQ9M3XD``: 40 random bits, so codes cannot be guessed."""
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"YS{clock.local_today().year}-{body}"


def _unique_code():
    for _ in range(10):
        code = new_code()
        if not db.session.query(Application.id).filter_by(code=code).first():
            return code
    raise RuntimeError("could not allocate a tracking code")


def desk_organization(user, code=None):
    """The organization whose desk ``user`` staffs (by organization code when given), or None."""
    from cms.accounts.models import Organization

    orgs = desk_org_ids(user)
    if not orgs:
        return None
    if code:
        org = Organization.query.filter_by(code=code).first()
        return org if org is not None and org.id in orgs else None
    return db.session.get(Organization, min(orgs))


def submit_online(organization, data, is_test=False):
    """An application from the public form or the public API; it waits for the desk, which is notified."""
    values = clean_application(data)
    application = Application(organization_id=organization.id, code=_unique_code(), channel="online",
                              state="submitted", is_test=is_test, submitted_at=clock.utcnow(), **values)
    db.session.add(application)
    db.session.flush()
    deadlines.recompute(application)
    record_history(application, None, "submit", None, "submitted", inputs={"test": True} if is_test else None)
    notices.on_submitted(application)
    return application


def register_by_staff(user, organization, data, is_test=False):
    """An application received by letter, fax or in person, entered by the desk with its receipt date."""
    if organization.id not in desk_org_ids(user):
        from cms.errors import NotAllowed

        raise NotAllowed("只有办公室（政府信息公开申请受理）人员可以登记申请")
    values = clean_application(data, staff=True)
    received = values.pop("received_on", None) or clock.local_today()
    if received > clock.local_today():
        raise ValidationError("收到申请之日不能晚于今天", fields={"received_on": "in_future"})
    application = Application(organization_id=organization.id, code=_unique_code(), state="registered",
                              is_test=is_test, received_on=received, clock_start_on=received,
                              created_by_id=user.id, **values)
    db.session.add(application)
    db.session.flush()
    deadlines.recompute(application)
    record_history(application, user, "register", None, "registered",
                   inputs={"channel": application.channel, "received_on": received.isoformat()})
    record_audit("application.register", user, application.code, {"channel": application.channel})
    return application


def correct_applicant(user, application, data, version):
    """The desk corrects the applicant's details or the request (typos, a new phone number) before the reply.

    The same rules as filing apply; the audit log names the fields changed, never their values.
    """
    from cms.errors import Conflict, NotAllowed

    if not is_desk(user, application):
        raise NotAllowed("只有办公室（政府信息公开申请受理）人员可以更正申请信息")
    if application.state in ("replied", "closed"):
        raise Conflict("已答复或已办结的申请不能再更正", fields={"state": application.state})
    if version != application.version:
        raise Conflict("申请已被他人处理，请刷新后重试", fields={"version": "stale"})
    values = clean_application(data)
    changed = sorted(name for name, value in values.items() if getattr(application, name) != value)
    for name in changed:
        setattr(application, name, values[name])
    if changed:
        db.session.flush()
        record_history(application, user, "correct", application.state, application.state,
                       inputs={"fields": changed})
        record_audit("application.correct", user, application.code, {"fields": changed})
    return changed


# --- access -------------------------------------------------------------------------------------------


def _member_sections(user, roles=("editor", "section_chief", "leader")):
    return {m.section_id for m in user.memberships if m.role in roles}


def visible_filter(user):
    """Applications ``user`` may open: the desk sees its organizations'; sections and leaders their own."""
    clauses = []
    orgs = desk_org_ids(user)
    if orgs:
        clauses.append(Application.organization_id.in_(orgs))
    sections = _member_sections(user)
    if sections:
        clauses.append(Application.section_id.in_(sections))
    return or_(*clauses) if clauses else Application.id.is_(None)


def sees_personal_data(user, application):
    """ID numbers and contacts: the desk only."""
    return is_desk(user, application)


def get_for(user, application_id=None, code=None):
    query = Application.query.filter(visible_filter(user))
    application = (query.filter(Application.id == application_id) if application_id is not None
                   else query.filter(Application.code == (code or "").strip().upper())).first()
    if application is None:
        raise NotFound("申请不存在或您无权查看")
    return application


def lookup(code, contact):
    """The application with this code whose phone or e-mail matches ``contact``; None otherwise.

    The answer is the same whether the code is unknown or the contact wrong, so codes cannot be probed.
    """
    code = (code or "").strip().upper()
    wanted = normalize_contact(contact)
    if not code or not wanted or len(code) > 20:
        return None
    application = Application.query.filter_by(code=code).first()
    if application is None:
        return None
    for stored in (application.phone, application.email):
        if stored and hmac.compare_digest(normalize_contact(stored).encode(), wanted.encode()):
            return application
    return None


def transition(application, user, name, expected_version=None, **inputs):
    """Fire a desk transition, with inputs normalized to what the history can store.

    ``expected_version`` is the application's version the decision was made on (stale → Conflict).
    """
    clean = {}
    for key, value in inputs.items():
        if value is None or (isinstance(value, str) and not value.strip() and key != "comment"):
            continue
        clean[key] = value.isoformat() if hasattr(value, "isoformat") else value
    result = fire(application, user, name, expected_version=expected_version, **clean)
    record_audit(f"application.{name}", user, application.code, {"state": application.state})
    return result
