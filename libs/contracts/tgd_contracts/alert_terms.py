"""The words every alert contract shares: ids, her position (géolocalisation), the
outcome of the régulation, the force's report, the alert's states and its record.
Read through :mod:`tgd_contracts.alert`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, StrictFloat, StringConstraints

from tgd_contracts.base import Contract

Id = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Segment = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")]
Note = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=2000)]


class Position(Contract):
    """Her position at trigger time, sent only when she consented (géolocalisation)."""

    lat: StrictFloat = Field(ge=-90, le=90)
    lon: StrictFloat = Field(ge=-180, le=180)
    accuracy_m: StrictFloat = Field(ge=0, le=100_000, description="Accuracy radius in metres.")
    fixed_at: AwareDatetime = Field(description="When the fix was taken.")


class QualificationOutcome(StrEnum):
    """The result of the régulation."""

    DANGER = "danger"  # danger avéré: the forces are alerted
    NO_DANGER = "no_danger"  # redirected to the association
    TEST_CALL = "test_call"  # appel test
    ACCIDENTAL = "accidental"  # appui accidentel


class InterventionResult(StrEnum):
    """What the force reports (compte rendu d'intervention)."""

    ON_SITE = "on_site"  # patrouille sur place
    AUTHOR_ARRESTED = "author_arrested"  # auteur interpellé
    AUTHOR_GONE = "author_gone"  # auteur parti avant l'arrivée
    NO_ONE_FOUND = "no_one_found"
    FALSE_ALARM = "false_alarm"
    OTHER = "other"


class AlertState(StrEnum):
    RAISED = "raised"  # waiting for an operator
    TAKEN = "taken"  # an operator is qualifying it
    DISPATCHED = "dispatched"  # forces alerted, waiting for the outcome
    REDIRECTED = "redirected"  # no danger: handed to the association
    CLOSED = "closed"


class JournalEntry(Contract):
    """One line of the alert record (§E.II.c): who, when, what."""

    at: datetime
    actor: Annotated[str, StringConstraints(strict=True, max_length=128)]
    kind: Segment
    detail: Annotated[str, StringConstraints(strict=True, max_length=2000)] | None = None
