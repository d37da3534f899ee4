"""The gateway's RPC client on the real broker, against a responder that speaks
nameko's wire protocol and answers a direct reply-to caller on the default exchange, as
the services do (tgd_servicekit.consumers; the services' own side is tested in
libs/servicekit/tests/integration/test_direct_reply.py)."""

import asyncio
import json
import subprocess
import threading

import pytest
from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu import Connection, Consumer, Exchange, Producer, Queue
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from gateway.rpc import RemoteServiceError, RpcClient
from tgd_contracts.errors import ErrorCode, TgdError

pytestmark = pytest.mark.integration
RPC = Exchange("nameko-rpc", type="topic", durable=True)


class Responder(threading.Thread):
    """Answers ``fake.*`` calls: echo, fail_expected, fail_unexpected, silent; ``held``
    calls are answered only once ``hold`` of them have arrived."""

    def __init__(self, uri, hold=0):
        super().__init__(daemon=True)
        self.uri = uri
        self.hold = hold
        self.held = []
        self.requests = []
        self.reply_to = set()
        self.ready = threading.Event()
        self.stopping = threading.Event()

    def run(self):
        try:
            self.serve()
        except (AmqpConnectionError, OSError):  # the broker closed its connection (the reconnection test): done
            pass

    def serve(self):
        with Connection(self.uri) as conn:
            queue = Queue("rpc-fake", exchange=RPC, routing_key="fake.*", auto_delete=True)
            producer = Producer(conn.channel())
            with Consumer(
                conn, [queue], callbacks=[lambda body, msg: self.answer(producer, body, msg)], accept=["json"]
            ):
                self.ready.set()
                while not self.stopping.is_set():
                    try:
                        conn.drain_events(timeout=0.2)
                    except TimeoutError:
                        pass

    def answer(self, producer, body, message):
        message.ack()
        method = message.delivery_info["routing_key"].split(".")[1]
        self.requests.append((method, body, dict(message.headers or {})))
        if method == "silent":
            return
        if method == "held":
            self.held.append(message)
            if len(self.held) == self.hold:
                for held in self.held:
                    self.reply(producer, held, {"result": held.payload["kwargs"], "error": None})
            return
        reply = {"result": None, "error": None}
        if method == "echo":
            reply["result"] = body["kwargs"]
        elif method == "fail_expected":
            value = json.dumps({"error": "referral_not_found", "message": "none here"})
            reply["error"] = {"exc_type": "ReferralNotFound", "value": value}
        else:
            reply["error"] = {"exc_type": "KeyError", "value": "'x'"}
        self.reply(producer, message, reply)

    def reply(self, producer, message, reply):
        reply_to = message.properties["reply_to"]
        assert reply_to.startswith("amq.rabbitmq.reply-to")
        self.reply_to.add(reply_to)
        producer.publish(
            reply,
            exchange="",  # direct reply-to: the default exchange, no queue
            routing_key=reply_to,
            correlation_id=message.properties["correlation_id"],
            serializer="json",
        )


@pytest.fixture
def responder(vhost_uri):
    thread = Responder(vhost_uri, hold=20)
    thread.start()
    thread.ready.wait(10)
    yield thread
    thread.stopping.set()
    thread.join(5)


def with_client(vhost_uri, scenario, timeout_s=1.0):
    """Run ``scenario(client)`` on a fresh event loop with a started client."""

    async def go():
        client = RpcClient(vhost_uri, timeout_s=timeout_s)
        await client.start()
        try:
            return await scenario(client)
        finally:
            await client.stop()

    return asyncio.run(go())


def test_a_call_returns_the_result_by_direct_reply_to_and_carries_the_trace_context(vhost_uri, responder):
    provider = TracerProvider()
    tracer = provider.get_tracer("test")

    async def scenario(client):
        with trace.use_span(tracer.start_span("request")) as span:
            result = await client.call("fake", "echo", a=1, b="two")
            return result, span.get_span_context().trace_id

    result, trace_id = with_client(vhost_uri, scenario)
    assert result == {"a": 1, "b": "two"}
    headers = responder.requests[0][2]
    assert headers["nameko.traceparent"].split("-")[1] == f"{trace_id:032x}"
    assert len(responder.reply_to) == 1  # the broker's pseudo-queue of the client's channel


