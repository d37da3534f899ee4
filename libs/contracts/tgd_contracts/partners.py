"""How partners (police, gendarmerie, association, command centres) receive messages.

Everything addressed to a partner is published on one durable topic exchange,
:data:`PARTNER_EXCHANGE`, with a routing key that carries the audience and the
territory, so that each partner's broker user can be limited (RabbitMQ topic
permissions) to its own keys::

    <audience>.<territory>.<unit>.<kind>
    police.03.csp-montlucon.dispatch         an alert dispatch for one police unit
    gendarmerie.03.bta-cusset.notice         a "forces informed" notice for one brigade
    association.tj-moulins.any.dispatch      the association of a jurisdiction
    command.03.cic-03.dispatch               a department's 24/7 operations centre (CIC / CORG)
    command.03.any.escalation                the departmental command centre (notices)

A partner binds its own queue with e.g. ``police.03.#`` (the whole directorate) or
``police.03.csp-montlucon.*`` (one unit).
"""

from __future__ import annotations

import re
from enum import StrEnum

PARTNER_EXCHANGE = "tgd.partners"
#: Where partners publish their replies (acknowledgements, outcomes), with their own
#: routing key ``<audience>.<territory>.<unit>.<acknowledgement|outcome>``.
PARTNER_REPLY_EXCHANGE = "tgd.partner-replies"
ANY_UNIT = "any"
_SEGMENT = re.compile(r"^[a-z0-9-]{1,40}$")


class Audience(StrEnum):
    POLICE = "police"  # DDSP / DSPAP and their commissariats
    GENDARMERIE = "gendarmerie"  # groupement départemental and its brigades
    ASSOCIATION = "association"  # association référente of a jurisdiction
    COMMAND = "command"  # 24/7 operations centres (CIC / CORG), unit = the centre's code


class MessageKind(StrEnum):
    NOTICE = "notice"  # forces informed of an attribution (information des forces de l'ordre)
    DISPATCH = "dispatch"  # an alert to act on
    ESCALATION = "escalation"  # an alert nobody acknowledged in time
    CLOSURE = "closure"  # an alert closed
    POSITION = "position"  # her new position during an open alert (with her consent)
    ACKNOWLEDGEMENT = "acknowledgement"  # a partner's reply: received (on PARTNER_REPLY_EXCHANGE)
    OUTCOME = "outcome"  # a force's report on its intervention (on PARTNER_REPLY_EXCHANGE)


def partner_routing_key(audience: Audience, territory: str, unit: str | None, kind: MessageKind) -> str:
    """The routing key of a message for one partner; every segment is validated."""
    unit = unit or ANY_UNIT
    for segment in (territory, unit):
        if not _SEGMENT.match(segment):
            raise ValueError(f"invalid routing-key segment {segment!r}")
    return f"{Audience(audience).value}.{territory}.{unit}.{MessageKind(kind).value}"


def partner_binding(audience: Audience, territory: str, unit: str | None = None) -> str:
    """The binding pattern a partner uses for everything addressed to it."""
    return f"{Audience(audience).value}.{territory}.{unit}.*" if unit else f"{Audience(audience).value}.{territory}.#"


# -- replies from partners ------------------------------------------------------------
#: Partners publish their replies (acknowledgements) here, with the key
#: ``<audience>.<territory>.<unit>.ack``; topic permissions on *write* limit each
#: partner's broker user to its own keys, so a unit can only acknowledge as itself.
PARTNER_REPLY_EXCHANGE = "tgd.partner-replies"
ACK = "ack"


def partner_reply_routing_key(audience: Audience, territory: str, unit: str) -> str:
    for segment in (territory, unit):
        if not _SEGMENT.match(segment):
            raise ValueError(f"invalid routing-key segment {segment!r}")
    return f"{Audience(audience).value}.{territory}.{unit}.{ACK}"


def partner_queue_name(audience: Audience, territory: str, unit: str | None = None) -> str:
    """The durable queue of one partner: declared identically by the platform (so that
    nothing is unroutable while the partner is offline) and by the partner's consumer."""
    return f"partner.{Audience(audience).value}.{territory}.{unit or ANY_UNIT}"


def partner_queue_arguments(queue_name: str) -> dict[str, object]:
    """Quorum queue; a message a partner rejects goes to the platform's dead letters."""
    return {
        "x-queue-type": "quorum",
        "x-dead-letter-exchange": "tgd.dead-letter",
        "x-dead-letter-routing-key": queue_name,
    }
