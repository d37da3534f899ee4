"""Messages a partner receives, with fictional personal data only ("EXEMPLE Fictive")."""

from datetime import UTC, datetime

from tgd_contracts.alert import PartnerDispatch, PartnerPosition, Position, Recipient
from tgd_contracts.dossier import Dossier
from tgd_contracts.envelope import build_envelope
from tgd_contracts.examples import dossier as examples
from tgd_contracts.force_notice import ForceAuthor, ForceBeneficiary
from tgd_contracts.notice import AttributionNotice
from tgd_partner_consumer.consumer import Received, parse

POLICE = Recipient(audience="police", territory="03", unit="csp-fictive")
RAISED = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
HOME = examples.address("03185")
IDENTITY = examples.beneficiary()["identity"]
AUTHOR_IDENTITY = examples.author()["identity"]
ORDER = examples.author("judicial_supervision")["no_contact_order"]
SURNAME, AUTHOR = IDENTITY["surname"], AUTHOR_IDENTITY["surname"]


def dossier(attribution_id: str = "att-1", device_id: str = "dev-1") -> Dossier:
    return Dossier.consume(
        examples.dossier(attribution_id, device_id, "tj-montlucon", insee_code="03185", basis="judicial_supervision")
    )


def position(at: datetime = RAISED) -> Position:
    return Position(lat=46.3401, lon=2.6021, accuracy_m=25.0, fixed_at=at)


def _received(source: str, name: str, subject: str, data, kind: str) -> Received:
    envelope = build_envelope(source_service=source, event_name=name, subject=subject, data=data)
    return parse(envelope.model_dump_json().encode(), f"police.03.csp-fictive.{kind}")


def dispatch(alert_id="a-1", device_id="dev-1", raised_at=RAISED, attribution_id="att-1") -> Received:
    data = PartnerDispatch(
        alert_id=alert_id, dispatch_id=f"d-{alert_id}", kind="dispatch", attempt=1, recipient=POLICE,
        outcome="danger", automatic=False, raised_at=raised_at, device_id=device_id,
        position=position(raised_at), dossier=dossier(attribution_id, device_id),
    )  # fmt: skip
    return _received("alert", "partner_dispatch", alert_id, data, "dispatch")


def position_update(alert_id="a-1", fixed_at=RAISED) -> Received:
    data = PartnerPosition(
        alert_id=alert_id, dispatch_id=f"d-{alert_id}", recipient=POLICE, position=position(fixed_at),
        position_status="usable",
    )  # fmt: skip
    return _received("alert", "partner_position", alert_id, data, "position")


def notice(purpose="attribution", attribution_id="att-1", device_id="dev-1", sent_at=RAISED) -> Received:
    personal = purpose in ("attribution", "home_changed")
    data = AttributionNotice(
        notice_id=f"n-{purpose}-{attribution_id}", attribution_id=attribution_id, device_id=device_id,
        jurisdiction="tj-montlucon", audience="police", department="03", unit_code="csp-fictive",
        role="competent", sip_registration_requested=False, attempt=1, sent_at=sent_at, purpose=purpose,
        beneficiary=ForceBeneficiary.consume({"identity": IDENTITY, "home": HOME}) if personal else None,
        author=ForceAuthor.consume({"identity": AUTHOR_IDENTITY, "no_contact_order": ORDER}) if personal else None,
        ended_because="expired" if purpose == "measure_ended" else None,
    )  # fmt: skip
    return _received("notify", "attribution_notice", attribution_id, data, "notice")


def record(message: Received, received_at: datetime = RAISED) -> dict:
    """What the default handler stores for a message."""
    return {
        "received_at": received_at.timestamp(),
        "routing_key": message.routing_key,
        "event": message.envelope.model_dump(mode="json"),
    }
