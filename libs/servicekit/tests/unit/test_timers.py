"""The configured timer reads its interval when the container sets it up; the relay
mixin relays every outbox the service names."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from nameko import config

from tgd_servicekit import timers
from tgd_servicekit.outbox import RelayReport


def test_the_interval_is_the_setting_at_setup_not_at_import():
    timer = timers.ConfiguredTimer("TGD_TEST_TICK", 7)
    assert timer.interval == 7.0
    with config.patch({"TGD_TEST_TICK": "0.25"}):
        timer.setup()
    assert timer.interval == 0.25
    with config.patch({}, clear=True):
        timer.setup()
    assert timer.interval == 7.0


def test_the_clock_gives_aware_utc_now():
    now = timers.Clock().get_dependency(None)()
    assert now.tzinfo == UTC
    assert abs((datetime.now(UTC) - now).total_seconds()) < 60


def test_the_relay_timer_relays_every_outbox(monkeypatch):
    relayed = []

    def fake_relay(store, publish_many):
        relayed.append((store, publish_many))
        return RelayReport(published=1, failed=1)

    monkeypatch.setattr(timers, "relay", fake_relay)
    service = SimpleNamespace(outboxes=lambda: [("events", len), ("reminders", sum)])
    timers.OutboxRelay.relay_outbox(service)
    assert relayed == [("events", len), ("reminders", sum)]
