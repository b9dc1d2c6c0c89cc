"""Every model module, imported in one place so the metadata is complete."""
from cms.accounts.models import AuditLog, Membership, Organization, Section, User  # noqa: F401
from cms.content.models import Attachment, Column, ColumnRedirect, ColumnReference, Item, ItemNearKey, ItemRevision  # noqa: F401
from cms.workflow.models import DueReminder, IndexCounter, StageApproval, WorkflowDefinition, WorkflowHistory  # noqa: F401
from cms.accounts.tokens import ApiToken  # noqa: F401
from cms.accounts.sessions import UserSession  # noqa: F401
from cms.notifications.models import Notification  # noqa: F401
from cms.search.models import SearchDocument, SearchOutbox  # noqa: F401
from cms.applications.models import Application  # noqa: F401
from cms.calendar.models import CalendarDay  # noqa: F401
from cms.accounts.models import Delegation  # noqa: F401
from cms.ratelimit.models import RateLimitHit  # noqa: F401
from cms.reports.models import AnnualReport, Remedy  # noqa: F401
from cms.content.locks import EditLock  # noqa: F401
from cms.jobs.models import JobHeartbeat  # noqa: F401
from cms.clocks.models import (  # noqa: F401
    BudgetDetail, ClockReminder, Incident, IncidentClock, IncidentItem, Proposal, ProposalOpinion,
)
from cms.applications.documents import ApplicationDocument  # noqa: F401
from cms.channels.models import ChannelPost, ChannelSetting, ItemChannel  # noqa: F401
from cms.content.interpretation_models import InterpretationDue, InterpretationSetting  # noqa: F401
from cms.cleanups.models import CleanupDecision  # noqa: F401
from cms.consultations.models import Consultation, ConsultationComment, ConsultationSetting  # noqa: F401
from cms.content.preview import ItemPreviewKey  # noqa: F401
from cms.site.models import SiteSettings  # noqa: F401
