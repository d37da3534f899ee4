"""The hand-over restore RPCs on the real RabbitMQ, called the way ``tgd handover import``
calls them (:func:`tgd_cli.handover_restore.broker_call`): the same terminals again are
unchanged, other content is refused with the service's reason, nothing is written."""

import pytest

from device.models import DB_ALIAS
from device.service import DeviceService
from tgd_cli.handover_restore import Refused, broker_call

from ..factories import registration

pytestmark = pytest.mark.integration


@pytest.fixture
def device_service(container_factory, nameko_amqp_config, in_memory_db):
    in_memory_db(DB_ALIAS)
    container = container_factory(DeviceService)
    container.start()
    return container


def test_restore_over_the_broker_is_idempotent_and_a_conflict_comes_back_as_a_refusal(device_service, vhost_uri):
    with broker_call(vhost_uri, timeout=30) as call:
        call("device", "add_device", registration=registration(7))
        terminals = call("device", "handover_terminals", jurisdiction="tj-moulins")["items"]
        assert call("device", "restore_terminals", jurisdiction="tj-moulins", terminals=terminals) == {
            "restored": 0,
            "unchanged": 1,
        }
        changed = [{**terminals[0], "brand": "Autre marque"}]
        with pytest.raises(Refused, match="RestoreConflict"):
            call("device", "restore_terminals", jurisdiction="tj-moulins", terminals=changed)
        assert call("device", "handover_terminals", jurisdiction="tj-moulins")["items"] == terminals


def test_an_unreachable_broker_is_a_refusal():
    with pytest.raises(Refused, match="broker could not be reached"):
        with broker_call("pyamqp://guest:guest@127.0.0.1:1/", timeout=2):
            pass
