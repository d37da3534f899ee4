"""The gateway's RPC client without a broker: a fake channel that holds every publisher
confirm shows that no call waits for another's confirm (no lock across confirms), and
that replies find their callers by correlation id."""

import asyncio
import json
from types import SimpleNamespace

import pytest

from gateway.rpc import DIRECT_REPLY_TO, RpcClient, aiormq_url
from tgd_contracts.errors import ErrorCode, TgdError


class HeldConfirms:
    """basic_publish returns only when the test releases the confirms."""

    def __init__(self):
        self.published = []
        self.confirm = asyncio.Event()

    async def basic_publish(self, body, *, exchange, routing_key, properties, mandatory):
        self.published.append((exchange, routing_key, properties, json.loads(body), mandatory))
        await self.confirm.wait()


def reply(properties, result):
    body = json.dumps({"result": result, "error": None}).encode()
    return SimpleNamespace(header=SimpleNamespace(properties=properties), body=body)


def connected(channel, timeout_s=5.0):
    client = RpcClient("pyamqp://guest:guest@127.0.0.1:5672/", timeout_s=timeout_s)
    client._channel = channel
    client._ready.set()
    return client


def test_every_call_is_published_before_any_confirm_comes_back():
    async def scenario():
        channel = HeldConfirms()
        client = connected(channel)
        calls = [asyncio.create_task(client.call("fake", "echo", n=n)) for n in range(10)]
        for _ in range(100):  # let every call run up to its confirm
            await asyncio.sleep(0)
        published_while_held = len(channel.published)
        channel.confirm.set()
        for _, _, properties, body, _ in reversed(channel.published):  # answers in another order
            await client._on_reply(reply(properties, body["kwargs"]["n"]))
        return published_while_held, await asyncio.gather(*calls), channel.published

    held, results, published = asyncio.run(scenario())
    assert held == 10
    assert results == list(range(10))
    exchange, routing_key, properties, body, mandatory = published[0]
    assert (exchange, routing_key, mandatory) == ("nameko-rpc", "fake.echo", True)
    assert properties.reply_to == DIRECT_REPLY_TO
    assert properties.expiration == "5000"
    assert properties.content_type == "application/json"
    assert body == {"args": [], "kwargs": {"n": 0}}


def test_a_lost_connection_fails_the_calls_in_flight_at_once():
    async def scenario():
        channel = HeldConfirms()
        channel.confirm.set()
        client = connected(channel, timeout_s=30)
        call = asyncio.create_task(client.call("fake", "echo"))
        await asyncio.sleep(0.01)
        client._lost()
        with pytest.raises(TgdError) as info:
            await call
        return info.value.code, client.connected

    assert asyncio.run(scenario()) == (ErrorCode.SERVICE_UNAVAILABLE, False)


def test_a_reply_nobody_waits_for_is_dropped():
    async def scenario():
        client = connected(HeldConfirms())
        await client._on_reply(reply(SimpleNamespace(correlation_id="late"), 1))
        return client._pending

    assert asyncio.run(scenario()) == {}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("pyamqp://guest:guest@127.0.0.1:5672/", "amqp://guest:guest@127.0.0.1:5672/?heartbeat=30"),
        ("amqp://u:p@h:5672/tgd", "amqp://u:p@h:5672/tgd?heartbeat=30"),
        ("amqps://u:p@h:5671/tgd?x=1", "amqps://u:p@h:5671/tgd?x=1&heartbeat=30"),
    ],
)
def test_the_broker_address_in_aiormq_form(given, expected):
    assert aiormq_url(given, 30) == expected


def test_a_broker_address_without_a_scheme_is_refused():
    with pytest.raises(ValueError, match="AMQP_URI"):
        aiormq_url("127.0.0.1:5672", 30)
