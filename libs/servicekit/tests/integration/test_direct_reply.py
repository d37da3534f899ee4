"""The services' RPC entrypoint on the real broker: a caller using RabbitMQ's direct
reply-to (the gateway) gets its reply on the default exchange; nameko's own callers
(ServiceRpc) still get theirs on ``nameko-rpc``; the request queue is a classic queue with
a message TTL, and the quorum queue of an earlier version is replaced (or refused with a
clear message while it is in use)."""

import json
import uuid

import amqp
import pytest
import requests
from kombu import Connection

from tgd_servicekit.consumers import rpc
from tgd_servicekit.rpc_queues import RPC_REQUEST_TTL_MS, RpcQueueMismatch, prepare_rpc_queue, prepare_rpc_queues

pytestmark = pytest.mark.integration


class Echoer:
    name = "echoer"

    @rpc
    def echo(self, value):
        return {"echo": value}


def call_with_direct_reply(vhost_uri, method, kwargs, n=1):
    """``n`` requests on one channel consuming amq.rabbitmq.reply-to; the replies by correlation id."""
    replies = {}
    with Connection(vhost_uri) as conn:
        conn.connect()
        channel = conn.connection.channel()
        channel.basic_consume(
            "amq.rabbitmq.reply-to",
            no_ack=True,
            callback=lambda m: replies.__setitem__(m.properties["correlation_id"], (m.delivery_info, m.body)),
        )
        ids = [uuid.uuid4().hex for _ in range(n)]
        for correlation_id in ids:
            message = amqp.Message(
                json.dumps({"args": [], "kwargs": kwargs}),
                content_type="application/json",
                content_encoding="utf-8",
                reply_to="amq.rabbitmq.reply-to",
                correlation_id=correlation_id,
                expiration="5000",
            )
            channel.basic_publish(message, exchange="nameko-rpc", routing_key=f"echoer.{method}")
        while len(replies) < n:
            conn.connection.drain_events(timeout=10)
    return [replies[i] for i in ids]


def test_a_direct_reply_to_caller_gets_its_reply_on_the_default_exchange(container_factory, nameko_amqp_config):
    container_factory(Echoer).start()
    replies = call_with_direct_reply(nameko_amqp_config["AMQP_URI"], "echo", {"value": "Fictive"}, n=5)
    for delivery_info, body in replies:
        assert delivery_info["exchange"] == ""
        assert delivery_info["routing_key"].startswith("amq.rabbitmq.reply-to")
        assert json.loads(body) == {"result": {"echo": "Fictive"}, "error": None}


def test_an_error_reaches_a_direct_reply_to_caller_too(container_factory, nameko_amqp_config):
    container_factory(Echoer).start()
    [(_, body)] = call_with_direct_reply(nameko_amqp_config["AMQP_URI"], "echo", {"wrong": 1})
    assert json.loads(body)["error"]["exc_type"] == "IncorrectSignature"


def test_a_nameko_caller_still_gets_its_reply_on_the_rpc_exchange(container_factory, nameko_amqp_config):
    from nameko.standalone.rpc import ServiceRpcClient

    container_factory(Echoer).start()
    with ServiceRpcClient("echoer") as client:
        assert client.echo("Exemple") == {"echo": "Exemple"}


def test_the_request_queue_is_classic_with_a_message_ttl(container_factory, nameko_amqp_config, broker):
    container_factory(Echoer).start()
    vhost = nameko_amqp_config["AMQP_URI"].rsplit("/", 1)[1]
    found = requests.get(f"{broker.api_url}/api/queues/{vhost}/rpc-echoer", auth=(broker.user, broker.password))
    queue = found.json()
    assert queue["type"] == "classic"
    assert queue["arguments"]["x-message-ttl"] == RPC_REQUEST_TTL_MS


def declare_quorum(uri, name, message=False):
    with Connection(uri) as conn:
        channel = conn.channel()
        channel.queue_declare(name, durable=True, auto_delete=False, arguments={"x-queue-type": "quorum"})
        if message:
            channel.basic_publish(amqp.Message("{}"), exchange="", routing_key=name)


def test_an_idle_quorum_queue_of_an_earlier_version_is_replaced_at_start(container_factory, nameko_amqp_config):
    uri = nameko_amqp_config["AMQP_URI"]
    declare_quorum(uri, "rpc-echoer")
    container_factory(Echoer).start()
    [(_, body)] = call_with_direct_reply(uri, "echo", {"value": 1})
    assert json.loads(body)["result"] == {"echo": 1}


def test_a_quorum_queue_holding_requests_or_read_is_refused_with_what_to_do(vhost_uri):
    declare_quorum(vhost_uri, "rpc-busy", message=True)
    with Connection(vhost_uri) as conn, pytest.raises(RpcQueueMismatch, match="migrate-rpc-queues"):
        prepare_rpc_queue(conn, "rpc-busy")
    with Connection(vhost_uri) as reader:  # a consumer of the earlier version
        reader.connect()
        channel = reader.connection.channel()
        channel.basic_consume("rpc-busy", callback=lambda m: None)
        with Connection(vhost_uri) as conn, pytest.raises(RpcQueueMismatch, match="stop the instances"):
            prepare_rpc_queue(conn, "rpc-busy", drop_waiting=True)
    [prepared] = prepare_rpc_queues(vhost_uri, services=("busy",))  # tgd broker migrate-rpc-queues
    assert (prepared.migrated, prepared.dropped) == (True, 1)
    assert prepare_rpc_queues(vhost_uri, services=("busy",))[0].migrated is False
