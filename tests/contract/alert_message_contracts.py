"""Pact message contracts of the alert dispatches (envoi aux partenaires): what police,
gendarmerie, the association and the operations centres (CIC / CORG) rely on in
``partner_dispatch``, ``partner_closure`` and ``partner_position``.

Consumer side: the reference consumer (``tgd_partner_consumer.consumer.parse``, what a
partner's system runs) must accept the expected message, routing key included.
Provider side: the message is built by the alert service's own rules
(``alert.domain`` to raise and qualify, ``alert.domain.routing`` to dispatch and close,
``alert.domain.escalation`` to escalate) and its envelope code, then replayed by Pact.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from pact import match

from alert import domain
from alert.domain import DeviceFacts, escalation, positions, routing
from alert.domain.places import official_places
from alert.domain.script import Script
from alert.domain.territory import Territory
from tgd_contracts.alert import InterventionResult, Position, QualificationOutcome, Recipient
from tgd_contracts.centres import read_centres
from tgd_contracts.envelope import build_envelope
from tgd_contracts.events import EventName
from tgd_contracts.force_directory import read_directory
from tgd_partner_consumer.consumer import parse
from tgd_servicekit.testing.message_pacts import RFC3339, MessageContract, Produced

ID = r"^[0-9a-f]{32}$"
SEGMENT = r"^[a-z0-9-]{1,40}$"
POLICE = Recipient(audience="police", territory="03", unit="csp-montlucon")
GENDARMERIE = Recipient(audience="gendarmerie", territory="03", unit="bta-cusset")
ASSOCIATION = Recipient(audience="association", territory="tj-montlucon", unit="any")
CENTRE = Recipient(audience="command", territory="03", unit="cic-03")  # the CIC where she is
BACKUP = Recipient(audience="command", territory="03", unit="cic-63")  # its backup (directory)
T0 = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
WHERE = Territory(places=official_places(), directory=read_directory(None), centres=read_centres(None))
DOSSIER = {
    "attribution_id": "att-pact-0001",
    "device_id": "dev-pact-0001",
    "jurisdiction": "tj-montlucon",
    "beneficiary": {
        "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": {"street": "1 rue Fictive", "postcode": "03100", "city": "Montluçon", "insee_code": "03185"},
        "geolocation_consent": True,
    },
    "author": {
        "identity": {"surname": "AUTEUR", "first_names": ["Fictif"]},
        "no_contact_order": {"basis": "judicial_supervision", "starts_on": "2026-01-01"},
    },
}

#: (consumer, event, routing key, dispatch kind) each partner's reference consumer accepted
SEEN: list[tuple[str, str, str, str | None]] = []


def _alert(competent: Recipient, other: Recipient) -> domain.Alert:
    device = DeviceFacts(
        device_id="dev-pact-0001",
        known=True,
        active=True,
        attribution_id="att-pact-0001",
        jurisdiction="tj-montlucon",
        department="03",
        competent=competent,
        other_force=other,
        dossier=DOSSIER,  # she consented to geolocation
    )
    position = Position(lat=46.3401, lon=2.6025, accuracy_m=18.5, fixed_at=T0)
    return domain.raise_alert(
        alert_id=domain.new_id(), device=device, press_id="press-pact-1", triggered_at=T0, position=position, now=T0
    )


def _danger(alert: domain.Alert) -> list[routing.Outgoing]:
    danger = QualificationOutcome.DANGER
    domain.qualify(alert, Script(questions=()), operator="op-pact", outcome=danger, note=None, now=T0)
    return routing.after_qualification(alert, T0, None, WHERE)


def _produced(alert: domain.Alert, outgoing: routing.Outgoing) -> Produced:
    envelope = build_envelope(
        source_service="alert",
        event_name=outgoing.event_name,
        subject=alert.alert_id,
        data=outgoing.data,
        traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
    )
    assert outgoing.routing_key is not None
    return Produced(envelope, "tgd.partners", outgoing.routing_key)


def _to(outgoing: list[routing.Outgoing], recipient: Recipient, event: EventName) -> routing.Outgoing:
    (found,) = [o for o in outgoing if o.recipient == recipient and o.event_name == event]
    return found


def produce_dispatch_to(recipient: Recipient):
    """Danger qualified: the competent force (police or gendarmerie) and the association."""

    def produce() -> Produced:
        competent, other = (GENDARMERIE, POLICE) if recipient == GENDARMERIE else (POLICE, GENDARMERIE)
        alert = _alert(competent, other)
        return _produced(alert, _to(_danger(alert), recipient, EventName.PARTNER_DISPATCH))

    return produce


def produce_escalation_to_backup_centre() -> Produced:
    """The CIC never acknowledged: sent again, then escalated to its backup centre."""
    alert = _alert(POLICE, GENDARMERIE)
    _danger(alert)
    policy = escalation.Policy()
    later = T0 + policy.ack_delay
    escalation.due_actions(alert, later, policy, None, WHERE)  # the centre again
    escalated = escalation.due_actions(alert, later + policy.ack_delay, policy, None, WHERE)
    return _produced(alert, _to(escalated, BACKUP, EventName.PARTNER_DISPATCH))


def produce_position_to_centre() -> Produced:
    """Her new position during the dispatched alert, to the centre already alerted."""
    alert = _alert(POLICE, GENDARMERIE)
    _danger(alert)
    later = T0 + timedelta(seconds=40)
    domain.add_position(alert, Position(lat=46.3425, lon=2.6071, accuracy_m=9.5, fixed_at=later), later)
    return _produced(alert, _to(positions.position_messages(alert, later, WHERE), CENTRE, EventName.PARTNER_POSITION))


def produce_closure_to_police() -> Produced:
    """The police reports its intervention (compte rendu): every partner is told it is closed."""
    alert = _alert(POLICE, GENDARMERIE)
    _danger(alert)
    closing = routing.report_outcome(alert, POLICE, InterventionResult.ON_SITE, None, T0 + timedelta(minutes=9))
    return _produced(alert, _to(closing, POLICE, EventName.PARTNER_CLOSURE))


def reference_consumer(consumer: str):
    """The partner's system: the reference consumer's validation of the raw message."""

    def handle(envelope, data, metadata) -> None:
        received = parse(json.dumps(envelope.model_dump(mode="json")).encode(), metadata["routingKey"])
        kind = getattr(received.data, "kind", None)
        SEEN.append((consumer, received.envelope.event_name, received.routing_key, kind))

    return handle


def _recipient(audience: str, territory: str, unit: str) -> dict:
    return {
        "audience": audience,
        "territory": match.regex(territory, regex=SEGMENT),
        "unit": match.regex(unit, regex=SEGMENT),
    }


def dispatch_data(kind: str, recipient: dict, outcome: str | None = "danger") -> dict:
    """What a partner needs to act: which alert, whom, where, how to acknowledge."""
    position = {
        "lat": match.decimal(46.3401),
        "lon": match.decimal(2.6025),
        "accuracy_m": match.decimal(18.5),
        "fixed_at": match.regex("2026-11-22T22:00:00Z", regex=RFC3339),
    }
    return {
        "alert_id": match.regex("0123456789abcdef0123456789abcdef", regex=ID),
        "dispatch_id": match.regex("fedcba9876543210fedcba9876543210", regex=ID),
        "kind": kind,
        "attempt": match.int(1),
        "recipient": recipient,
        "outcome": outcome,
        "automatic": match.bool(False),
        "raised_at": match.regex("2026-11-22T22:00:00Z", regex=RFC3339),
        "device_id": match.str("dev-0001"),
        "jurisdiction": match.regex("tj-montlucon", regex=SEGMENT),
        "position": position,
    }


def _key(audience: str, territory: str, unit: str, kind: str):
    return match.regex(f"{audience}.{territory}.{unit}.{kind}", regex=rf"^{audience}\.[a-z0-9-]+\.[a-z0-9-]+\.{kind}$")


ALERT_MESSAGE_CONTRACTS = [
    MessageContract(
        consumer="police-system",
        event=EventName.PARTNER_DISPATCH,
        description="an alert dispatched to a police unit",
        data=dispatch_data("dispatch", _recipient("police", "03", "csp-montlucon")),
        produce=produce_dispatch_to(POLICE),
        routing_key=_key("police", "03", "csp-montlucon", "dispatch"),
        handle=reference_consumer("police-system"),
    ),
    MessageContract(
        consumer="police-system",
        event=EventName.PARTNER_CLOSURE,
        description="an alert closed after the police's report",
        data={
            "alert_id": match.regex("0123456789abcdef0123456789abcdef", regex=ID),
            "closed_at": match.regex("2026-11-22T22:09:00Z", regex=RFC3339),
            "result": match.regex("on_site", regex=r"^[a-z_]+$"),
        },
        produce=produce_closure_to_police,
        routing_key=_key("police", "03", "csp-montlucon", "closure"),
        handle=reference_consumer("police-system"),
    ),
    MessageContract(
        consumer="gendarmerie-system",
        event=EventName.PARTNER_DISPATCH,
        description="an alert dispatched to a gendarmerie brigade",
        data=dispatch_data("dispatch", _recipient("gendarmerie", "03", "bta-cusset")),
        produce=produce_dispatch_to(GENDARMERIE),
        routing_key=_key("gendarmerie", "03", "bta-cusset", "dispatch"),
        handle=reference_consumer("gendarmerie-system"),
    ),
    MessageContract(
        consumer="command-centre-system",
        event=EventName.PARTNER_DISPATCH,
        description="an alert dispatched to the operations centre where she is",
        data={**dispatch_data("dispatch", _recipient("command", "03", "cic-03")), "position_status": "usable"},
        produce=produce_dispatch_to(CENTRE),
        routing_key=_key("command", "03", "cic-03", "dispatch"),
        handle=reference_consumer("command-centre-system"),
    ),
    MessageContract(
        consumer="command-centre-system",
        event=EventName.PARTNER_DISPATCH,
        description="an alert escalated to the backup centre (the centre did not acknowledge)",
        data={**dispatch_data("escalation", _recipient("command", "03", "cic-63")), "attempt": 1},
        produce=produce_escalation_to_backup_centre,
        routing_key=_key("command", "03", "cic-63", "escalation"),
        handle=reference_consumer("command-centre-system"),
    ),
    MessageContract(
        consumer="command-centre-system",
        event=EventName.PARTNER_POSITION,
        description="her new position during the alert, to the centre already alerted",
        data={
            "alert_id": match.regex("0123456789abcdef0123456789abcdef", regex=ID),
            "dispatch_id": match.regex("fedcba9876543210fedcba9876543210", regex=ID),
            "recipient": _recipient("command", "03", "cic-03"),
            "position": {
                "lat": match.decimal(46.3425),
                "lon": match.decimal(2.6071),
                "accuracy_m": match.decimal(9.5),
                "fixed_at": match.regex("2026-11-22T22:00:40Z", regex=RFC3339),
            },
            "position_status": match.regex("usable", regex=r"^[a-z_]+$"),
        },
        produce=produce_position_to_centre,
        routing_key=_key("command", "03", "cic-03", "position"),
        handle=reference_consumer("command-centre-system"),
    ),
    MessageContract(
        consumer="association-system",
        event=EventName.PARTNER_DISPATCH,
        description="an alert dispatched to the association of the jurisdiction",
        data=dispatch_data("dispatch", _recipient("association", "tj-montlucon", "any")),
        produce=produce_dispatch_to(ASSOCIATION),
        routing_key=_key("association", "tj-montlucon", "any", "dispatch"),
        handle=reference_consumer("association-system"),
    ),
]
