"""The gateway's RPC client on the real broker, against a responder that speaks
nameko's wire protocol (the same one the services answer with)."""

import asyncio
import json
import threading

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from gateway.rpc import RemoteServiceError, RpcClient
from tgd_contracts.errors import ErrorCode, TgdError

pytestmark = pytest.mark.integration
RPC = Exchange("nameko-rpc", type="topic", durable=True)


class Responder(threading.Thread):
    """Answers ``fake.*`` calls: echo, fail_expected, fail_unexpected, silent."""

    def __init__(self, uri):
        super().__init__(daemon=True)
        self.uri = uri
        self.requests = []
        self.ready = threading.Event()
        self.stopping = threading.Event()

    def run(self):
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
        reply = {"result": None, "error": None}
        if method == "echo":
            reply["result"] = body["kwargs"]
        elif method == "fail_expected":
            value = json.dumps({"error": "referral_not_found", "message": "none here"})
            reply["error"] = {"exc_type": "ReferralNotFound", "value": value}
        else:
            reply["error"] = {"exc_type": "KeyError", "value": "'x'"}
        producer.publish(
            reply,
            exchange=RPC,
            routing_key=message.properties["reply_to"],
            correlation_id=message.properties["correlation_id"],
            serializer="json",
        )


@pytest.fixture
def responder(vhost_uri):
    thread = Responder(vhost_uri)
    thread.start()
    thread.ready.wait(10)
    yield thread
    thread.stopping.set()
    thread.join(5)


@pytest.fixture
def client(vhost_uri):
    rpc = RpcClient(vhost_uri, timeout_s=1.0)
    rpc.start()
    yield rpc
    rpc.stop()


def test_a_call_returns_the_result_and_carries_the_trace_context(client, responder):
    provider = TracerProvider()
    tracer = provider.get_tracer("test")

    async def go():
        with trace.use_span(tracer.start_span("request")) as span:
            result = await client.call("fake", "echo", a=1, b="two")
            return result, span.get_span_context().trace_id

    result, trace_id = asyncio.run(go())
    assert result == {"a": 1, "b": "two"}
    headers = responder.requests[0][2]
    assert headers["nameko.traceparent"].split("-")[1] == f"{trace_id:032x}"


def test_an_expected_service_error_keeps_its_code(client, responder):
    with pytest.raises(TgdError) as info:
        asyncio.run(client.call("fake", "fail_expected"))
    assert info.value.code is ErrorCode.REFERRAL_NOT_FOUND
    assert info.value.message == "none here"


def test_an_unexpected_service_error_is_not_passed_through(client, responder):
    with pytest.raises(RemoteServiceError):
        asyncio.run(client.call("fake", "fail_unexpected"))


def test_a_service_that_does_not_answer_times_out(client, responder):
    with pytest.raises(TgdError) as info:
        asyncio.run(client.call("fake", "silent"))
    assert info.value.code is ErrorCode.SERVICE_TIMEOUT


def test_a_service_with_no_queue_is_unavailable_at_once(client):
    with pytest.raises(TgdError) as info:
        asyncio.run(client.call("absent", "anything"))
    assert info.value.code is ErrorCode.SERVICE_UNAVAILABLE


def test_concurrent_calls_get_their_own_answers(client, responder):
    async def go():
        return await asyncio.gather(*(client.call("fake", "echo", n=n) for n in range(50)))

    assert [r["n"] for r in asyncio.run(go())] == list(range(50))


def test_connected_until_stopped(vhost_uri):
    rpc = RpcClient(vhost_uri, timeout_s=1.0)
    rpc.start()
    assert rpc.connected
    rpc.stop()
    assert not rpc.connected
