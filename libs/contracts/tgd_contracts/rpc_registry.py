"""Which RPC payload and result models exist: snapshotted like events. Read through
:mod:`tgd_contracts.registry`."""

from __future__ import annotations

from tgd_contracts.alert import (
    AlertTrigger,
    CloseAlert,
    PositionUpdate,
    Qualification,
    ScriptAnswer,
    TakeAlert,
    TriggerResult,
)
from tgd_contracts.alert_partners import OutcomeReport, PartnerReply
from tgd_contracts.alert_views import AlertHistory, AnsweredAlert, PositionRecorded, QualificationScript
from tgd_contracts.base import Contract
from tgd_contracts.directory import ReferentDirectory
from tgd_contracts.dossier import Dossier
from tgd_contracts.evaluation_decisions import (
    AttributionDecision,
    Consent,
    MeasureView,
    RenewalDecision,
    Requisition,
    Withdrawal,
)
from tgd_contracts.evaluation_report import EvaluationReport
from tgd_contracts.evidence import EvidenceArchive, EvidencePart, RelatedAlerts
from tgd_contracts.follow_up import FollowUpContact, FollowUpPage, FollowUpView
from tgd_contracts.handling import DeviceReplacement, DeviceRetirement, DeviceTransfer, HandOver
from tgd_contracts.instruments import InstrumentList
from tgd_contracts.measure_reads import MeasurePage, MeasureRecord
from tgd_contracts.notice import (
    InformationView,
    NoticeAcknowledgement,
)
from tgd_contracts.orientation import Orientation, OrientationView
from tgd_contracts.reference import CourtList
from tgd_contracts.referral import (
    ReferralPage,
    ReferralQuery,
    ReferralSubmission,
    ReferralView,
    SubmissionResult,
)
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import (
    AuthorReleaseReceipt,
    ReminderAcknowledgement,
    ReminderPage,
    ReminderView,
)
from tgd_contracts.retention import (
    AlertTerritory,
    PositionRetentionAuthorisation,
    PositionRetentionRequest,
    PositionRetentionView,
)
from tgd_contracts.safe_contact import ContactDetails
from tgd_contracts.statistics import (
    AlertFigures,
    AlertStatistics,
    CourtStatistics,
    DeviceFigures,
    DeviceStatistics,
    EvaluationFigures,
    EvaluationStatistics,
    ReferralFigures,
    ReferralStatistics,
    StatisticsQuery,
)
from tgd_contracts.stock import (
    AssignmentPage,
    AssignmentView,
    DeviceRecovery,
    DeviceRegistration,
    DeviceView,
    FicheNavette,
    HomeChange,
    StockPage,
    TestCall,
)

#: RPC payload and result models, snapshotted like events.
RPC_MODELS: tuple[type[Contract], ...] = (
    ReferralSubmission,
    ReferralView,
    ReferralQuery,
    ReferralPage,
    SubmissionResult,
    FollowUpContact,
    FollowUpView,
    FollowUpPage,
    Orientation,
    OrientationView,
    ContactDetails,
    Dossier,
    # attribution lifecycle
    Requisition,
    EvaluationReport,
    Consent,
    AttributionDecision,
    RenewalDecision,
    Withdrawal,
    MeasureView,
    MeasurePage,
    MeasureRecord,
    DeviceRegistration,
    DeviceRecovery,
    DeviceTransfer,
    DeviceRetirement,
    DeviceReplacement,
    HandOver,
    DeviceView,
    StockPage,
    FicheNavette,
    HomeChange,
    TestCall,
    AssignmentView,
    AssignmentPage,
    NoticeAcknowledgement,
    InformationView,
    ReferentDirectory,
    ReminderView,
    ReminderPage,
    ReminderAcknowledgement,
    AuthorRelease,
    AuthorReleaseReceipt,
    InstrumentList,
    CourtList,
    # alert pipeline
    AlertTrigger,
    PositionUpdate,
    TakeAlert,
    ScriptAnswer,
    Qualification,
    CloseAlert,
    PartnerReply,
    OutcomeReport,
    TriggerResult,
    AlertHistory,
    # retention (arrêté du 22 avril 2015)
    PositionRetentionRequest,
    PositionRetentionAuthorisation,
    PositionRetentionView,
    AlertTerritory,
    # the observatory (anonymised aggregates)
    StatisticsQuery,
    ReferralStatistics,
    EvaluationStatistics,
    DeviceStatistics,
    AlertStatistics,
    # the exact figures of a court (its parquet, the steering committee)
    ReferralFigures,
    EvaluationFigures,
    DeviceFigures,
    AlertFigures,
    CourtStatistics,
    # evidence archives (docs/evidence.md)
    EvidencePart,
    RelatedAlerts,
    EvidenceArchive,
    # answers of the alert service (docs/contracts.md)
    AnsweredAlert,
    QualificationScript,
    PositionRecorded,
)
