"""Items as workflow subjects: see ``cms.content.workflow`` (kept so existing imports keep working)."""
from cms.content.workflow import _publish, _retract  # noqa: F401
