"""How long the outbox relay takes to publish a backlog: one confirm at a time (nameko's
publisher, what the relays did before) against pipelined confirms (ConfirmedBatch).

    .venv/bin/python scripts/bench_outbox_relay.py [--entries 200] [--runs 5] [--store URI]

Each run writes ``--entries`` pending entries (mongomock, or the MongoDB at ``--store``,
e.g. the local store), then times ``relay()`` (claim, publish, mark published) with each
publisher, interleaved. Runs on a throwaway vhost of the local broker (management API on
15672), deleted afterwards. Prints every run, the median and spread, and /proc/loadavg.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime

import mongoengine
from kombu import Connection, Exchange, Queue
from mongoengine import Document, EmbeddedDocumentField, ListField, StringField
from nameko.amqp.publish import Publisher

from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit import outbox
from tgd_servicekit.confirms import ConfirmedBatch, Outgoing
from tgd_servicekit.mongo import connect_database, disconnect_database
from tgd_servicekit.testing.broker import find_broker

ALIAS = "bench_relay"
EXCHANGE = Exchange("bench.events", type="topic", durable=True)


class Owner(Document):
    owner_id = StringField(primary_key=True)
    outbox = ListField(EmbeddedDocumentField(outbox.OutboxEntry))
    meta = {"db_alias": ALIAS, "collection": "owners"}  # noqa: RUF012


class Store(outbox.DocumentOutboxStore):
    outbox_document = Owner
    outbox_owner = "owner_id"


def backlog(entries: int) -> None:
    Owner.drop_collection()
    data = ReferralReceived(
        referral_id="r",
        jurisdiction="tj-paris",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.OTHER,
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    for n in range(entries):  # one pending entry per document, as after an outage
        env = build_envelope(source_service="bench", event_name="referral_received", subject=f"r{n}", data=data)
        entry = outbox.OutboxEntry(event_id=env.id, envelope=env.model_dump(mode="json"), created_at=datetime.now(UTC))
        Owner(owner_id=f"o{n}", outbox=[entry]).save()


def message(envelope) -> Outgoing:
    return Outgoing(envelope.model_dump(mode="json"), EXCHANGE, envelope.event_name, {}, envelope.id, envelope.type)


def timed_relay(entries: int, publish_many) -> float:
    backlog(entries)
    started = time.perf_counter()
    report = outbox.relay(Store(), publish_many=publish_many, limit=entries)
    elapsed = (time.perf_counter() - started) * 1000
    if report.published != entries:
        raise SystemExit(f"published {report.published} of {entries}: {report}")
    return elapsed


def summary(name: str, values: list[float], entries: int) -> str:
    median = statistics.median(values)
    return (
        f"{name:<22} median {median:8.1f} ms  spread {min(values):.1f}-{max(values):.1f} ms  "
        f"({median / entries:.2f} ms/entry)  runs: {', '.join(f'{v:.1f}' for v in values)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", default=None, help="a MongoDB URI (default: mongomock, in memory)")
    args = parser.parse_args()
    broker, _, why = find_broker()
    if broker is None:
        raise SystemExit(why)
    vhost = broker.create_vhost()
    uri = broker.uri_for_vhost(vhost)
    connect_database(ALIAS, args.store, f"tgd_bench_relay_{uuid.uuid4().hex[:6]}")
    sink = Queue("bench-sink", EXCHANGE, routing_key="#", durable=True)
    try:
        with Connection(uri) as conn:
            sink(conn.default_channel).declare()
        one = Publisher(uri, exchange=EXCHANGE, declare=[EXCHANGE])
        batch = ConfirmedBatch(uri)

        def one_by_one(envelopes):
            return outbox.publish_one_by_one(
                lambda e: one.publish(e.model_dump(mode="json"), routing_key=e.event_name, message_id=e.id)
            )(envelopes)

        def pipelined(envelopes):
            return batch.publish([message(e) for e in envelopes])

        timed_relay(10, one_by_one), timed_relay(10, pipelined)  # warm-up: connections, pools
        before, after = [], []
        for _ in range(args.runs):  # interleaved: the same load for both
            before.append(timed_relay(args.entries, one_by_one))
            after.append(timed_relay(args.entries, pipelined))
        batch.close()
        store = args.store or "mongomock"
        print(f"relay of {args.entries} pending entries, {args.runs} runs each, store: {store.split('?')[0]}")
        print(summary("one confirm at a time", before, args.entries))
        print(summary("pipelined confirms", after, args.entries))
        print(f"/proc/loadavg: {open('/proc/loadavg').read().strip()}")
    finally:
        mongoengine.get_connection(ALIAS).drop_database(mongoengine.get_db(ALIAS).name)
        disconnect_database(ALIAS)
        broker.delete_vhost(vhost)


if __name__ == "__main__":
    main()
