"""The posting port: a deployment connects the platforms here; this code base makes no network call.

``CMS_CHANNEL_ADAPTER`` names an adapter class as ``package.module:ClassName`` (default: the manual
adapter, staff post by hand and record the URL). An adapter's ``post(item, rendition)`` publishes the
rendition (``{"html": ...}`` or ``{"text": ...}``) and returns the URL of the post, or None when nothing was
posted automatically.
"""
import importlib
import os

from flask import current_app


class ChannelAdapter:
    """Base class: one instance per channel (``wechat``, ``weibo``, ``toutiao``)."""

    name = "base"

    def __init__(self, channel):
        self.channel = channel

    def post(self, item, rendition):  # pragma: no cover - the interface
        raise NotImplementedError


class ManualAdapter(ChannelAdapter):
    """Staff copy the rendition into the platform's editor themselves: nothing is posted here."""

    name = "manual"

    def post(self, item, rendition):
        return None


def get_adapter(channel):
    """The configured adapter for ``channel``."""
    spec = current_app.config.get("CMS_CHANNEL_ADAPTER") or os.environ.get("CMS_CHANNEL_ADAPTER")
    if not spec:
        return ManualAdapter(channel)
    module_name, _, class_name = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, ChannelAdapter)):
        raise TypeError(f"{spec} is not a ChannelAdapter")
    return cls(channel)
