"""Broker accounts for partner consumers (police, gendarmerie, association, command
centre): each partner system connects with its own RabbitMQ user that can only

- declare, bind and consume its own queues (``partner.<user>.*``);
- bind them to the ``tgd.partners`` exchange with binding keys of its own audience
  and territory (RabbitMQ topic permissions, checked on ``queue.bind``), so a police
  user of 03 can bind ``police.03.#`` but neither ``gendarmerie.03.#`` nor ``#``;
- never publish on ``tgd.partners`` nor read another partner's queue.

Provisioned through the management HTTP API (``tgd broker provision-partner``).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote

import requests

from tgd_contracts.partners import PARTNER_EXCHANGE, Audience, partner_binding, partner_routing_key


@dataclass(frozen=True)
class PartnerAccount:
    audience: Audience
    territory: str
    unit: str | None = None

    def __post_init__(self) -> None:
        partner_routing_key(self.audience, self.territory, self.unit, "notice")  # validates every segment

    @property
    def username(self) -> str:
        return "-".join(["partner", Audience(self.audience).value, self.territory, *([self.unit] if self.unit else [])])

    @property
    def queue_prefix(self) -> str:
        """Its queues are named ``<queue_prefix>.<anything>``."""
        return f"partner.{self.username}"

    @property
    def binding(self) -> str:
        """The widest binding key it may use."""
        return partner_binding(self.audience, self.territory, self.unit)

    def permissions(self) -> dict[str, str]:
        own = rf"^{re.escape(self.queue_prefix)}\..+$"
        return {
            "configure": own,
            "write": own,  # queue.bind needs write on the queue; nothing else is writable
            "read": rf"^{re.escape(PARTNER_EXCHANGE)}$|{own}",  # read the exchange (to bind), its queues
        }

    def topic_permissions(self) -> dict[str, str]:
        parts = [Audience(self.audience).value, self.territory, *([self.unit] if self.unit else [])]
        prefix = r"\.".join(re.escape(p) for p in parts)
        return {"exchange": PARTNER_EXCHANGE, "write": "^$", "read": rf"^{prefix}\..+$"}


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

    def provision(self, account: PartnerAccount, vhost: str, password: str | None = None) -> str:
        """Create or update the partner's user and permissions; returns its password."""
        password = password or secrets.token_urlsafe(24)
        v, u = quote(vhost, safe=""), quote(account.username, safe="")
        self._call("PUT", f"/api/exchanges/{v}/{quote(PARTNER_EXCHANGE, safe='')}", {"type": "topic", "durable": True})
        self._call("PUT", f"/api/users/{u}", {"password": password, "tags": ""})
        self._call("PUT", f"/api/permissions/{v}/{u}", account.permissions())
        self._call("PUT", f"/api/topic-permissions/{v}/{u}", account.topic_permissions())
        return password

    def remove(self, account: PartnerAccount) -> None:
        self._call("DELETE", f"/api/users/{quote(account.username, safe='')}")
