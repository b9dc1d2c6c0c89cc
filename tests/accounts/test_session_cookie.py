"""cms/session_cookie.py: one signing serializer per set of keys, and sessions behave as Flask's."""
from flask import request as flask_request

from cms.session_cookie import SessionInterface


def test_serializer_is_kept_while_the_keys_stay_and_rebuilt_when_they_change(app, monkeypatch):
    interface = SessionInterface()
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    old_key = app.secret_key
    signed = first.dumps({"user": "甲"})
    monkeypatch.setattr(app, "secret_key", "rotated-secret-key-for-this-test")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old_key])
    rotated = interface.get_signing_serializer(app)
    assert rotated is not first
    assert rotated.loads(signed) == {"user": "甲"}  # a cookie signed with the old key is still read
    assert interface.get_signing_serializer(app) is rotated


def test_a_session_survives_the_round_trip_and_a_forged_cookie_is_dropped(app):
    interface = app.session_interface
    assert isinstance(interface, SessionInterface)
    with app.test_request_context("/"):
        opened = interface.open_session(app, flask_request)
        opened["note"] = "公开"
        response = app.response_class("ok")
        interface.save_session(app, opened, response)
        cookie = response.headers["Set-Cookie"].split(";")[0]
    name, _, value = cookie.partition("=")
    with app.test_request_context("/", headers={"Cookie": cookie}):
        assert interface.open_session(app, flask_request)["note"] == "公开"
    with app.test_request_context("/", headers={"Cookie": f"{name}={value[:-4]}abcd"}):
        assert "note" not in interface.open_session(app, flask_request)
