"""Shared builders for the alert unit tests (pure data, obviously fake)."""

from datetime import UTC, datetime, timedelta

from alert import domain
from alert.domain import DeviceFacts
from tgd_contracts.alert import Position, Recipient

T0 = datetime(2026, 6, 1, 22, 0, 0, tzinfo=UTC)
POLICE = Recipient(audience="police", territory="03", unit="csp-montlucon")
GENDARMERIE = Recipient(audience="gendarmerie", territory="03", unit="bta-cusset")
ASSOCIATION = Recipient(audience="association", territory="tj-montlucon", unit="any")
COMMAND = Recipient(audience="command", territory="03", unit="any")


def device(**overrides) -> DeviceFacts:
    values = {
        "device_id": "dev-0001",
        "known": True,
        "active": True,
        "attribution_id": "att-0001",
        "jurisdiction": "tj-montlucon",
        "department": "03",
        "competent": POLICE,
        "other_force": GENDARMERIE,
    }
    values.update(overrides)
    return DeviceFacts(**values)


def position(at=T0) -> Position:
    return Position(lat=46.34, lon=2.60, accuracy_m=25.0, fixed_at=at)


def new_alert(at=T0, **device_overrides):
    return domain.raise_alert(
        alert_id="a-1",
        device=device(**device_overrides),
        press_id="p-1",
        triggered_at=at,
        position=position(at),
        now=at,
    )


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


def sample_dossier(consent: bool = True):
    """A fictional dossier (fiche navette + device) with or without her consent to geolocation."""
    from tgd_contracts.dossier import Dossier

    beneficiary = {
        "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": {"street": "1 rue Fictive", "postcode": "03100", "city": "Montluçon", "insee_code": "03185"},
        "geolocation_consent": consent,
    }
    author = {
        "identity": {"surname": "AUTEUR", "first_names": ["Fictif"]},
        "no_contact_order": {"basis": "judicial_supervision", "starts_on": "2026-01-01"},
    }
    ids = {"attribution_id": "att-0001", "device_id": "dev-0001", "jurisdiction": "tj-montlucon"}
    return Dossier.consume({**ids, "beneficiary": beneficiary, "author": author})
