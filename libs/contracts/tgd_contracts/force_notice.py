"""What a force is told about the woman it protects (information des forces de
l'ordre, arrêté du 22 avril 2015 §E.II): the subsets of the dossier that travel in a
notice. Only the fields a force needs exist here; which subset each recipient gets is
the notify service's rule (``notify.domain.views``).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, StrictBool

from tgd_contracts.base import Contract
from tgd_contracts.dossier import Address, Child, Identity, NoContactOrder, Person, Phone
from tgd_contracts.referral import ShortText


class NoticePurpose(StrEnum):
    """Why a force receives a notice."""

    ATTRIBUTION = "attribution"  # a device was attributed (information immédiate, §D)
    HOME_CHANGED = "home_changed"  # she moved into your area (or within it)
    MOVED_AWAY = "moved_away"  # she left your area: no longer yours
    MEASURE_ENDED = "measure_ended"  # retrait, incarcération de l'auteur or fin de période
    AUTHOR_RELEASED = "author_released"  # the author leaves prison or custody (ids and the release only)
    DEVICE_REPLACED = "device_replaced"  # her terminal was lost or broken: a new one (your view, as at attribution)


class ForceBeneficiary(Contract):
    """La personne protégée as a force sees her: identity and home always; the unit
    competent for her home also gets what a patrol needs (household, children, phones)."""

    identity: Identity
    home: Address  # adresse de résidence
    disability_or_speech_difficulty: StrictBool | None = None  # handicap ou problème d'expression
    host: Person | None = None  # hébergeur
    household: list[Person] = Field(default_factory=list, max_length=12)  # personnes vivant au domicile
    children: list[Child] = Field(default_factory=list, max_length=12)  # enfants (nom, prénoms, naissance)
    phones: list[Phone] = Field(default_factory=list, max_length=4)  # coordonnées téléphoniques


class ForceAuthor(Contract):
    """L'auteur and his no-contact order (interdiction d'entrer en contact)."""

    identity: Identity
    aliases: list[ShortText] = Field(default_factory=list, max_length=6)  # alias
    address: Address | None = None  # adresse de résidence (unit competent only)
    no_contact_order: NoContactOrder
