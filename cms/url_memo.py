"""Memoized ``url_for`` for templates.

A public list page builds 40-60 links (items, pages, columns), and Flask's ``url_for`` costs tens of
microseconds each (the URL map's builder, URL quoting, url-defaults hooks): a tenth of an uncached page.
The routes never change after start-up, so a link built once is the same string for every request from
the same script root, host and scheme. The memo is bounded (cleared when it holds ``LIMIT`` links); values
that cannot be a dictionary key, and calls outside a request, go to Flask's ``url_for`` unchanged.
"""
from flask import url_for as flask_url_for
from flask.globals import _cv_request  # the request context itself: one lookup instead of two proxies a link

LIMIT = 8_000  # ~480 bytes a link: at most ~4 MB a worker


def memoized_url_for():
    links = {}

    def url_for(endpoint, **values):
        context = _cv_request.get(None)
        if context is None:
            return flask_url_for(endpoint, **values)
        request = context.request
        environ = request.environ
        try:
            key = (endpoint, environ.get("SCRIPT_NAME"), environ.get("HTTP_HOST"), environ.get("wsgi.url_scheme"),
                   request.blueprint if endpoint[:1] == "." else None, frozenset(values.items()) if values else None)
            link = links.get(key)
        except TypeError:  # a list or dict among the values
            return flask_url_for(endpoint, **values)
        if link is None:
            link = flask_url_for(endpoint, **values)
            if len(links) >= LIMIT:
                links.clear()
            links[key] = link
        return link

    url_for.links = links
    return url_for


def item_url_builder(url_for):
    """``item_url(item_id)``: the public page of an item, ``url_for('public.item_detail', item_id=...)``
    built as the route's prefix for this script root plus the id (list pages link 20-60 items)."""
    prefixes = {}

    def item_url(item_id):
        context = _cv_request.get(None)
        if type(item_id) is not int or context is None:
            return url_for("public.item_detail", item_id=item_id)
        root = context.request.environ.get("SCRIPT_NAME", "")
        prefix = prefixes.get(root)
        if prefix is None:
            sample = url_for("public.item_detail", item_id=1)
            if not sample.endswith("/1"):  # not a plain /items/<id> route: build each link
                return url_for("public.item_detail", item_id=item_id)
            prefix = prefixes[root] = sample[:-1]
        return prefix + str(item_id)

    return item_url
