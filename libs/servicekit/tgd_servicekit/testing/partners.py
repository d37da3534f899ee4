"""Partners in tests: a capturing inbox bound to ``tgd.partners`` with given patterns
(e.g. ``police.03.csp-x.*``), and broker users provisioned as ``tgd broker
provision-partner`` does, for tests that run a partner with its own least privilege."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote

from kombu import Connection, Exchange, Queue, binding

from tgd_contracts.partners import PARTNER_EXCHANGE
from tgd_servicekit.partner_access import ManagementApi, PartnerAccount

from .bus import CapturedMessage, MessageCapture


class PartnerInbox(MessageCapture):
    def __init__(self, amqp_uri: str, *patterns: str):
        exchange = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)
        with Connection(amqp_uri) as conn:
            exchange(conn.default_channel).declare()
        queue = Queue(
            f"partner-inbox-{uuid.uuid4().hex[:8]}",
            bindings=[binding(exchange, routing_key=p) for p in patterns],
            exclusive=True,
            auto_delete=True,
        )
        super().__init__(amqp_uri, [queue])

    def wait_for(
        self, predicate: Callable[[CapturedMessage], bool], count: int = 1, timeout: float = 15
    ) -> list[CapturedMessage]:
        return self.wait_until(predicate, count, timeout, "partner messages")


@contextmanager
def provisioned_partners(broker, vhost_uri: str, *accounts: PartnerAccount) -> Iterator[dict[PartnerAccount, str]]:
    """Provision each account on the test's vhost as ``tgd broker provision-partner`` does
    (least privilege, never guest); yield its ``amqp://`` URL; delete the users after."""
    vhost = unquote(vhost_uri.rsplit("/", 1)[1]) or "/"
    api = ManagementApi(broker.api_url, broker.user, broker.password)
    made: list[PartnerAccount] = []
    try:
        urls = {}
        for account in accounts:
            password = api.provision(account, vhost)
            made.append(account)
            urls[account] = (
                f"amqp://{account.username}:{quote(password, safe='')}@127.0.0.1:5672/{quote(vhost, safe='')}"
            )
        yield urls
    finally:
        for account in made:
            api.remove(account)
