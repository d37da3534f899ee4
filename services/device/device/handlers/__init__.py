"""The device service's use cases, as nameko entrypoint mixins grouped by subject
(assignments, reads, stock, handling, moves); every change to an assignment goes
through :meth:`Handlers._change` (the aggregate algorithm of :mod:`tgd_servicekit.aggregate`)."""

from __future__ import annotations

import logging
from typing import Any

from device import domain
from device.domain import provisioning
from device.exceptions import InvalidState
from device.repository import StaleAssignment
from tgd_contracts.stock import AssignmentStatus, DeviceState
from tgd_servicekit.aggregate import RepositoryStore, Rule, change
from tgd_servicekit.requests import check_id
from tgd_servicekit.service import ServiceShell

log = logging.getLogger(__name__)


class Handlers(ServiceShell):
    """What every entrypoint mixin of the service uses: its dependencies (declared by
    :class:`device.service.DeviceService`) and :meth:`_change`."""

    store: Any
    policy: Any

    def _change(self, attribution_id: str, transition: Rule[domain.Assignment]) -> domain.Assignment:
        """Load (or start) the assignment, apply ``transition``, give her a device when
        she is ready for one, store the state and its events in one write, publish; a
        concurrent change puts the device back and starts again."""
        check_id(attribution_id)
        taken: dict[str, str | None] = {"device": None}

        def rule(a: domain.Assignment) -> tuple[domain.Assignment, list[domain.Event]]:
            taken["device"] = None
            changed, emitted = transition(a)
            court = provisioning.needs_device(changed)
            if court is None:
                return changed, emitted
            taken["device"] = self.store.take_device(court, attribution_id)
            changed, more = provisioning.provisioned(changed, taken["device"], self.now())
            return changed, [*emitted, *more]

        def put_back(_before: domain.Assignment, _rejected: domain.Assignment) -> None:
            if taken["device"]:  # the handset never left: back in stock
                self.store.release_device(taken["device"], attribution_id)

        done = change(
            RepositoryStore(self.store, self._write, StaleAssignment),
            attribution_id,
            rule,
            build=lambda _a, event: self.events.build(event[0], attribution_id, event[1]),
            publish=self.events.publish,
            start=lambda key: domain.Assignment(attribution_id=key),
            compensate=put_back,
            conflict=lambda: InvalidState("The attribution changed meanwhile; retry."),
        )
        if done.written:
            self._device_follows(done.before, done.after)
            for envelope in done.messages:
                log.info("attribution %s: %s", attribution_id, envelope.event_name)
        return done.after

    def _write(self, a: domain.Assignment, version: int | None, envelopes: list[Any]) -> None:
        self.store.save(a, version, envelopes, self.now(), domain.next_deadline(a, self.policy))

    def _device_follows(self, before: domain.Assignment, after: domain.Assignment) -> None:
        if after.device_id is None or before.status == after.status:
            return
        if after.status == AssignmentStatus.ACTIVE:
            self.store.set_device_state(after.device_id, after.attribution_id, DeviceState.ACTIVE)
        elif after.status == AssignmentStatus.RETURNED:
            self.store.await_collection(after.device_id, after.attribution_id)
