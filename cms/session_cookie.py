"""Flask's signed-cookie sessions, with the signing serializer built once per set of keys.

Flask builds a new ``URLSafeTimedSerializer`` whenever a session is opened or saved, and itsdangerous checks
each new one by serializing an empty dict: about a sixth of the cost of a request that does nothing. The
serializer holds nothing per request, so one is kept while the secret key and its fallbacks stay the same.
"""
from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._kept = (None, None)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept_keys, serializer = self._kept
        if serializer is None or kept_keys != keys:
            serializer = super().get_signing_serializer(app)
            self._kept = (keys, serializer)
        return serializer
