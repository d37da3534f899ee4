"""Whose device is it now (pure): the alert service's device read model holds the
routing and dossier of ONE attribution at a time.

A device belongs to one woman at a time (DOMAIN.md): once returned it is collected and
reset before it is given again, and when it is provisioned for the next attribution
nothing of the previous one may remain (her unit, the other force, her dossier, her
activation). The device and notify events of one device arrive on different queues,
in any order, so each event names its attribution and is applied by :func:`step`:

- ``UPDATE``: it is the current attribution's (or the device has none yet);
- ``REPLACE``: a newer attribution starts: the facts are replaced, not merged;
- ``IGNORE``: a late event of an attribution that has ended, or an older provisioning;
- ``WAIT``: an attribution the read model cannot yet place (the previous one has not
  been seen to end): the event is retried later (requeued), never applied to the
  wrong woman's facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Step(StrEnum):
    UPDATE = "update"
    REPLACE = "replace"
    IGNORE = "ignore"
    WAIT = "wait"


@dataclass(frozen=True)
class Holder:
    """The attribution the read model's facts belong to, and the attributions ended."""

    attribution_id: str | None = None
    provisioned_at: datetime | None = None
    ended: frozenset[str] = frozenset()


def step(holder: Holder, attribution_id: str, provisioned_at: datetime | None = None) -> Step:
    """What to do with an event of ``attribution_id`` (``provisioned_at`` for a provisioning)."""
    if attribution_id in holder.ended:
        return Step.IGNORE
    if holder.attribution_id is None or holder.attribution_id == attribution_id:
        return Step.UPDATE
    if holder.attribution_id in holder.ended:
        return Step.REPLACE
    if provisioned_at is not None:
        if holder.provisioned_at is None or provisioned_at > holder.provisioned_at:
            return Step.REPLACE
        return Step.IGNORE
    return Step.WAIT


def dossier_for(dossier: dict[str, Any] | None, attribution_id: str) -> dict[str, Any] | None:
    """The dossier fetched from the device service, when it is this attribution's (a
    device given again since answers with the next woman's: never kept for this one)."""
    return dossier if dossier is not None and dossier.get("attribution_id") == attribution_id else None


def informed_for_left_home(known_since: datetime | None, home_since: datetime | None) -> bool:
    """``forces_informed`` for a home she has left since (older than the home known)."""
    return known_since is not None and (home_since is None or home_since < known_since)


def move_already_known(known_since: datetime | None, moved_at: datetime) -> bool:
    """A move replayed, or older than the home known: nothing to change."""
    return known_since is not None and moved_at <= known_since
