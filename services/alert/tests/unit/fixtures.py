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


def dossier(consent: bool = True, home_insee: str = "03185") -> dict:
    """A fictional fiche navette; ``consent``: her consent to geolocation."""
    return {
        "attribution_id": "att-0001",
        "device_id": "dev-0001",
        "jurisdiction": "tj-montlucon",
        "beneficiary": {
            "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
            "disability_or_speech_difficulty": False,
            "home": {"street": "1 rue Fictive", "postcode": "03100", "city": "Commune", "insee_code": home_insee},
            "geolocation_consent": consent,
        },
        "author": {
            "identity": {"surname": "AUTEUR", "first_names": ["Fictif"]},
            "no_contact_order": {"basis": "judicial_supervision", "starts_on": "2026-01-01"},
        },
    }


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
        "dossier": dossier(),
    }
    values.update(overrides)
    return DeviceFacts(**values)


def position(at=T0, lat=46.34, lon=2.60, accuracy_m=25.0) -> Position:
    """Near Montluçon (03) by default."""
    return Position(lat=lat, lon=lon, accuracy_m=accuracy_m, fixed_at=at)


def new_alert(at=T0, pos="default", **device_overrides):
    return domain.raise_alert(
        alert_id="a-1",
        device=device(**device_overrides),
        press_id="p-1",
        triggered_at=at,
        position=position(at) if pos == "default" else pos,
        now=at,
    )


def seconds(n: float) -> timedelta:
    return timedelta(seconds=n)


def territory():
    """The shipped reference data: official commune centres, fictional directory samples."""
    from alert.domain.places import official_places
    from alert.domain.territory import Territory
    from tgd_contracts.centres import read_centres
    from tgd_contracts.force_directory import read_directory

    return Territory(places=official_places(), directory=read_directory(None), centres=read_centres(None))


# positions (town halls of real communes, from the official list)
MONTLUCON = {"lat": 46.3437, "lon": 2.6061}  # 03185, police zone in the sample directory
SOUVIGNY = {"lat": 46.5337, "lon": 3.1905}  # 03275, not listed: the default zone of 03 (gendarmerie)
CLERMONT = {"lat": 45.7786, "lon": 3.0816}  # 63113, another department; not listed: 63's default zone (gendarmerie)
BORDEAUX = {"lat": 44.8378, "lon": -0.5792}  # 33063, a department without centres in the sample
LONDON = {"lat": 51.5072, "lon": -0.1276}  # abroad: no commune near


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
