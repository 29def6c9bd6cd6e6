"""Domain state and rules. Importing the package registers every table on SQLModel.metadata."""

from models.acknowledgement import Acknowledgement, AcknowledgementReminder, AcknowledgementRequest
from models.attachment import MemoAttachment
from models.audit import AuditEntry, AuditHead
from models.cycle import CycleItem
from models.document_register import DocumentRegisterCounter, DocumentRegisterEntry
from models.head_statement import HeadStatement
from models.ita import ItaCatalogue, ItaItem, ItaPositionChoice, ItaWork, ItaWorkMemo
from models.memo import Decision, Memo, MemoEnding, MemoRoute, Revision, StageRecord, StageReturn
from models.notification import (
    Escalation,
    LineAccount,
    NotificationChannel,
    NotificationCode,
    NotificationLog,
    NotificationPreference,
    SecurityNotice,
    WorkArrival,
    WorkNotice,
)
from models.orchestration import FlowSignal, ProofreadReport
from models.organisation import Delegation, Holding, Organisation, Person, Position, StagePermission, Unit
from models.publication import Publication, PublicationCancellation, PublicationChannel
from models.publication_request import PublicationRequest
from models.reading import MemoReading
from models.register import RegisterCounter, RegisterEntry
from models.routing import Chain, ChainStep, ChainVersion
from models.web import LoginAttempt, SavedDraft, WebSession

__all__ = [
    "Acknowledgement",
    "AcknowledgementReminder",
    "AcknowledgementRequest",
    "AuditEntry",
    "AuditHead",
    "Chain",
    "CycleItem",
    "ChainStep",
    "ChainVersion",
    "Decision",
    "DocumentRegisterCounter",
    "DocumentRegisterEntry",
    "Delegation",
    "Escalation",
    "FlowSignal",
    "HeadStatement",
    "Holding",
    "ItaCatalogue",
    "ItaItem",
    "ItaPositionChoice",
    "ItaWork",
    "ItaWorkMemo",
    "LineAccount",
    "LoginAttempt",
    "Memo",
    "MemoAttachment",
    "MemoEnding",
    "MemoReading",
    "MemoRoute",
    "NotificationChannel",
    "NotificationCode",
    "NotificationLog",
    "NotificationPreference",
    "ProofreadReport",
    "PublicationCancellation",
    "PublicationChannel",
    "PublicationRequest",
    "Organisation",
    "Person",
    "Position",
    "Publication",
    "RegisterCounter",
    "RegisterEntry",
    "Revision",
    "SecurityNotice",
    "SavedDraft",
    "StagePermission",
    "StageRecord",
    "StageReturn",
    "Unit",
    "WebSession",
    "WorkArrival",
    "WorkNotice",
]
