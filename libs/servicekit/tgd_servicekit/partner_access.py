"""Broker accounts for partner consumers (police, gendarmerie, association, command
centre): one RabbitMQ user per addressee ``(audience, territory, unit)``, which can only

- consume its own queue ``partner.<audience>.<territory>.<unit>`` (read), which the
  platform declares and binds here, so the user needs no *configure* right at all;
- publish its replies on ``tgd.partner-replies`` with its own keys
  ``<audience>.<territory>.<unit>.<reply kind>`` (write + topic permission), so it can
  answer only as itself, never as another unit;
- nothing else: no other queue, no publishing on ``tgd.partners``, no declaring or
  binding anything (a binding is where a user could widen what it reads).

Provisioned through the management HTTP API (``tgd broker provision-partner``).
Names and keys come from :mod:`tgd_contracts.partners` (the one naming scheme).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import requests

from tgd_contracts.partners import (
    ANY_UNIT,
    PARTNER_DEAD_LETTER_EXCHANGE,
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    Audience,
    addressee_prefix,
    broker_permissions,
    dots,
    partner_binding,
    partner_queue_arguments,
    partner_queue_name,
    partner_source,
)
from tgd_servicekit.topology import DEAD_LETTER_QUEUE as _DEAD_LETTERS


def _named_by(scheme: Callable[[Audience, str, str | None], str]) -> property:
    """A name of the account's addressee ``(audience, territory, unit)`` under ``scheme``."""
    return property(lambda account: scheme(account.audience, account.territory, account.unit))


@dataclass(frozen=True)
class PartnerAccount:
    audience: Audience
    territory: str
    unit: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "audience", Audience(self.audience))
        object.__setattr__(self, "unit", self.unit or ANY_UNIT)
        addressee_prefix(self.audience, self.territory, self.unit)  # validates every segment

    #: the account's names, each from the one naming scheme of tgd_contracts.partners
    prefix = _named_by(addressee_prefix)
    username = _named_by(partner_source)
    queue = _named_by(partner_queue_name)
    binding = _named_by(partner_binding)

    def _permissions(self) -> dict[str, object]:
        return broker_permissions(dots(self.prefix), dots(self.queue))

    def permissions(self) -> dict[str, str]:
        return {k: v for k, v in self._permissions().items() if k != "topic"}  # type: ignore[misc]

    def topic_permissions(self) -> list[dict[str, str]]:
        return self._permissions()["topic"]  # type: ignore[return-value]


def vhost_of(amqp_uri: str) -> str:
    """The virtual host an AMQP URI names (``/`` when it names none)."""
    path = urlsplit(amqp_uri).path
    return unquote(path[1:]) if len(path) > 1 else "/"


class ManagementApi:
    """The few calls of RabbitMQ's management HTTP API used here."""

    def __init__(self, url: str, user: str, password: str, timeout_s: float = 10):
        self.url = url.rstrip("/")
        self.auth = (user, password)
        self.timeout_s = timeout_s

    def _call(self, method: str, path: str, json: object | None = None) -> requests.Response:
        response = requests.request(method, self.url + path, json=json, auth=self.auth, timeout=self.timeout_s)
        if response.status_code >= 400 and not (method == "DELETE" and response.status_code == 404):
            raise RuntimeError(f"{method} {path}: HTTP {response.status_code} {response.text[:200]}")
        return response

    def declare_inbox(self, account: PartnerAccount, vhost: str) -> None:
        """The platform's side: the exchanges, the dead letters, the addressee's queue and
        its one binding (idempotent; the services declare the same)."""
        v = quote(vhost, safe="")
        for exchange in (PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE, PARTNER_DEAD_LETTER_EXCHANGE):
            self._call("PUT", f"/api/exchanges/{v}/{quote(exchange, safe='')}", {"type": "topic", "durable": True})
        quorum = {"durable": True, "arguments": {"x-queue-type": "quorum"}}
        dead_letters = _DEAD_LETTERS.name
        self._call("PUT", f"/api/queues/{v}/{quote(dead_letters, safe='')}", quorum)
        dead = f"/api/bindings/{v}/e/{quote(PARTNER_DEAD_LETTER_EXCHANGE, safe='')}/q/{dead_letters}"
        self._call("POST", dead, {"routing_key": "#"})
        q = quote(account.queue, safe="")
        arguments = partner_queue_arguments(account.queue)
        self._call("PUT", f"/api/queues/{v}/{q}", {"durable": True, "auto_delete": False, "arguments": arguments})
        self._call("POST", f"/api/bindings/{v}/e/{PARTNER_EXCHANGE}/q/{q}", {"routing_key": account.binding})

    def provision(
        self, account: PartnerAccount, vhost: str, password: str | None = None, username: str | None = None
    ) -> str:
        """Create or update the partner's queue, user and permissions; returns its password.
        ``username`` overrides the account's user name (broker users are global across
        virtual hosts: tests running side by side give each vhost its own)."""
        password = password or secrets.token_urlsafe(24)
        v, u = quote(vhost, safe=""), quote(username or account.username, safe="")
        self.declare_inbox(account, vhost)
        self._call("PUT", f"/api/users/{u}", {"password": password, "tags": ""})
        self._call("PUT", f"/api/permissions/{v}/{u}", account.permissions())
        for topic in account.topic_permissions():
            self._call("PUT", f"/api/topic-permissions/{v}/{u}", topic)
        return password

    def remove(self, account: PartnerAccount, username: str | None = None) -> None:
        """Delete the user (the broker closes its connections); its queue stays, with what
        it holds, until an operator deletes it."""
        self._call("DELETE", f"/api/users/{quote(username or account.username, safe='')}")
