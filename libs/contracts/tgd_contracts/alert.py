"""Alert contracts (seed 002 §E): the device platform's trigger, the operator's
qualification (régulation), the dispatch to the forces and the association on
``tgd.partners``, their acknowledgements and the intervention's outcome.

Events on ``alert.events`` carry ids and facts, never identity; the partner dispatch
(``partner_dispatch`` on ``tgd.partners``) carries the position and the dossier, for
the forces that must act on them.

The shared words live in :mod:`tgd_contracts.alert_terms`, the partner messages in
:mod:`tgd_contracts.alert_partners`; every alert model is importable from here.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, Field, StrictBool

from tgd_contracts.alert_partners import (
    DispatchKind,
    Located,
    OutcomeReport,
    OutcomeReported,
    PartnerAcknowledged,
    PartnerClosure,
    PartnerDispatch,
    PartnerPosition,
    PartnerReply,
    PositionStatus,
    Recipient,
    RoutingBasis,
)
from tgd_contracts.alert_terms import (
    AlertState,
    Id,
    InterventionResult,
    JournalEntry,
    Note,
    Position,
    QualificationOutcome,
    Segment,
)
from tgd_contracts.base import Contract

__all__ = [
    "AlertClosed",
    "AlertRaised",
    "AlertState",
    "AlertTestCall",
    "AlertTrigger",
    "CloseAlert",
    "DispatchKind",
    "Id",
    "InterventionResult",
    "JournalEntry",
    "Located",
    "Note",
    "OutcomeReport",
    "OutcomeReported",
    "PartnerAcknowledged",
    "PartnerClosure",
    "PartnerDispatch",
    "PartnerPosition",
    "PartnerReply",
    "Position",
    "PositionStatus",
    "PositionUpdate",
    "Qualification",
    "QualificationOutcome",
    "Recipient",
    "RoutingBasis",
    "ScriptAnswer",
    "Segment",
    "TakeAlert",
    "TriggerResult",
]


class AlertTrigger(Contract):
    """What the device platform sends when the alert key is pressed (déclenchement)."""

    device_id: Id
    press_id: Id = Field(description="The platform's id of this press: a retry with the same id is not a new press.")
    triggered_at: AwareDatetime
    position: Position | None = None


class PositionUpdate(Contract):
    """A later position of a device with an open alert."""

    device_id: Id
    position: Position


class AlertRaised(Contract):
    """Event ``alert_raised``: a new alert is held (ids and its court, no identity)."""

    SCHEMA_VERSION = "1.1.0"  # jurisdiction added: the operator's live list shows the line at once

    alert_id: Id
    device_id: Id
    attribution_id: Id | None = None
    raised_at: datetime
    flags: list[str] = Field(default_factory=list)
    jurisdiction: Segment | None = None


class AlertClosed(Contract):
    """Event ``alert_closed``: for statistics (nature and outcome, no identity)."""

    alert_id: Id
    jurisdiction: Segment | None = None
    raised_at: datetime
    closed_at: datetime
    outcome: QualificationOutcome | None = None
    automatic: StrictBool
    result: InterventionResult | None = None


class AlertTestCall(Contract):
    """Event ``alert_test_call``: the operator qualified a press of the alert key as a test
    call (appel test): it counts toward the beneficiary's test call every 15 days."""

    __test__ = False

    alert_id: Id
    device_id: Id
    attribution_id: Id
    called_at: AwareDatetime = Field(description="When she pressed the key (the first press of the alert).")
    qualified_at: AwareDatetime


# -- RPC payloads (operator and partners through the gateway) ---------------------
class TakeAlert(Contract):
    operator: Id


class ScriptAnswer(Contract):
    """One answer to the closed-question script (trame de questions fermées)."""

    operator: Id
    question_id: Segment
    answer: Segment
    note: Note | None = Field(default=None, description="What was said, recorded with the time.")


class Qualification(Contract):
    operator: Id
    outcome: QualificationOutcome
    note: Note | None = None


class CloseAlert(Contract):
    operator: Id
    note: Note | None = None


class TriggerResult(Contract):
    alert_id: Id
    joined: StrictBool = Field(description="True when the press joined an open incident.")
    duplicate: StrictBool = Field(description="True when this press id was already recorded.")
    flags: list[str]
