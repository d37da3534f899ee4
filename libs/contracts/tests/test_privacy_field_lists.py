"""The arrêté du 22 avril 2015 (seed 002 §E.II) lists what may be recorded about the
beneficiary, the author and each alert. The contracts hold those fields and nothing
else: the lists are pinned here (a new field needs its line of the arrêté), no model a
person's data travels in has a free-form bag, and an unknown field is refused."""

from typing import Any

import pytest
from pydantic import ValidationError

from tgd_contracts.alert import PartnerDispatch
from tgd_contracts.alert_views import AlertView
from tgd_contracts.dossier import Author, Beneficiary, Dossier, Identity, NoContactOrder
from tgd_contracts.evaluation import EvaluationReport
from tgd_contracts.examples import dossier as examples
from tgd_contracts.referral import ReferralSubmission, ReferralView, VictimIdentity
from tgd_contracts.stock import FicheNavette

#: field -> the words of the arrêté it records
BENEFICIARY = {
    "identity": "identité: nom de famille, nom d'usage, prénoms, date et lieu de naissance, sexe",
    "family_situation": "situation familiale",
    "photo_ref": "photographie de son visage de face",
    "disability_or_speech_difficulty": "handicap ou problème d'expression (oui/non)",
    "home": "adresse de résidence",
    "host": "identité de l'hébergeur, le cas échéant",
    "household": "personnes vivant au domicile, lien de parenté éventuel",
    "children": "enfants (nom, prénoms, date de naissance); lieu de scolarité et coordonnées de l'établissement",
    "phones": "coordonnées téléphoniques personnelles",
    "email": "adresse de messagerie électronique",
    "work_address": "situation professionnelle: adresse",
    "work_phones": "coordonnées téléphoniques professionnelles",
    "pets": "présence d'animaux domestiques",
    "usual_places": "adresse postale des lieux habituellement fréquentés",
    "visiting_rights_place": "lieu d'exercice du droit de visite",
    "visiting_rights_host": "coordonnées de l'accueillant",
    "emergency_contacts": "personnes à contacter en cas d'urgence",
    "association_referents": "référents de l'association de rattachement",
    "geolocation_consent": "coordonnées de géolocalisation au déclenchement (her consent to send them)",
}
AUTHOR = {
    "identity": "identité: nom de famille, nom d'usage, prénoms, date et lieu de naissance, sexe",
    "aliases": "alias",
    "family_situation": "situation familiale",
    "address": "adresse de résidence",
    "host": "identité de l'hébergeur, le cas échéant",
    "housing_kind": "type d'habitat",
    "pets": "présence d'animaux domestiques",
    "phones": "coordonnées téléphoniques personnelles",
    "no_contact_order": "décision prononçant l'interdiction d'entrer en contact, dates de début et de fin",
}
IDENTITY = {"surname", "usage_name", "first_names", "birth_date", "birth_place", "sex"}
PERSONAL_MODELS = (
    Dossier,
    FicheNavette,
    ReferralSubmission,
    ReferralView,
    AlertView,
    PartnerDispatch,
    EvaluationReport,
)


@pytest.mark.parametrize(("model", "listed"), [(Beneficiary, BENEFICIARY), (Author, AUTHOR)])
def test_the_beneficiary_and_author_hold_the_arretes_fields_and_nothing_else(model, listed):
    assert set(model.model_fields) == set(listed)


def test_identities_are_the_arretes_identity_fields():
    assert set(Identity.model_fields) == IDENTITY
    assert set(VictimIdentity.model_fields) == IDENTITY
    assert set(NoContactOrder.model_fields) == {"basis", "starts_on", "ends_on"}


def free_form_objects(schema: dict[str, Any]) -> list[str]:
    """Paths of objects that accept any key (a dict field, additionalProperties allowed)."""
    found: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and (
                "properties" not in node or node.get("additionalProperties") not in (None, False)
            ):
                found.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{path}[{n}]")

    walk(schema, "#")
    return found


@pytest.mark.parametrize("model", PERSONAL_MODELS, ids=lambda m: m.__name__)
def test_no_model_carrying_personal_data_has_a_free_form_bag(model):
    assert free_form_objects(model.model_json_schema()) == []


def test_the_checker_sees_a_free_form_bag():
    assert free_form_objects({"type": "object", "properties": {"extra": {"type": "object"}}}) == ["#/properties/extra"]


DOSSIER = examples.dossier("att-1", "dev-1", "tj-moulins", insee_code="03190")


@pytest.mark.parametrize(
    "path",
    [
        (),
        ("beneficiary",),
        ("beneficiary", "identity"),
        ("beneficiary", "home"),
        ("author",),
        ("author", "no_contact_order"),
    ],
)
def test_a_field_outside_the_list_is_refused_at_any_depth(path):
    body: Any = {**DOSSIER, "beneficiary": {**DOSSIER["beneficiary"]}, "author": {**DOSSIER["author"]}}
    node = body
    for key in path:
        node[key] = dict(node[key])
        node = node[key]
    node["religion"] = "x"
    with pytest.raises(ValidationError) as info:
        Dossier.model_validate(body)
    assert info.value.errors()[0]["type"] == "extra_forbidden"
    assert info.value.errors()[0]["loc"] == (*path, "religion")
