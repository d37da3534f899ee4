"""Fictional fiches navettes and dossiers (:mod:`tgd_contracts.dossier`,
:class:`~tgd_contracts.stock.FicheNavette`): a beneficiary, the author and his
no-contact order, every field fictional."""

from __future__ import annotations

from typing import Any

from tgd_contracts.examples import merged, phone


def address(insee_code: str = "03901", postcode: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A fictional street in the commune ``insee_code`` (the postcode follows its department)."""
    body = {
        "street": "1 Rue Fictive",
        "postcode": postcode or insee_code[:2] + "100",
        "city": "Commune Fictive",
        "insee_code": insee_code,
    }
    return merged(body, overrides)


def beneficiary(
    surname: str = "EXEMPLE", *, insee_code: str = "03901", consent: bool = True, **overrides: Any
) -> dict[str, Any]:
    """La personne protégée; ``consent``: to send her position when she alerts."""
    body = {
        "identity": {"surname": surname, "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": address(insee_code),
        "geolocation_consent": consent,
    }
    return merged(body, overrides)


def author(basis: str = "protection_order", **overrides: Any) -> dict[str, Any]:
    """L'auteur and the decision forbidding him contact."""
    body = {
        "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
        "no_contact_order": {"basis": basis, "starts_on": "2026-01-02"},
    }
    return merged(body, overrides)


def fiche_navette(
    surname: str = "EXEMPLE",
    *,
    insee_code: str = "03901",
    consent: bool = True,
    basis: str = "protection_order",
    **overrides: Any,
) -> dict[str, Any]:
    """The body of ``POST /v1/attributions/{id}/fiche-navette``."""
    body = {"beneficiary": beneficiary(surname, insee_code=insee_code, consent=consent), "author": author(basis)}
    return merged(body, overrides)


def dossier(
    attribution_id: str = "att-0001",
    device_id: str = "dev-0001",
    jurisdiction: str = "tj-moulins",
    *,
    surname: str = "EXEMPLE",
    insee_code: str = "03901",
    consent: bool = True,
    basis: str = "protection_order",
    **overrides: Any,
) -> dict[str, Any]:
    """What the operator holds (the fiche navette with its attribution and device)."""
    ids = {"attribution_id": attribution_id, "device_id": device_id, "jurisdiction": jurisdiction}
    fiche = fiche_navette(surname, insee_code=insee_code, consent=consent, basis=basis)
    return merged({**ids, **fiche}, overrides)


def home_change(insee_code: str = "03903", **overrides: Any) -> dict[str, Any]:
    """The body of ``POST /v1/attributions/{id}/home``: she moved."""
    body = {"home": address(insee_code, street="5 Rue Nouvelle Fictive"), "reported_by": "Parquet fictif"}
    return merged(body, overrides)


def person(surname: str = "EXEMPLE-PROCHE", relationship: str = "soeur", **overrides: Any) -> dict[str, Any]:
    """A person linked to her (host, household member, emergency contact...)."""
    body = {"surname": surname, "first_names": ["Fictive"], "relationship": relationship, "phones": [phone(1)]}
    return merged(body, overrides)


def full_dossier(
    attribution_id: str = "att-1", device_id: str = "dev-1", jurisdiction: str = "tj-moulins", insee_code: str = "03901"
) -> dict[str, Any]:
    """A dossier with every field of the arrêté filled, each with its own value (phones:
    hers 11, work 22, school 40, the author's 99), so a test sees which fields leave."""
    child = {"surname": "EXEMPLE", "first_names": ["Enfant"], "birth_date": "2018-03-01", "school": "École fictive"}
    beneficiary_ = beneficiary(
        identity={"usage_name": "EXEMPLE-USAGE"},
        family_situation="séparée",
        photo_ref="photo-fictive-1",
        host=person("EXEMPLE-HEBERGEUR", "hébergeur"),
        household=[person("EXEMPLE-MERE", "mère")],
        children=[{**child, "school_phone": phone(40)}],
        phones=[phone(11)],
        email="fictive@exemple.invalid",
        work_address=address(street="2 Rue du Travail Fictive"),
        work_phones=[phone(22)],
        pets=True,
        usual_places=[address(street="3 Place Fictive")],
        visiting_rights_place=address(street="4 Rue des Visites Fictive"),
        visiting_rights_host=person("EXEMPLE-ACCUEIL", "accueillant"),
        emergency_contacts=[person("EXEMPLE-URGENCE", "amie")],
        association_referents=[person("EXEMPLE-REFERENTE", "référente")],
        insee_code=insee_code,
    )
    author_ = author(
        aliases=["AUTEUR-ALIAS"],
        family_situation="séparé",
        address=address("03902", street="9 Rue de l'Auteur Fictive"),
        host=person("AUTEUR-HEBERGEUR", "frère"),
        housing_kind="appartement",
        pets=True,
        phones=[phone(99)],
        no_contact_order={"ends_on": "2026-12-31"},
    )
    ids = {"attribution_id": attribution_id, "device_id": device_id, "jurisdiction": jurisdiction}
    return {**ids, "beneficiary": beneficiary_, "author": author_}
