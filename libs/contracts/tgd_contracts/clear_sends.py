"""Personal fields sent in clear (données personnelles en clair): the production policy
for an addressee whose public key was never registered.

An alert is never withheld from a force: a message to an addressee without a key still
goes, its dossier and position in clear (the development fallback). In production
(``TGD_ENV=production``) that is an incident, so every such send raises an alarm, a
CRITICAL log line ``ALARM personal fields in clear`` naming the addressee and the
message type only (never the content), with the count of such sends since the process
started; the fix is ``tgd broker provision-partner … --public-key`` (which production
requires) and a restart of alert and notify.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from tgd_contracts.envelope import Envelope
from tgd_contracts.partner_keys import PartnerKeys
from tgd_contracts.partners import addressee_of_key
from tgd_contracts.sealing import SEALED_FIELDS

log = logging.getLogger(__name__)
PRODUCTION = "production"


@dataclass(frozen=True)
class ClearSend:
    addressee: str
    event_name: str


def clear_send(keys: PartnerKeys, envelope: Envelope, routing_key: str, stage: str) -> ClearSend | None:
    """The alarm this send calls for (pure): in production, personal fields about to go
    in clear to an addressee without a key; else None (sealed, nothing personal, or
    development)."""
    if stage != PRODUCTION:
        return None
    parts = addressee_of_key(routing_key)
    if parts is None:
        return None
    addressee = ".".join(parts[:3])
    if addressee in keys.keys:
        return None
    personal = [f for f in SEALED_FIELDS.get(envelope.event_name, ()) if envelope.data.get(f) is not None]
    return ClearSend(addressee, envelope.event_name) if personal else None


class ClearSendAlarm:
    """Counts and reports the sends in clear of one process (alert, notify)."""

    def __init__(self, stage: str):
        self.stage = stage
        self.counts: Counter[ClearSend] = Counter()

    def check(self, keys: PartnerKeys, envelope: Envelope, routing_key: str) -> ClearSend | None:
        found = clear_send(keys, envelope, routing_key, self.stage)
        if found is not None:
            self.counts[found] += 1
            log.critical(
                "ALARM personal fields in clear: addressee=%s type=%s count=%d total=%d "
                "(no public key registered: tgd broker provision-partner --public-key, then restart)",
                found.addressee,
                found.event_name,
                self.counts[found],
                self.total,
            )
        return found

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def provisioning_refusal(stage: str, public_key: str | None) -> str | None:
    """Why a partner may not be provisioned (pure): in production, not without its public
    key, so that its dossiers never have to go in clear; None when it may."""
    if stage == PRODUCTION and not (public_key or "").strip():
        return (
            "TGD_ENV=production: a partner is provisioned only with its public key "
            "(--public-key, from tgd-partner-consumer keygen): its dossiers and positions travel sealed for it"
        )
    return None
