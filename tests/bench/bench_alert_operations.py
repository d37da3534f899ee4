"""The alert service's own CPU per alert, measured on its operations (no broker): the
service class driven through nameko's ``worker_factory`` with the real repository, on
mongomock (default) or on a MongoDB / the durable local store (``--mongodb-uri``).

One alert = what the alert path asks of the alert service: the press (trigger), the
operator's live list (``list_open_alerts``, ~``--open`` alerts open), the alert opened
(``get_alert``), taken, one answer, qualified "danger" (dispatch to the CIC, her home
unit and the association), each addressee's acknowledgement, a partner's outcome
(closes it). When the service still consumes its own ``alert_raised`` (to refresh the
dossier), the bench delivers it too, as the broker would.

Run: .venv/bin/python tests/bench/bench_alert_operations.py [--alerts 200] [--runs 3]
Prints CPU ms per alert (process time) for each run, the median and spread, the AES-GCM
seals and opens per alert, and /proc/loadavg. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "services" / "alert" / "tests" / "service"))

from nameko.testing.services import worker_factory
from test_service import Clock, Dossiers, Recorder, provision

from alert.dependencies import AlertSettings, load_script
from alert.domain.escalation import Policy
from alert.models import DB_ALIAS
from alert.repository import AlertRepository
from alert.service import AlertService
from tgd_servicekit import crypto
from tgd_servicekit.handlers import parse_event
from tgd_servicekit.mongo import connect_database, disconnect_database

T0 = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


class Counting:
    """Counts AES-GCM seals and opens (wraps the module functions)."""

    def __init__(self) -> None:
        self.seals = self.opens = 0
        self._seal, self._open = crypto.seal, crypto.open_sealed

        def seal(*args, **kwargs):
            self.seals += 1
            return self._seal(*args, **kwargs)

        def open_(*args, **kwargs):
            self.opens += 1
            return self._open(*args, **kwargs)

        crypto.seal, crypto.open_sealed = seal, open_


def build(uri: str | None, run: int):
    connect_database(DB_ALIAS, uri, f"bench_alertops_{run}_{int(time.time())}")
    settings = AlertSettings(
        policy=Policy(failsafe_delay=timedelta(seconds=30), ack_delay=timedelta(seconds=60), repeats=1),
        grouping_window=timedelta(seconds=600),
        script=load_script(None),
    )
    events = Recorder()
    return worker_factory(
        AlertService,
        alerts=AlertRepository(),
        events=events,
        partners=events,
        settings=settings,
        now=Clock(),
        dossiers=Dossiers(),
        spawn=lambda fn, *args: fn(*args),
    )


def self_consumed(service, start: int) -> None:
    """Deliver the service's own ``alert_raised`` events when it still consumes them."""
    handler = getattr(service, "on_alert_raised", None)
    if handler is None:
        return
    for envelope, routing_key in service.events.published[start:]:
        if routing_key is None and envelope.event_name == "alert_raised":
            handler(parse_event(envelope.model_dump(mode="json"), "alert_raised"))


def one_alert(service, i: int, open_ids: list[str]) -> None:
    device = f"dev-{i}"
    at = T0 + timedelta(seconds=i)
    service.now.now = at
    mark = len(service.events.published)
    alert_id = service.trigger_alert(
        {
            "device_id": device,
            "press_id": f"press-{i}",
            "triggered_at": at.isoformat(),
            "position": {"lat": 46.56, "lon": 3.33, "accuracy_m": 12.0, "fixed_at": at.isoformat()},
        }
    )["alert_id"]
    self_consumed(service, mark)
    service.list_open_alerts()
    service.get_alert(alert_id)
    service.take_alert(alert_id, {"operator": "op-1"})
    service.answer_question(alert_id, {"operator": "op-1", "question_id": "author-present", "answer": "yes"})
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    for delivery in view["deliveries"]:
        service.acknowledge(alert_id, {"dispatch_id": delivery["dispatch_id"], "recipient": delivery["recipient"]})
    open_ids.append((alert_id, view["deliveries"][0]["recipient"]))
    if len(open_ids) > OPEN:
        old_id, recipient = open_ids.pop(0)
        service.report_outcome(old_id, {"recipient": recipient, "result": "author_arrested"})


OPEN = 20


def run_once(uri: str | None, alerts: int, run: int, counting: Counting) -> tuple[float, float, float]:
    service = build(uri, run)
    for i in range(alerts):  # devices first (their events are not part of the alert path)
        provision(service, device_id=f"dev-{i}")
    open_ids: list = []
    one_alert(service, alerts, open_ids)  # warm up
    seals, opens = counting.seals, counting.opens
    start = time.process_time()
    for i in range(alerts):
        one_alert(service, i, open_ids)
    cpu = time.process_time() - start
    disconnect_database(DB_ALIAS)
    return cpu / alerts * 1000, (counting.seals - seals) / alerts, (counting.opens - opens) / alerts


def main() -> None:
    global OPEN
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--open", type=int, default=OPEN, help="alerts kept open (the operator's list)")
    parser.add_argument("--mongodb-uri", default=None, help="a MongoDB / the local store (default: mongomock)")
    args = parser.parse_args()
    OPEN = args.open
    counting = Counting()
    print(f"loadavg before: {Path('/proc/loadavg').read_text().strip()}")
    results = []
    for run in range(args.runs):
        ms, seals, opens = run_once(args.mongodb_uri, args.alerts, run, counting)
        results.append(ms)
        print(f"run {run + 1}: {ms:.2f} ms CPU per alert; {seals:.0f} seals, {opens:.0f} opens per alert")
    spread = f"{min(results):.2f}–{max(results):.2f}"
    median = statistics.median(results)
    print(f"median {median:.2f} ms CPU per alert (spread {spread}), {args.alerts} alerts × {args.runs}")
    print(f"loadavg after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
