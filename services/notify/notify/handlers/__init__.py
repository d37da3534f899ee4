"""The notify service's use cases, as nameko entrypoint mixins grouped by subject
(notices, reads, changes, the author's release, reminders, partner replies); every
change to an information goes through :meth:`Handlers._change` (the aggregate algorithm of
:mod:`tgd_servicekit.aggregate`), every message leaves through its publishing helpers."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from notify import domain
from notify.exceptions import AttributionNotFound, InvalidState
from notify.repository import StaleInformation
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.registry import PARTNER_MESSAGES
from tgd_servicekit.aggregate import RepositoryStore, Rule, change
from tgd_servicekit.outbox import partitioned
from tgd_servicekit.service import ServiceShell
from tgd_servicekit.tracing import current_trace_headers

log = logging.getLogger(__name__)


def new_id() -> str:
    """A fresh id for a notice or a message."""
    return uuid.uuid4().hex


class Handlers(ServiceShell):
    """What every entrypoint mixin of the service uses: its dependencies (declared by
    :class:`notify.service.NotifyService`), :meth:`_change` and the publishing helpers."""

    name: str
    informations: Any
    reminders: Any
    partners: Any
    directory: Any
    dossiers: Any
    measures: Any
    policy: Any
    _remind_all: Any  # notify.handlers.reminders

    def _change(self, attribution_id: str, transition: Rule[domain.Information], new: bool = False) -> Any:
        """Load, apply ``transition``, store the information and its messages in one
        write, publish; a concurrent change starts again. ``new``: a missing information
        is started (the transition gets None) and :class:`Changed` is returned, else the
        information after the change."""

        def write(info: domain.Information, version: int | None, envelopes: list[Envelope]) -> None:
            deadline = domain.next_deadline(info, self.policy)
            if version is None:
                if not self.informations.create(info, envelopes, self.now(), deadline):
                    raise StaleInformation(attribution_id)  # created meanwhile: read it again
                return
            self.informations.save(info, version, envelopes, deadline)

        done = change(
            RepositoryStore(self.informations, write, StaleInformation),
            attribution_id,
            transition,
            build=lambda _info, message: self._build(message[0], attribution_id, message[1]),
            publish=self._publish,
            start=(lambda _key: None) if new else None,
            missing=AttributionNotFound,
            conflict=lambda: InvalidState("The notices changed meanwhile; retry."),
        )
        return done if new else done.after

    def _build(self, name: str, subject: str, data: Any) -> Envelope:
        if name in PARTNER_MESSAGES:
            headers = current_trace_headers()
            return build_envelope(
                source_service=self.name,
                event_name=name,
                subject=subject,
                data=data,
                traceparent=headers.get("traceparent"),
                tracestate=headers.get("tracestate"),
            )
        return self.events.build(name, subject, data)

    def _publish(self, envelope: Envelope) -> None:
        name = envelope.event_name
        if name in PARTNER_MESSAGES:
            data = PARTNER_MESSAGES[name].consume(envelope.data)
            self.partners.publish(envelope, domain.routing_key(name, data))
        else:
            self.events.publish(envelope)

    def _publish_many(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        """The relay's publisher: events with pipelined confirms, partner messages one by one."""
        to_events = partitioned(lambda e: e.event_name not in PARTNER_MESSAGES, self.events.publish_many, self._publish)
        return to_events(envelopes)
