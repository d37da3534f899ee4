"""Eligibility facts captured for the prosecutor's decision (conditions d'attribution).

Seed 002 §C: the scheme applies to "un danger grave de violences conjugales ou de viol
lorsque l'auteur des faits n'est pas ou n'est plus incarcéré" (article 41-3-1 of the code
de procédure pénale lists the partners: conjoint, concubin, partenaire lié par un PACS, or
the former of each); seed 000: "cette femme séparée physiquement de son ex conjoint ou de son
ex concubin". The rule that checks them lives in the evaluation service
(``evaluation.domain.eligibility``)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, StrictBool

from tgd_contracts.base import Contract


class Relationship(StrEnum):
    """Lien avec l'auteur."""

    SPOUSE = "spouse"  # conjoint (marié)
    COHABITANT = "cohabitant"  # concubin
    PACS_PARTNER = "pacs_partner"  # partenaire lié par un pacte civil de solidarité
    FORMER_SPOUSE = "former_spouse"  # ancien conjoint
    FORMER_COHABITANT = "former_cohabitant"  # ancien concubin
    FORMER_PACS_PARTNER = "former_pacs_partner"  # ancien partenaire de PACS
    NONE = "none"  # aucun de ces liens (e.g. a rape by someone else)


#: the partners the law lists for conjugal violence (current or former)
PARTNERS = frozenset(Relationship) - {Relationship.NONE}


class DangerNature(StrEnum):
    """Nature du danger: the scheme's two grounds, and anything else (not eligible)."""

    CONJUGAL_VIOLENCE = "conjugal_violence"  # violences conjugales
    RAPE = "rape"  # viol
    OTHER = "other"  # autre danger


class EligibilityFacts(Contract):
    """Les faits d'éligibilité, as the parquet records them with its decision."""

    relationship: Relationship = Field(description="Lien avec l'auteur.")
    separated: StrictBool = Field(description="Séparée physiquement de l'auteur (no cohabitation).")
    separated_on: date | None = Field(default=None, description="Date of the separation, when known.")
    danger: DangerNature = Field(description="Nature du danger.")


class Ineligibility(StrEnum):
    """Why the facts do not allow an attribution (motif d'inéligibilité)."""

    DANGER_NOT_COVERED = "danger_not_covered"  # ni violences conjugales ni viol
    NOT_A_PARTNER = "not_a_partner"  # violences conjugales: l'auteur n'est ni (ex-)conjoint, concubin, partenaire
    NOT_SEPARATED = "not_separated"  # cohabitation avec l'auteur
    AUTHOR_INCARCERATED = "author_incarcerated"  # l'auteur est incarcéré


class EligibilityCheck(Contract):
    """The rule's verdict on the facts: eligible, or the reasons why not."""

    eligible: bool
    reasons: list[Ineligibility]
