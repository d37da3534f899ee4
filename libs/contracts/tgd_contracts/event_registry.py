"""Which model each event uses, who produces and consumes it, and which events travel to
and from partners (``tgd.partners``, ``tgd.partner-replies``). Read through
:mod:`tgd_contracts.registry`."""

from __future__ import annotations

from tgd_contracts.alert import AlertClosed, AlertRaised, AlertTestCall
from tgd_contracts.alert_partners import (
    OutcomeReported,
    PartnerAcknowledged,
    PartnerClosure,
    PartnerDispatch,
    PartnerPosition,
)
from tgd_contracts.base import Contract
from tgd_contracts.device import (
    BeneficiaryMoved,
    DeviceActivated,
    DeviceProvisioned,
    DeviceReturned,
    DossierChanged,
    ForcesInformed,
)
from tgd_contracts.evaluation import (
    AttributionDecided,
    AttributionExpired,
    AttributionExpiring,
    AttributionRenewed,
    AttributionWithdrawn,
    EvaluationCompleted,
    EvaluationRequested,
)
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.handling import DeviceReplaced
from tgd_contracts.notice import (
    AttributionNotice,
    NoticeAcknowledged,
    NoticeEscalation,
)
from tgd_contracts.partners import Audience, MessageKind
from tgd_contracts.referral import (
    ReferralReceived,
)
from tgd_contracts.reminders import (
    PartnerReminder,
    RequisitionOverdue,
)
from tgd_contracts.stock import (
    DeviceOutOfStock,
    TestCallDue,
    TestCallOverdue,
)

#: event name -> (producing service, data model)
EVENTS: dict[EventName, tuple[ServiceName, type[Contract]]] = {
    EventName.REFERRAL_RECEIVED: (ServiceName.REFERRAL, ReferralReceived),
    EventName.DEVICE_PROVISIONED: (ServiceName.DEVICE, DeviceProvisioned),
    EventName.DEVICE_ACTIVATED: (ServiceName.DEVICE, DeviceActivated),
    EventName.DEVICE_RETURNED: (ServiceName.DEVICE, DeviceReturned),
    EventName.BENEFICIARY_MOVED: (ServiceName.DEVICE, BeneficiaryMoved),
    EventName.DEVICE_REPLACED: (ServiceName.DEVICE, DeviceReplaced),
    EventName.DOSSIER_CHANGED: (ServiceName.DEVICE, DossierChanged),
    EventName.FORCES_INFORMED: (ServiceName.NOTIFY, ForcesInformed),
    EventName.EVALUATION_REQUESTED: (ServiceName.EVALUATION, EvaluationRequested),
    EventName.EVALUATION_COMPLETED: (ServiceName.EVALUATION, EvaluationCompleted),
    EventName.ATTRIBUTION_DECIDED: (ServiceName.EVALUATION, AttributionDecided),
    EventName.ATTRIBUTION_RENEWED: (ServiceName.EVALUATION, AttributionRenewed),
    EventName.ATTRIBUTION_EXPIRING: (ServiceName.EVALUATION, AttributionExpiring),
    EventName.ATTRIBUTION_WITHDRAWN: (ServiceName.EVALUATION, AttributionWithdrawn),
    EventName.ATTRIBUTION_EXPIRED: (ServiceName.EVALUATION, AttributionExpired),
    EventName.DEVICE_OUT_OF_STOCK: (ServiceName.DEVICE, DeviceOutOfStock),
    EventName.TEST_CALL_DUE: (ServiceName.DEVICE, TestCallDue),
    EventName.TEST_CALL_OVERDUE: (ServiceName.DEVICE, TestCallOverdue),
    EventName.REQUISITION_OVERDUE: (ServiceName.EVALUATION, RequisitionOverdue),
    EventName.PARTNER_REMINDER: (ServiceName.NOTIFY, PartnerReminder),
    EventName.ATTRIBUTION_NOTICE: (ServiceName.NOTIFY, AttributionNotice),
    EventName.NOTICE_ESCALATION: (ServiceName.NOTIFY, NoticeEscalation),
    EventName.ALERT_RAISED: (ServiceName.ALERT, AlertRaised),
    EventName.ALERT_CLOSED: (ServiceName.ALERT, AlertClosed),
    EventName.ALERT_TEST_CALL: (ServiceName.ALERT, AlertTestCall),
    EventName.PARTNER_DISPATCH: (ServiceName.ALERT, PartnerDispatch),
    EventName.PARTNER_CLOSURE: (ServiceName.ALERT, PartnerClosure),
    EventName.PARTNER_POSITION: (ServiceName.ALERT, PartnerPosition),
    EventName.PARTNER_ACKNOWLEDGED: (ServiceName.PARTNER, PartnerAcknowledged),
    EventName.OUTCOME_REPORTED: (ServiceName.PARTNER, OutcomeReported),
    EventName.NOTICE_ACKNOWLEDGED: (ServiceName.PARTNER, NoticeAcknowledged),
}

