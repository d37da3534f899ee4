"""How to reach the victim safely, and whom to ask back about the referral (contact sûr,
coordonnées du signalant): what the association needs to start its inquiry. Personal data
(arrêté du 22 avril 2015: "téléphones personnels"): encrypted at rest, never logged,
read only by the association and the parquet."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictBool, StringConstraints, model_validator

from tgd_contracts.base import Contract

# as tgd_contracts.referral.ShortText (not imported: referral.py imports this module)
ShortText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=100)]

Phone = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=r"^\+?[0-9][0-9 .-]{5,22}[0-9]$")]
Email = Annotated[
    str, StringConstraints(strict=True, strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]


def at_least_one_of(*fields: str, message: str) -> Any:
    """A model validator (after validation): at least one of ``fields`` is given, else ``message``."""

    def check(model: Contract) -> Contract:
        if all(getattr(model, name) is None for name in fields):
            raise ValueError(message)
        return model

    return model_validator(mode="after")(check)


class SafeContact(Contract):
    """Comment joindre la victime sans danger."""

    phone: Phone = Field(description="Her own phone (téléphone personnel), where she can be reached safely.")
    safe_times: ShortText = Field(
        description="When it is safe to call (créneau sans danger), e.g. 'lundi-vendredi 9h-12h'."
    )
    message_allowed: StrictBool = Field(description="Whether a message may be left (message vocal ou SMS).")


class ReferrerContact(Contract):
    """Coordonnées du signalant: the professional the association calls back."""

    name: ShortText = Field(description="Name of the referring professional.")
    service: ShortText = Field(description="Service or unit (e.g. 'service social du commissariat').")
    phone: Phone | None = None
    email: Email | None = None

    _reachable = at_least_one_of("phone", "email", message="the referrer's contact needs a phone or an e-mail")


class ContactDetails(Contract):
    """Both contacts of a referral, as the association updates them (she may give a new number)."""

    safe_contact: SafeContact | None = None
    referrer_contact: ReferrerContact | None = None

    _something = at_least_one_of(
        "safe_contact", "referrer_contact", message="give safe_contact, referrer_contact or both"
    )
