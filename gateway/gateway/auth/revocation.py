"""Revocation, checked on every authenticated request: a token stops working as soon as
its client (or console operator) is disabled, deleted, or rotated after the token was
issued. The registries are files re-read when they change (one ``stat`` per request),
so ``tgd clients disable`` / ``rotate`` takes effect on the next request of every
gateway process that shares them, not after the token's lifetime.

In production a token whose subject is in neither registry is refused (a deleted
client); in development it is accepted, for the development tokens of tests and tools.
"""

from __future__ import annotations

from datetime import datetime

from gateway.auth.clients import Client, ClientStore


def epoch_of(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


def revoked(account: Client | None, issued_at: int, strict: bool) -> bool:
    """Whether a token issued at ``issued_at`` (whole seconds) for ``account`` is revoked."""
    if account is None:
        return strict
    if account.disabled:
        return True
    rotated = epoch_of(account.rotated_at)
    # iat has whole seconds: a token of the very second of the rotation is kept (a partner
    # that asks for a token right after its rotation must not get one refused for its lifetime)
    return rotated is not None and issued_at < int(rotated)


class Revocation:
    def __init__(self, *registries: ClientStore, strict: bool):
        self.registries = registries
        self.strict = strict

    def account(self, client_id: str) -> Client | None:
        for registry in self.registries:
            found = registry.load().get(client_id)
            if found is not None:
                return found
        return None

    def is_revoked(self, client_id: str, issued_at: int) -> bool:
        return revoked(self.account(client_id), issued_at, self.strict)
