"""The dossier: what the teleassistance operator holds on a beneficiary and the author
(the "fiche navette" sent by the prosecutor's office, arrêté du 22 avril 2015 §E.II).

The device service records it on provisioning; the alert service obtains it over RPC
(``device.get_dossier``) to show the operator at once when an alert comes in. It
never travels in events. Only the fields the arrêté lists exist: there is no free-form
bag for anything else.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints

from tgd_contracts.base import Contract
from tgd_contracts.referral import Sex, ShortText

Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=500)]
Phone = Annotated[str, StringConstraints(strict=True, pattern=r"^\+?[0-9 .-]{6,20}$")]
InseeCode = Annotated[str, StringConstraints(strict=True, pattern=r"^(\d{5}|2[AB]\d{3})$")]


class Address(Contract):
    """A postal address; ``insee_code`` (code commune) routes to the competent force."""

    street: Text = Field(description="Numéro et voie.")
    postcode: Annotated[str, StringConstraints(strict=True, pattern=r"^\d{5}$")]  # code postal
    city: ShortText  # commune
    insee_code: InseeCode = Field(description="Code INSEE de la commune.")


class Person(Contract):
    """A person linked to the beneficiary (host, household member, emergency contact...)."""

    surname: ShortText  # nom
    first_names: list[ShortText] = Field(min_length=1, max_length=6)  # prénoms
    relationship: ShortText | None = Field(default=None, description="Lien avec la personne protégée.")
    phones: list[Phone] = Field(default_factory=list, max_length=4)  # coordonnées téléphoniques
    address: Address | None = None  # adresse


class Child(Contract):
    # un enfant vivant au domicile (nom, prénoms, date de naissance) and his school
    # (no docstring: it would change the snapshotted schema)
    surname: ShortText  # nom
    first_names: list[ShortText] = Field(min_length=1, max_length=6)  # prénoms
    birth_date: date | None = None  # date de naissance
    school: ShortText | None = Field(default=None, description="Lieu de scolarité.")
    school_phone: Phone | None = None  # coordonnées téléphoniques de l'établissement


class Identity(Contract):
    # identité (§E.II.a and b): the same fields for the beneficiary and the author
    surname: ShortText = Field(description="Nom de famille.")
    usage_name: ShortText | None = Field(default=None, description="Nom d'usage.")
    first_names: list[ShortText] = Field(min_length=1, max_length=6, description="Prénoms.")
    birth_date: date | None = None  # date de naissance
    birth_place: ShortText | None = None  # lieu de naissance
    sex: Sex | None = None  # sexe


class Beneficiary(Contract):
    """La personne protégée (§E.II.a)."""

    identity: Identity  # identité
    family_situation: ShortText | None = Field(default=None, description="Situation familiale.")
    photo_ref: ShortText | None = Field(default=None, description="Reference of the face photograph (not the image).")
    disability_or_speech_difficulty: StrictBool = Field(description="Handicap ou problème d'expression (oui/non).")
    home: Address  # adresse de résidence
    host: Person | None = Field(default=None, description="Hébergeur, le cas échéant.")
    household: list[Person] = Field(default_factory=list, max_length=12, description="Personnes vivant au domicile.")
    children: list[Child] = Field(default_factory=list, max_length=12)  # enfants (nom, prénoms, date de naissance)
    phones: list[Phone] = Field(default_factory=list, max_length=4)  # coordonnées téléphoniques personnelles
    email: Annotated[str, StringConstraints(strict=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = (
        None  # adresse de messagerie électronique
    )
    work_address: Address | None = None  # situation professionnelle: adresse
    work_phones: list[Phone] = Field(default_factory=list, max_length=4)  # coordonnées téléphoniques professionnelles
    pets: StrictBool = Field(default=False, description="Présence d'animaux domestiques.")
    usual_places: list[Address] = Field(
        default_factory=list, max_length=12, description="Lieux habituellement fréquentés."
    )
    visiting_rights_place: Address | None = Field(default=None, description="Lieu d'exercice du droit de visite.")
    visiting_rights_host: Person | None = Field(default=None, description="Accueillant pour le droit de visite.")
    emergency_contacts: list[Person] = Field(default_factory=list, max_length=6)  # personnes à contacter en urgence
    association_referents: list[Person] = Field(default_factory=list, max_length=4)  # référents de l'association
    geolocation_consent: StrictBool = Field(description="Consent to send her position when she alerts.")


class NoContactBasis(StrEnum):
    """The decision forbidding contact (§E.II.b)."""

    PROTECTION_ORDER = "protection_order"  # ordonnance de protection
    ALTERNATIVE_TO_PROSECUTION = "alternative_to_prosecution"  # alternative aux poursuites
    COMPOSITION_PENALE = "composition_penale"
    JUDICIAL_SUPERVISION = "judicial_supervision"  # contrôle judiciaire
    ELECTRONIC_HOUSE_ARREST = "electronic_house_arrest"  # ARSE
    CONVICTION = "conviction"  # condamnation
    SENTENCE_ADJUSTMENT = "sentence_adjustment"  # aménagement de peine
    SAFETY_MEASURE = "safety_measure"  # mesure de sûreté


class NoContactOrder(Contract):
    """Interdiction d'entrer en contact."""

    basis: NoContactBasis  # la décision prononçant l'interdiction
    starts_on: date  # date de début de l'interdiction
    ends_on: date | None = None  # date de fin de l'interdiction


class Author(Contract):
    """L'auteur des violences (§E.II.b)."""

    identity: Identity  # identité
    aliases: list[ShortText] = Field(default_factory=list, max_length=6)  # alias
    family_situation: ShortText | None = None  # situation familiale
    address: Address | None = None  # adresse de résidence
    host: Person | None = None  # identité de l'hébergeur, le cas échéant
    housing_kind: ShortText | None = Field(default=None, description="Type d'habitat.")
    pets: StrictBool = False  # présence d'animaux domestiques
    phones: list[Phone] = Field(default_factory=list, max_length=4)  # coordonnées téléphoniques personnelles
    no_contact_order: NoContactOrder  # interdiction d'entrer en contact, dates de début et de fin


class Dossier(Contract):
    """Everything the operator needs when she alerts (fiche navette)."""

    attribution_id: str  # la décision d'attribution (its details stay with the evaluation service)
    device_id: str  # le terminal (numéro, marque, modèle, IMEI, IMSI, puce GPS: the device service's stock)
    jurisdiction: str  # ressort du procureur de la République compétent
    beneficiary: Beneficiary
    author: Author
