"""ORM classes. Importing this package registers every table on Base.metadata."""

from app.models.assessments import SavedFilter, StandardsAssessment, StrengthAssessment
from app.models.base import Base, SyncCounter, SyncMixin, tombstone
from app.models.geo import District, Province
from app.models.people import Credential, Office, User, WorkGroup
from app.models.plan import ApprovalEvent, Plan, PlanActivityRow, PlanActual, PlanMonth
from app.models.registry import Institution, InstitutionYear
from app.models.sync import MasterFile, SyncConflict, SyncPackage, SyncPeer
from app.models.system import AppSetting, AuditEntry, SpecialDay
from app.models.visits import FollowUpItem, TravelPlan, Visit

__all__ = [
    "AppSetting",
    "ApprovalEvent",
    "AuditEntry",
    "Base",
    "Credential",
    "District",
    "FollowUpItem",
    "Institution",
    "InstitutionYear",
    "MasterFile",
    "Office",
    "Plan",
    "PlanActivityRow",
    "PlanActual",
    "PlanMonth",
    "Province",
    "SavedFilter",
    "SpecialDay",
    "StandardsAssessment",
    "StrengthAssessment",
    "SyncConflict",
    "SyncCounter",
    "SyncMixin",
    "SyncPackage",
    "SyncPeer",
    "TravelPlan",
    "User",
    "Visit",
    "WorkGroup",
    "tombstone",
]
