"""Contract checks of the pytest plugin (re-exported by :mod:`plugin`).

- an autouse fixture that, for every test marked ``integration`` or ``e2e`` using
  ``vhost_uri``, binds a :class:`~tgd_servicekit.testing.observer.BusObserver` before the
  services start and fails the test when a message broke the contracts;
- ``bus_observer`` (that observer, e.g. to ``expect_violations(n)``) and
  ``contract_report`` (a line for the terminal summary);
- the terminal summary: parser validation, pact verification counts, and
  ``bus messages checked: N, violations: M``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from tgd_servicekit.testing.observer import BusObserver

BUS_STATS = pytest.StashKey[dict[str, int]]()
CONTRACT_LINES = pytest.StashKey[list[str]]()


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
    # opt-out for the rare test whose subject is routing itself (the observer's queue makes
    # every partner key routable, e.g. "a notice nobody listens to stays in the outbox")
    opted_out = node.get_closest_marker("no_bus_observer")
    if not marked or opted_out or "vhost_uri" not in request.fixturenames:
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
