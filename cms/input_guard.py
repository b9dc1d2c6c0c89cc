"""Refuse NUL characters in query strings and form fields before any view runs.

No database text column can hold U+0000 (PostgreSQL refuses it outright), and no legitimate input contains it,
so a request carrying one gets a 400 with a message instead of failing deep inside a query. JSON bodies are
checked in ``cms/blueprints/api/parsing.py``.
"""
from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MESSAGE = "请求中含有非法字符（NUL），请检查后重试。"


class NulInInput(BadRequest):
    description = MESSAGE
    show_description = True  # the error pages show this message rather than the generic one


def contains_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_nul(v) for v in value)
    return False


# Surfaces that clean any text themselves: search strips control characters from the query and answers.
TOLERANT_ENDPOINTS = {"public.search_page", "api.search_api"}


# Ids are 32-bit integer columns: a larger number in a URL is no row at all (404 from routing), never an
# overflow deep inside a query (PostgreSQL: "integer out of range"; SQLite: OverflowError).
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only 0..MAX_ID (more digits than that cannot be an id)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def bounded_id(value):
    """``coerce`` for id fields of forms: an int in 1..MAX_ID, else ValueError (WTForms: invalid choice)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("id out of range")
    return number


class BoundedArgs(ImmutableMultiDict):
    """Query and form values whose ``get(key, type=int)`` treats a number beyond the 32-bit range like a
    non-number (the default), so ``?page=10**30`` or ``?section=...`` never reaches SQL."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default=default, type=type)
        if type is int and isinstance(value, int) and value is not default and not -MAX_ID <= value <= MAX_ID:
            return default
        return value


class GuardedRequest(Request):
    parameter_storage_class = BoundedArgs


def init_input_guard(app):
    # Before any blueprint registers its rules, so every <int:...> is bounded.
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = GuardedRequest

    @app.before_request
    def _refuse_nul():
        if "\x00" in request.path:
            raise NulInInput()
        if request.endpoint in TOLERANT_ENDPOINTS:
            return None
        sources = [request.args]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sources.append(request.form)
        for source in sources:
            for key, values in source.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    raise NulInInput()
        return None
