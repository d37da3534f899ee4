"""A stand-in for the device service (owned by another issue) in end-to-end tests:
a nameko service named ``device`` that answers ``get_dossier`` with an obviously fake
fiche navette, traced like every service. Run: ``python tests/e2e/fake_device.py``."""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import os  # noqa: E402
import signal  # noqa: E402

from nameko import config  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402

from tgd_contracts.dossier import Dossier  # noqa: E402
from tgd_contracts.examples import dossier as examples  # noqa: E402
from tgd_servicekit.consumers import rpc  # noqa: E402
from tgd_servicekit.tracing import instrument_nameko, setup_tracing  # noqa: E402


def dossier(device_id: str) -> Dossier:
    return Dossier.consume(examples.dossier("att-e2e-0001", device_id, "tj-montlucon", insee_code="03185"))


class FakeDevice:
    name = "device"

    @rpc
    def get_dossier(self, device_id: str) -> dict:
        return dossier(device_id).to_wire()


def main() -> None:
    config.update({"AMQP_URI": os.environ["AMQP_URI"]})
    setup_tracing("device")
    instrument_nameko()
    runner = ServiceRunner()
    runner.add_service(FakeDevice)
    runner.start()
    signal.signal(signal.SIGTERM, lambda *_: eventlet.spawn(runner.stop))
    runner.wait()


if __name__ == "__main__":
    main()
