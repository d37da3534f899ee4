"""The author's release (mission row 16; seed 000: "le SPIP ou le bureau d'aide aux
victimes pour avoir des nouvelles de l'auteur"): the SPIP or the parquet reports that the
author leaves prison or custody; the association following her, the parquet, the victims'
office and the forces serving her are told, and the association records that she was told.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from tgd_contracts.base import Contract
from tgd_contracts.referral import ShortText


class ReleaseKind(StrEnum):
    RELEASE = "release"  # libération (fin de peine, aménagement, libération conditionnelle)
    CUSTODY_EXIT = "custody_exit"  # sortie de détention provisoire ou de garde à vue


class AuthorRelease(Contract):
    """Libération ou sortie de détention de l'auteur, as reported."""

    source: Literal["spip", "parquet"] = Field(description="Who reports it: the caller's own audience.")
    kind: ReleaseKind
    released_on: date = Field(description="Date of the release (past or announced).")
    reported_by: ShortText = Field(description="Role or staff reference (not a person's name).")
