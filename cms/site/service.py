"""Reading and changing the site settings.

Public pages read the settings on every request (footer): a request looks up the settings version (one
primary-key read) and reuses the process's copy while it is unchanged. The version is part of every cached
public page's validator, so no cached page keeps an old footer, in any worker.
"""
import re
import threading
from dataclasses import dataclass

from cms.accounts.audit import record_audit
from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.site.models import SiteSettings

TEXT_FIELDS = {  # name: max length
    "host_org": 200, "site_code": 40, "icp_record": 100, "police_record": 100,
}
CONTACT_FIELDS = {"address": 300, "phone": 60, "email": 200}
HTML_FIELDS = ("privacy_html", "guide_html", "rules_html")
MAX_HTML = 200_000
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SITE_CODE_RE = re.compile(r"^[0-9A-Za-z]{1,40}$")


@dataclass(frozen=True)
class SiteView:
    """An immutable copy of the settings for templates (safe to share between requests)."""

    host_org: str = ""
    site_code: str = ""
    icp_record: str = ""
    police_record: str = ""
    contact_address: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    privacy_html: str = ""
    guide_html: str = ""
    rules_html: str = ""
    version: int = 0

    @property
    def has_contact(self):
        return bool(self.contact_address or self.contact_phone or self.contact_email)

    def as_dict(self):
        return {
            "host_org": self.host_org, "site_code": self.site_code, "icp_record": self.icp_record,
            "police_record": self.police_record,
            "contact": {"address": self.contact_address, "phone": self.contact_phone,
                        "email": self.contact_email},
            "privacy_html": self.privacy_html, "guide_html": self.guide_html, "rules_html": self.rules_html,
            "version": self.version,
        }


_lock = threading.Lock()
_cached = {"view": None}


def _view(row):
    if row is None:
        return SiteView()
    return SiteView(
        host_org=row.host_org, site_code=row.site_code, icp_record=row.icp_record,
        police_record=row.police_record, contact_address=row.contact_address, contact_phone=row.contact_phone,
        contact_email=row.contact_email, privacy_html=row.privacy_html, guide_html=row.guide_html,
        rules_html=row.rules_html, version=row.version,
    )


def current(known_version=None):
    """The site settings (a ``SiteView``): one primary-key lookup of the version per request, the rest
    from the process cache while the version is unchanged (so every worker sees a change at once).
    ``known_version``: the version the caller has just read in its own statement (no second lookup)."""
    from flask import g, has_app_context

    if has_app_context() and "site_view" in g:
        return g.site_view
    stored = known_version
    if stored is None:
        stored = db.session.query(SiteSettings.version).filter(SiteSettings.id == 1).scalar() or 0
    with _lock:
        view = _cached["view"]
    if view is None or view.version != stored:
        view = _view(db.session.get(SiteSettings, 1))
        with _lock:
            _cached["view"] = view
    if has_app_context():
        g.site_view = view
    return view


def invalidate():
    from flask import g, has_app_context

    with _lock:
        _cached["view"] = None
    if has_app_context():
        g.pop("site_view", None)


def version():
    """The settings version (0 before anything was set): part of cached pages' validators."""
    return current().version


def _clean_text(name, value, limit, errors):
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = "wrong_type"
        return ""
    value = " ".join(value.split())
    if len(value) > limit:
        errors[name] = "too_long"
    return value


def update(actor, data, expected_version):
    """Change the settings from ``data`` (the API shape); ``expected_version`` must match (stale -> 409).

    Only admins may change them; privacy/guide/rules HTML goes through the content sanitizer.
    """
    from cms.content.sanitize import clean_html

    if actor is None or not actor.is_admin:
        raise NotAllowed("只有系统管理员可以修改网站设置")
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ValidationError("缺少或无效的版本号（version）", fields={"version": "required"})
    row = db.session.get(SiteSettings, 1)
    current_version = row.version if row is not None else 0
    if expected_version != current_version:
        raise Conflict("网站设置已被他人修改，请刷新后重试", current_version=current_version)
    errors, values = {}, {}
    for name, limit in TEXT_FIELDS.items():
        if name in data:
            values[name] = _clean_text(name, data[name], limit, errors)
    contact = data.get("contact")
    if contact is not None:
        if not isinstance(contact, dict):
            errors["contact"] = "wrong_type"
        else:
            for name, limit in CONTACT_FIELDS.items():
                if name in contact:
                    values[f"contact_{name}"] = _clean_text(f"contact.{name}", contact[name], limit, errors)
    for name in HTML_FIELDS:
        if name in data:
            value = data[name]
            if value is not None and not isinstance(value, str):
                errors[name] = "wrong_type"
            elif value and len(value) > MAX_HTML:
                errors[name] = "too_long"
            else:
                values[name] = clean_html(value or "") if (value or "").strip() else ""
    if values.get("contact_email") and not _EMAIL_RE.match(values["contact_email"]):
        errors["contact.email"] = "invalid"
    if values.get("site_code") and not _SITE_CODE_RE.match(values["site_code"]):
        errors["site_code"] = "invalid"
    if errors:
        raise ValidationError("网站设置有误：" + "，".join(sorted(errors)), fields=errors)
    if row is None:
        row = SiteSettings(id=1, version=0)
        db.session.add(row)
    changed = sorted(k for k, v in values.items() if getattr(row, k, None) != v)
    for name, value in values.items():
        setattr(row, name, value)
    row.version = current_version + 1
    row.updated_by_id = actor.id
    record_audit("site.settings", actor, target="site", details={"changed": changed})
    db.session.flush()
    invalidate()
    return row
