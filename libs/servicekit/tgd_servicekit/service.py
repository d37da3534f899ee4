"""What every TGD service class is besides its own entrypoints and dependencies, written
once: it publishes CloudEvents (``events``), reads the clock (``now``), relays what its
outboxes hold (:class:`~tgd_servicekit.timers.OutboxRelay`) and reseals its encrypted
documents under the active key (:class:`~tgd_servicekit.rotation.KeyRotation`).

Each service's ``Handlers`` (the base of its entrypoint mixins) derives from
:class:`ServiceShell`; its service class composes those mixins and says its ``name``, its
``ENCRYPTED_DOCUMENTS``, its own dependencies and its ``outboxes()``. nameko finds the
inherited dependency providers and entrypoints on the service class like its own."""

from __future__ import annotations

from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.rotation import KeyRotation
from tgd_servicekit.timers import Clock, OutboxRelay


class ServiceShell(OutboxRelay, KeyRotation):
    events = EnvelopeDispatcher()
    now = Clock()