def test_an_expected_service_error_keeps_its_code(vhost_uri, responder):
    with pytest.raises(TgdError) as info:
        with_client(vhost_uri, lambda c: c.call("fake", "fail_expected"))
    assert info.value.code is ErrorCode.REFERRAL_NOT_FOUND
    assert info.value.message == "none here"


def test_an_unexpected_service_error_is_not_passed_through(vhost_uri, responder):
    with pytest.raises(RemoteServiceError):
        with_client(vhost_uri, lambda c: c.call("fake", "fail_unexpected"))


def test_a_service_that_does_not_answer_times_out_and_the_client_carries_on(vhost_uri, responder):
    async def scenario(client):
        with pytest.raises(TgdError) as info:
            await client.call("fake", "silent")
        assert info.value.code is ErrorCode.SERVICE_TIMEOUT
        return await client.call("fake", "echo", after="timeout")

    assert with_client(vhost_uri, scenario) == {"after": "timeout"}


def test_a_service_with_no_queue_is_unavailable_at_once(vhost_uri):
    async def scenario(client):
        with pytest.raises(TgdError) as info:
            await client.call("absent", "anything")
        return info.value

    error = with_client(vhost_uri, scenario, timeout_s=30.0)  # NO_ROUTE comes back, no waiting for the timeout
    assert error.code is ErrorCode.SERVICE_UNAVAILABLE
    assert "absent" in error.message


def test_concurrent_calls_get_their_own_answers(vhost_uri, responder):
    async def scenario(client):
        return await asyncio.gather(*(client.call("fake", "echo", n=n) for n in range(50)))

    assert [r["n"] for r in with_client(vhost_uri, scenario)] == list(range(50))


def test_concurrent_calls_are_all_in_flight_at_once(vhost_uri, responder):
    """The responder answers none of 20 calls before it holds all 20: a client that
    serialised its calls (one in flight at a time) would time out here."""

    async def scenario(client):
        return await asyncio.gather(*(client.call("fake", "held", n=n) for n in range(20)))

    assert sorted(r["n"] for r in with_client(vhost_uri, scenario, timeout_s=5.0)) == list(range(20))


def test_connected_until_stopped(vhost_uri):
    async def scenario():
        client = RpcClient(vhost_uri, timeout_s=1.0)
        await client.start()
        connected = client.connected
        await client.stop()
        return connected, client.connected

    assert asyncio.run(scenario()) == (True, False)


def test_without_a_broker_the_client_answers_unavailable_and_keeps_trying():
    async def scenario():
        client = RpcClient("pyamqp://guest:guest@127.0.0.1:1/", timeout_s=1.0)
        await client.start(wait_s=0.5)
        try:
            with pytest.raises(TgdError) as info:
                await client.call("fake", "echo")
            return info.value.code, client.connected
        finally:
            await client.stop()

    assert asyncio.run(scenario()) == (ErrorCode.SERVICE_UNAVAILABLE, False)


@pytest.mark.no_bus_observer("it closes every connection of its vhost, the observer's too")
def test_a_dropped_connection_fails_the_call_in_flight_and_the_client_reconnects(vhost_uri, responder):
    vhost = vhost_uri.rsplit("/", 1)[1]

    async def scenario(client):
        in_flight = asyncio.create_task(client.call("fake", "silent"))
        await asyncio.sleep(0.3)
        closed = await asyncio.to_thread(
            subprocess.run, ["rabbitmqctl", "close_all_connections", "-p", vhost, "test"], capture_output=True
        )
        assert closed.returncode == 0, closed.stderr
        with pytest.raises(TgdError) as info:
            await in_flight
        for _ in range(100):  # back-off starts at 0.5 s
            if client.connected:
                break
            await asyncio.sleep(0.1)
        with pytest.raises(TgdError) as after:  # the new channel publishes (and gets NO_ROUTE back)
            await client.call("absent", "anything")
        return info.value.code, client.disconnections, after.value.code

    code, disconnections, after = with_client(vhost_uri, scenario, timeout_s=20.0)
    assert code is ErrorCode.SERVICE_UNAVAILABLE  # at once, not after the 20 s timeout
    assert disconnections >= 1
    assert after is ErrorCode.SERVICE_UNAVAILABLE
