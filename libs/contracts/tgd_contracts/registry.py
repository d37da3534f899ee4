"""Which model each event and RPC payload uses; the source of the schema snapshots."""

from __future__ import annotations

from tgd_contracts.alert import (
    AlertClosed,
    AlertRaised,
    AlertTrigger,
    CloseAlert,
    OutcomeReport,
    OutcomeReported,
    PartnerAcknowledged,
    PartnerClosure,
    PartnerDispatch,
    PartnerReply,
    PositionUpdate,
    Qualification,
    ScriptAnswer,
    TakeAlert,
    TriggerResult,
)
from tgd_contracts.base import Contract
from tgd_contracts.device import DeviceActivated, DeviceProvisioned, DeviceReturned, ForcesInformed
from tgd_contracts.dossier import Dossier
from tgd_contracts.events import EventName, ServiceName
from tgd_contracts.referral import (
    ReferralPage,
    ReferralQuery,
    ReferralReceived,
    ReferralSubmission,
    ReferralView,
    SubmissionResult,
)

#: event name -> (producing service, data model)
EVENTS: dict[EventName, tuple[ServiceName, type[Contract]]] = {
    EventName.REFERRAL_RECEIVED: (ServiceName.REFERRAL, ReferralReceived),
    EventName.DEVICE_PROVISIONED: (ServiceName.DEVICE, DeviceProvisioned),
    EventName.DEVICE_ACTIVATED: (ServiceName.DEVICE, DeviceActivated),
    EventName.DEVICE_RETURNED: (ServiceName.DEVICE, DeviceReturned),
    EventName.FORCES_INFORMED: (ServiceName.NOTIFY, ForcesInformed),
    EventName.ALERT_RAISED: (ServiceName.ALERT, AlertRaised),
    EventName.ALERT_CLOSED: (ServiceName.ALERT, AlertClosed),
    EventName.PARTNER_DISPATCH: (ServiceName.ALERT, PartnerDispatch),
    EventName.PARTNER_CLOSURE: (ServiceName.ALERT, PartnerClosure),
    EventName.PARTNER_ACKNOWLEDGED: (ServiceName.PARTNER, PartnerAcknowledged),
    EventName.OUTCOME_REPORTED: (ServiceName.PARTNER, OutcomeReported),
}

#: RPC payload and result models, snapshotted like events.
RPC_MODELS: tuple[type[Contract], ...] = (
    ReferralSubmission,
    ReferralView,
    ReferralQuery,
    ReferralPage,
    SubmissionResult,
    Dossier,
    AlertTrigger,
    PositionUpdate,
    TakeAlert,
    ScriptAnswer,
    Qualification,
    CloseAlert,
    PartnerReply,
    OutcomeReport,
    TriggerResult,
)


def event_model(event_name: str) -> type[Contract] | None:
    entry = EVENTS.get(event_name)  # type: ignore[call-overload]
    return entry[1] if entry else None


def all_models() -> dict[str, type[Contract]]:
    """Every snapshotted model by its public name."""
    models: dict[str, type[Contract]] = {name.value: model for name, (_, model) in EVENTS.items()}
    models.update({model.__name__: model for model in RPC_MODELS})
    return models
