"""The pytest plugin every suite uses (registered as the ``tgd`` pytest11 entry point).

Fixtures:
- ``broker``: a RabbitMQ for the session (see :mod:`broker`), or a clear failure;
- ``vhost_uri``: a throwaway virtual host on it for one test, deleted afterwards;
- ``nameko_amqp_config``: nameko's global config pointed at that vhost;
- ``in_memory_db``: connect a service's mongoengine alias to mongomock (or, when
  ``TGD_TEST_MONGODB_URI`` is set, to that server: a MongoDB or the local store) for one
  test; ``nameko_amqp_config`` then points the services' own connections at the same
  databases (``MONGODB_URI`` + a ``MONGODB_DB_PREFIX`` of the test's own);
- ``local_store_uri``: the database of the session's real processes: a throwaway durable
  local store (SecantusDB) in a temp dir, or ``TGD_TEST_MONGODB_URI``;
- ``processes``: a :class:`ProcessGroup` on ``local_store_uri`` (databases of its own),
  stopped after the test;
- ``captured_events``: a queue bound to events on the test's vhost, to observe the bus;
- ``partner_url``: ``partner_url({"audience": "police", "territory": "03", "unit": "x"})``
  provisions that partner on the test's vhost as ``tgd broker provision-partner`` does
  and gives its ``amqp://`` URL (its own least-privilege user, removed after the test);
- ``bus_observer``: every message crossing the bus of an ``integration`` or ``e2e`` test
  that uses ``vhost_uri`` is checked against the contracts (see :mod:`contract_checks`);
- ``contract_report``: a line for the terminal summary.

The gateway's tokens (``token_for`` / ``auth_headers``) come from the test kit's own plugin
(:mod:`tgd_testkit.plugin`): this library never imports the gateway.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from tgd_servicekit.testing.broker import Broker, find_broker
from tgd_servicekit.testing.contract_checks import (  # noqa: F401 (fixtures and hooks of this plugin)
    _bus_contract_check,
    bus_observer,
    contract_report,
    pytest_configure,
    pytest_terminal_summary,
)
from tgd_servicekit.testing.processes import ProcessGroup


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
def db_prefix() -> str:
    """The prefix of this test's databases (``<prefix>_<service>``)."""
    return f"tgd_test_{uuid.uuid4().hex[:8]}"


@pytest.fixture
def nameko_amqp_config(vhost_uri: str, db_prefix: str) -> Iterator[dict[str, object]]:
    from nameko import config

    values: dict[str, object] = {"AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": 0.5}
    real_uri = os.environ.get("TGD_TEST_MONGODB_URI")
    if real_uri:  # the containers' own connections go where in_memory_db connected the test
        values.update({"MONGODB_URI": real_uri, "MONGODB_DB_PREFIX": db_prefix})
    with config.patch(values, clear=False):
        yield values


@pytest.fixture
def in_memory_db(db_prefix: str) -> Iterator[Callable[[str], None]]:
    from tgd_servicekit.mongo import connect_database, disconnect_database

    aliases: list[str] = []
    real_uri = os.environ.get("TGD_TEST_MONGODB_URI")

    def connect(alias: str) -> None:
        connect_database(alias, real_uri, f"{db_prefix}_{alias}")
        aliases.append(alias)

    yield connect
    for alias in aliases:
        if real_uri:
            import mongoengine

            connect_database(alias, real_uri, f"{db_prefix}_{alias}")  # a container may have disconnected it
            mongoengine.get_connection(alias).drop_database(f"{db_prefix}_{alias}")
        disconnect_database(alias)


@pytest.fixture(scope="session")
def local_store_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uri = os.environ.get("TGD_TEST_MONGODB_URI")
    if uri:
        yield uri
        return
    group = ProcessGroup(tmp_path_factory.mktemp("local-store"), env={})
    try:
        yield group.start_store()
    finally:
        group.stop_all()


@pytest.fixture
def processes(tmp_path_factory: pytest.TempPathFactory, local_store_uri: str) -> Iterator[ProcessGroup]:
    log_dir = tmp_path_factory.mktemp("process-logs")
    group = ProcessGroup(
        log_dir, env={"MONGODB_URI": local_store_uri, "MONGODB_DB_PREFIX": f"tgd_e2e_{uuid.uuid4().hex[:8]}"}
    )
    yield group
    group.stop_all()


@pytest.fixture
def partner_url(broker: Broker, vhost_uri: str) -> Iterator[Callable[[dict[str, str]], str]]:
    from contextlib import ExitStack

    from tgd_servicekit.partner_access import PartnerAccount
    from tgd_servicekit.testing.partners import provisioned_partners

    with ExitStack() as stack:

        def provision(recipient: dict[str, str]) -> str:
            account = PartnerAccount(recipient["audience"], recipient["territory"], recipient.get("unit"))
            return stack.enter_context(provisioned_partners(broker, vhost_uri, account))[account]

        yield provision


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


@pytest.fixture(scope="session")
def real_mongo_uri() -> Iterator[str]:
    """A real MongoDB: ``TGD_TEST_MONGODB_URI``, else a testcontainers MongoDB when a
    Docker engine answers, else the test is skipped with the reason (the in-memory
    default is covered by every other suite)."""
    from tgd_servicekit.testing.broker import docker_available

    uri = os.environ.get("TGD_TEST_MONGODB_URI")
    if uri:
        yield uri
        return
    if not docker_available():
        pytest.skip("no real MongoDB here: set TGD_TEST_MONGODB_URI or provide a Docker engine")
    from testcontainers.community.mongodb import MongoDbContainer

    with MongoDbContainer("mongo:7.0") as container:
        yield container.get_connection_url()
