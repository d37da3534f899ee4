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
    postcode: Annotated[str, StringConstraints(strict=True, pattern=r"^\d{5}$")]
    city: ShortText
    insee_code: InseeCode = Field(description="Code INSEE de la commune.")


class Person(Contract):
    """A person linked to the beneficiary (host, household member, emergency contact...)."""

    surname: ShortText
    first_names: list[ShortText] = Field(min_length=1, max_length=6)
    relationship: ShortText | None = Field(default=None, description="Lien avec la personne protégée.")
    phones: list[Phone] = Field(default_factory=list, max_length=4)
    address: Address | None = None


class Child(Contract):
    surname: ShortText
    first_names: list[ShortText] = Field(min_length=1, max_length=6)
    birth_date: date | None = None
    school: ShortText | None = Field(default=None, description="Lieu de scolarité.")
    school_phone: Phone | None = None


class Identity(Contract):
    surname: ShortText = Field(description="Nom de famille.")
    usage_name: ShortText | None = Field(default=None, description="Nom d'usage.")
    first_names: list[ShortText] = Field(min_length=1, max_length=6, description="Prénoms.")
    birth_date: date | None = None
    birth_place: ShortText | None = None
    sex: Sex | None = None


class Beneficiary(Contract):
    """La personne protégée (§E.II.a)."""

    identity: Identity
    family_situation: ShortText | None = Field(default=None, description="Situation familiale.")
    photo_ref: ShortText | None = Field(default=None, description="Reference of the face photograph (not the image).")
    disability_or_speech_difficulty: StrictBool = Field(description="Handicap ou problème d'expression (oui/non).")
    home: Address
    host: Person | None = Field(default=None, description="Hébergeur, le cas échéant.")
    household: list[Person] = Field(default_factory=list, max_length=12, description="Personnes vivant au domicile.")
    children: list[Child] = Field(default_factory=list, max_length=12)
    phones: list[Phone] = Field(default_factory=list, max_length=4)
    email: Annotated[str, StringConstraints(strict=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    work_address: Address | None = None
    work_phones: list[Phone] = Field(default_factory=list, max_length=4)
    pets: StrictBool = Field(default=False, description="Présence d'animaux domestiques.")
    usual_places: list[Address] = Field(
        default_factory=list, max_length=12, description="Lieux habituellement fréquentés."
    )
    visiting_rights_place: Address | None = Field(default=None, description="Lieu d'exercice du droit de visite.")
    visiting_rights_host: Person | None = Field(default=None, description="Accueillant pour le droit de visite.")
    emergency_contacts: list[Person] = Field(default_factory=list, max_length=6)
    association_referents: list[Person] = Field(default_factory=list, max_length=4)
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

    basis: NoContactBasis
    starts_on: date
    ends_on: date | None = None


class Author(Contract):
    """L'auteur des violences (§E.II.b)."""

    identity: Identity
    aliases: list[ShortText] = Field(default_factory=list, max_length=6)
    family_situation: ShortText | None = None
    address: Address | None = None
    host: Person | None = None
    housing_kind: ShortText | None = Field(default=None, description="Type d'habitat.")
    pets: StrictBool = False
    phones: list[Phone] = Field(default_factory=list, max_length=4)
    no_contact_order: NoContactOrder


class Dossier(Contract):
    """Everything the operator needs when she alerts (fiche navette)."""

    attribution_id: str
    device_id: str
    jurisdiction: str
    beneficiary: Beneficiary
    author: Author
