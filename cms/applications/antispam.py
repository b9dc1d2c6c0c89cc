"""Offline anti-spam for the public form: a honeypot field and a signed time stamp (no third-party captcha).

A robot fills the hidden field or posts faster than a person can type; a replayed stale form is refused
too. The office's channel test uses a signed link that marks the application as a test.
"""
import time

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cms.errors import DomainError

FORM_MAX_AGE = 4 * 3600
TEST_LINK_MAX_AGE = 24 * 3600


class SuspectedSpam(DomainError):
    status = 400
    code = "suspected_spam"


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def form_token():
    return _serializer("apply-form").dumps(time.time())


def check_form(token, honeypot):
    if honeypot:
        raise SuspectedSpam("提交未通过校验，请不要填写隐藏字段后重试")
    try:
        shown_at = _serializer("apply-form").loads(token or "", max_age=FORM_MAX_AGE)
    except SignatureExpired:
        raise SuspectedSpam("表单已过期，请核对内容后重新提交") from None
    except BadSignature:
        raise SuspectedSpam("表单校验失败，请核对内容后重新提交") from None
    if not isinstance(shown_at, (int, float)) or time.time() - shown_at < current_app.config["CMS_APPLY_MIN_SECONDS"]:
        raise SuspectedSpam("提交过快，请核对填写内容后再次提交")


def test_link_token(organization_id, user_id):
    return _serializer("apply-test").dumps({"org": organization_id, "by": user_id})


def test_link_valid(token, organization_id):
    if not token:
        return False
    try:
        data = _serializer("apply-test").loads(token, max_age=TEST_LINK_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("org") == organization_id
