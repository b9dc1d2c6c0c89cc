"""Every model module, imported in one place so the metadata is complete."""
from cms.accounts.models import AuditLog, Membership, Organization, Section, User  # noqa: F401
from cms.content.models import Attachment, Column, ColumnRedirect, ColumnReference, Item, ItemNearKey, ItemRevision  # noqa: F401
from cms.workflow.models import IndexCounter, WorkflowHistory  # noqa: F401
from cms.accounts.tokens import ApiToken  # noqa: F401
from cms.notifications.models import Notification  # noqa: F401
from cms.search.models import SearchDocument, SearchOutbox  # noqa: F401
from cms.applications.models import Application, CalendarDay  # noqa: F401
