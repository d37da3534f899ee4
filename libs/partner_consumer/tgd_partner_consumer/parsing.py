"""Reading one message from the platform: the CloudEvent validated, its data typed with
the contracts' model (any partner message: notice, dispatch, escalation, closure, ...), its
sealed personal fields opened with the partner's key. A message that is not valid raises
:class:`InvalidMessage` (the consumer rejects it to the platform's dead letters)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import ValidationError

from tgd_contracts.alert import PartnerDispatch
from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope
from tgd_contracts.registry import PARTNER_EVENTS, event_model
from tgd_contracts.sealing import CannotOpen, associated_data, open_sealed

log = logging.getLogger(__name__)
ACCEPTED = frozenset(str(e) for e in PARTNER_EVENTS)


@dataclass(frozen=True)
class Received:
    """A validated message: the envelope, its typed data and the routing key it came with."""

    envelope: Envelope
    data: Contract
    routing_key: str

    @property
    def is_dispatch(self) -> bool:
        return isinstance(self.data, PartnerDispatch)


class InvalidMessage(Exception):
    pass


def parse(body: bytes, routing_key: str, key: X25519PrivateKey | None = None) -> Received:
    """Validate a message; with ``key``, open its sealed personal fields (a message sealed
    for another key, or altered, is handed over without them: the alert itself must not be
    lost; the error is logged, never the content)."""
    try:
        envelope = Envelope.consume(json.loads(body))
    except (ValueError, ValidationError):
        raise InvalidMessage("not a CloudEvent") from None
    if envelope.event_name not in ACCEPTED:
        raise InvalidMessage(f"unexpected type {envelope.type}")
    model = event_model(envelope.event_name)
    assert model is not None
    if not accepts_version(envelope.schemaversion, model.SCHEMA_VERSION):
        raise InvalidMessage(f"{envelope.event_name} {envelope.schemaversion}: a newer major version, upgrade")
    if envelope.data.get("sealed") is not None:
        envelope = envelope.model_copy(update={"data": _open(envelope, routing_key, key)})
    try:
        data = model.consume(envelope.data)
    except ValidationError:
        raise InvalidMessage(f"data does not match {model.__name__}") from None
    return Received(envelope=envelope, data=data, routing_key=routing_key)


def accepts_version(received: str, known: str) -> bool:
    """Every major version up to the one this consumer knows (``partner_position`` 1.x
    and 2.x: 2.0.0 made ``position`` optional, sealed); a later major is not read."""
    return 1 <= int(received.split(".")[0]) <= int(known.split(".")[0])


def _open(envelope: Envelope, routing_key: str, key: X25519PrivateKey | None) -> dict:
    if key is None:
        log.error("message %s has sealed personal fields and this consumer has no --private-key", envelope.id)
        return envelope.data
    addressee = ".".join(routing_key.split(".")[:3])
    try:
        return open_sealed(envelope.data, key, associated_data(envelope.type, envelope.id, addressee))
    except CannotOpen as exc:
        log.error("message %s: %s; handed over without them", envelope.id, exc)
        return envelope.data