#: Optional: who consumes an event (services, or partner audiences for partner messages).
#: Read by the AsyncAPI document (receive operations); an event without an entry has none.
CONSUMERS: dict[EventName, tuple[ServiceName | Audience, ...]] = {
    EventName.REFERRAL_RECEIVED: (ServiceName.EVALUATION,),
    EventName.DEVICE_PROVISIONED: (ServiceName.NOTIFY,),
    EventName.ALERT_TEST_CALL: (ServiceName.DEVICE,),
    EventName.BENEFICIARY_MOVED: (ServiceName.NOTIFY, ServiceName.ALERT),
    EventName.DEVICE_REPLACED: (ServiceName.NOTIFY, ServiceName.ALERT),
    EventName.ATTRIBUTION_NOTICE: (Audience.POLICE, Audience.GENDARMERIE),
    EventName.NOTICE_ESCALATION: (Audience.COMMAND,),
    EventName.PARTNER_REMINDER: (Audience.PARQUET, Audience.ASSOCIATION, Audience.TELEASSISTANCE, Audience.BAV),
    EventName.ATTRIBUTION_WITHDRAWN: (ServiceName.DEVICE, ServiceName.NOTIFY),
    EventName.ATTRIBUTION_EXPIRED: (ServiceName.DEVICE, ServiceName.NOTIFY),
    EventName.ATTRIBUTION_EXPIRING: (ServiceName.NOTIFY,),
    EventName.EVALUATION_COMPLETED: (ServiceName.NOTIFY,),
    EventName.REQUISITION_OVERDUE: (ServiceName.NOTIFY,),
    EventName.TEST_CALL_DUE: (ServiceName.NOTIFY,),
    EventName.TEST_CALL_OVERDUE: (ServiceName.NOTIFY,),
    EventName.DEVICE_OUT_OF_STOCK: (ServiceName.NOTIFY,),
    EventName.PARTNER_DISPATCH: (Audience.POLICE, Audience.GENDARMERIE, Audience.ASSOCIATION, Audience.COMMAND),
    EventName.PARTNER_CLOSURE: (Audience.POLICE, Audience.GENDARMERIE, Audience.ASSOCIATION, Audience.COMMAND),
    EventName.PARTNER_POSITION: (Audience.POLICE, Audience.GENDARMERIE, Audience.COMMAND),
    EventName.PARTNER_ACKNOWLEDGED: (ServiceName.ALERT,),
    EventName.OUTCOME_REPORTED: (ServiceName.ALERT,),
    EventName.NOTICE_ACKNOWLEDGED: (ServiceName.NOTIFY,),
}

#: Optional: processes that consume an event only as a wake-up for a live view, through a
#: transient queue of their own (server-named, exclusive, auto-delete, no acknowledgement:
#: a lost message is caught up by the view's periodic re-read). The gateway's live list
#: of open alerts (``GET /v1/alerts/stream``, ``gateway.alert_events``).
LIVE_VIEW_CONSUMERS: dict[EventName, tuple[str, ...]] = {
    EventName.ALERT_RAISED: ("gateway",),
    EventName.ALERT_CLOSED: ("gateway",),
}

#: Optional: events that are also published on the partner exchange ``tgd.partners``
#: (routing key ``<audience>.<territory>.<unit>.<kind>``), with the kinds they are sent as
#: (an alert dispatch goes out as a dispatch, or as an escalation to the next recipient).
PARTNER_EVENTS: dict[EventName, tuple[MessageKind, ...]] = {
    EventName.ATTRIBUTION_NOTICE: (MessageKind.NOTICE,),
    EventName.NOTICE_ESCALATION: (MessageKind.ESCALATION,),
    EventName.PARTNER_REMINDER: (MessageKind.REMINDER,),
    EventName.PARTNER_DISPATCH: (MessageKind.DISPATCH, MessageKind.ESCALATION),
    EventName.PARTNER_CLOSURE: (MessageKind.CLOSURE,),
    EventName.PARTNER_POSITION: (MessageKind.POSITION,),
}

#: Partners' replies, published on ``tgd.partner-replies`` (never on an events exchange)
#: with the key ``<audience>.<territory>.<unit>.<reply kind>``, and who may send them.
PARTNER_REPLY_EVENTS: dict[EventName, tuple[MessageKind, tuple[Audience, ...]]] = {
    EventName.PARTNER_ACKNOWLEDGED: (MessageKind.ACKNOWLEDGEMENT, tuple(Audience)),
    EventName.OUTCOME_REPORTED: (MessageKind.OUTCOME, (Audience.POLICE, Audience.GENDARMERIE, Audience.COMMAND)),
    EventName.NOTICE_ACKNOWLEDGED: (MessageKind.NOTICE_ACKNOWLEDGEMENT, (Audience.POLICE, Audience.GENDARMERIE)),
}

#: messages published to partners on the ``tgd.partners`` exchange (name -> model).
PARTNER_MESSAGES: dict[str, type[Contract]] = {str(name): EVENTS[name][1] for name in PARTNER_EVENTS}

#: replies partners publish on the ``tgd.partner-replies`` exchange (name -> model).
PARTNER_REPLIES: dict[str, type[Contract]] = {str(name): EVENTS[name][1] for name in PARTNER_REPLY_EVENTS}


def event_model(event_name: str) -> type[Contract] | None:
    entry = EVENTS.get(event_name)  # type: ignore[call-overload]
    return entry[1] if entry else None
