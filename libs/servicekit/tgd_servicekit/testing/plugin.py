"""The pytest plugin every suite uses (registered as the ``tgd`` pytest11 entry point).

Fixtures:
- ``broker``: a RabbitMQ for the session (see :mod:`broker`), or a clear failure;
- ``vhost_uri``: a throwaway virtual host on it for one test, deleted afterwards;
- ``nameko_amqp_config``: nameko's global config pointed at that vhost;
- ``in_memory_db``: connect a service's mongoengine alias to mongomock (or to the real
  MongoDB of ``TGD_TEST_MONGODB_URI``) for one test;
- ``processes``: a :class:`ProcessGroup` stopped after the test;
- ``captured_events``: a queue bound to events on the test's vhost, to observe the bus;
- ``bus_observer``: every message crossing the bus of an ``integration`` or ``e2e`` test
  that uses ``vhost_uri`` is checked against the contracts (see :mod:`observer`); it is
  on by default, and the terminal summary says how many messages were checked.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from tgd_servicekit.testing.broker import Broker, find_broker
from tgd_servicekit.testing.observer import BusObserver
from tgd_servicekit.testing.processes import ProcessGroup

BUS_STATS = pytest.StashKey[dict[str, int]]()
CONTRACT_LINES = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    found, container, why = find_broker()
    if found is None:
        pytest.fail(why, pytrace=False)
    yield found
    if container is not None:
        container.stop()  # type: ignore[attr-defined]


@pytest.fixture
def vhost_uri(broker: Broker) -> Iterator[str]:
    vhost = broker.create_vhost()
    yield broker.uri_for_vhost(vhost)
    broker.delete_vhost(vhost)


@pytest.fixture
def nameko_amqp_config(vhost_uri: str) -> Iterator[dict[str, object]]:
    from nameko import config

    values = {"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": 0.5}
    with config.patch(values, clear=False):
        yield values


@pytest.fixture
def in_memory_db() -> Iterator[Callable[[str], None]]:
    from tgd_servicekit.mongo import connect_database, disconnect_database

    aliases: list[str] = []
    real_uri = os.environ.get("TGD_TEST_MONGODB_URI")
    db_name = f"tgd_test_{uuid.uuid4().hex[:8]}"

    def connect(alias: str) -> None:
        connect_database(alias, real_uri, f"{db_name}_{alias}")
        aliases.append(alias)

    yield connect
    for alias in aliases:
        if real_uri:
            import mongoengine

            mongoengine.get_connection(alias).drop_database(f"{db_name}_{alias}")
        disconnect_database(alias)


@pytest.fixture
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessGroup]:
    log_dir = tmp_path_factory.mktemp("process-logs")
    group = ProcessGroup(log_dir, env={})
    yield group
    group.stop_all()


@pytest.fixture
def captured_events(vhost_uri: str) -> Iterator[Callable[..., object]]:
    """``captured_events("referral", ...)`` opens an :class:`EventCapture` on the test's vhost."""
    from tgd_servicekit.testing.bus import EventCapture

    captures: list[EventCapture] = []

    def open_capture(*services: str) -> EventCapture:
        capture = EventCapture(vhost_uri, *services)
        captures.append(capture)
        return capture

    yield open_capture
    for capture in captures:
        capture.close()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("PACT_DO_NOT_TRACK", "true")  # pact-python: no usage report (offline)
    config.stash[BUS_STATS] = {"tests": 0, "checked": 0, "violations": 0, "expected": 0}
    config.stash[CONTRACT_LINES] = []


def trace_in_process() -> None:
    """Services in this process (nameko's container_factory) trace like ``tgd-service``
    does, so what they publish carries a traceparent as in production (no exporter)."""
    from tgd_servicekit.tracing import instrument_nameko, setup_tracing

    if getattr(trace_in_process, "done", False):
        return
    setup_tracing("tests")
    instrument_nameko()
    trace_in_process.done = True  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _bus_contract_check(request: pytest.FixtureRequest) -> Iterator[BusObserver | None]:
    """Checks every message on the test's vhost (integration and e2e tests using ``vhost_uri``)."""
    node = request.node
    marked = node.get_closest_marker("integration") or node.get_closest_marker("e2e")
    if not marked or "vhost_uri" not in request.fixturenames:
        yield None
        return
    if "container_factory" in request.fixturenames:
        trace_in_process()
    observer = BusObserver(request.getfixturevalue("vhost_uri"))
    yield observer
    try:
        observer.collect()
    finally:
        observer.close()
    stats = request.config.stash[BUS_STATS]
    stats["tests"] += 1
    stats["checked"] += len(observer.checked)
    found = len(observer.violations)
    if found != observer.expected_violations:
        stats["violations"] += found
        pytest.fail(
            f"bus contract: {found} message(s) break the contracts ({observer.expected_violations} expected):\n"
            + observer.report(),
            pytrace=False,
        )
    stats["expected"] += found


@pytest.fixture
def bus_observer(_bus_contract_check: BusObserver | None) -> BusObserver:
    """The observer of this test (to ``expect_violations(n)`` or read ``checked``)."""
    if _bus_contract_check is None:
        pytest.fail("bus_observer needs a test marked integration or e2e that uses vhost_uri", pytrace=False)
    return _bus_contract_check


@pytest.fixture
def contract_report(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """``contract_report(line)``: a line for the terminal summary (parser validation,
    pact verification counts...), so CI output shows what the contract checks did."""
    return request.config.stash[CONTRACT_LINES].append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    for line in config.stash.get(CONTRACT_LINES, []):
        terminalreporter.write_line(line)
    stats = config.stash.get(BUS_STATS, None)
    if stats and stats["tests"]:
        terminalreporter.write_line(
            f"bus messages checked: {stats['checked']}, violations: {stats['violations']} "
            f"(in {stats['tests']} tests; {stats['expected']} deliberately invalid messages caught as expected)"
        )
