"""How partners (police, gendarmerie, association, command centres) receive messages
and answer them: ONE naming scheme, from which the platform's publishers, the broker
accounts (``tgd broker provision-partner``), the AsyncAPI document and the reference
consumer are all derived.

An addressee (destinataire) is ``(audience, territory, unit)``; ``unit`` is ``any``
for an addressee of a whole territory (an association, a command centre)::

    platform -> partner   exchange tgd.partners          key <audience>.<territory>.<unit>.<kind>
                          kind: notice | dispatch | escalation | closure | position | reminder (new kinds may appear)
    partner  -> platform  exchange tgd.partner-replies   key <audience>.<territory>.<unit>.<reply kind>
                          reply kind: acknowledgement | outcome | notice-acknowledgement
    the addressee's queue partner.<audience>.<territory>.<unit>, bound <audience>.<territory>.<unit>.*

    police.03.csp-montlucon.dispatch            an alert dispatch for one police unit
    gendarmerie.03.bta-cusset.notice            a "forces informed" notice for one brigade
    association.tj-moulins.any.dispatch         the association of a jurisdiction
    parquet.tj-moulins.any.reminder             a reminder to the parquet of a jurisdiction
    command.03.cic-03.dispatch                  a department's 24/7 operations centre (CIC / CORG)
    command.03.any.escalation                   the departmental command centre (notices)
    police.03.csp-montlucon.acknowledgement     that unit's accusé de réception

The platform declares each addressee's queue (at provisioning and before its first
message), so the addressee's broker user needs no *configure* right at all: it reads its
queue and publishes its replies with its own keys, nothing else (topic permissions).
"""

from __future__ import annotations

import re
from enum import StrEnum

PARTNER_EXCHANGE = "tgd.partners"
#: Where partners publish their replies, with their own routing key
#: ``<audience>.<territory>.<unit>.<reply kind>``; topic permissions on *write* limit
#: each partner's broker user to its own keys, so a unit can only answer as itself.
PARTNER_REPLY_EXCHANGE = "tgd.partner-replies"
PARTNER_DEAD_LETTER_EXCHANGE = "tgd.dead-letter"
ANY_UNIT = "any"
_SEGMENT = re.compile(r"^[a-z0-9-]{1,40}$")
#: A kind segment (what the message is): lower-case words joined by hyphens.
KIND_PATTERN = r"[a-z]+(?:-[a-z]+)*"


class Audience(StrEnum):
    POLICE = "police"  # DDSP / DSPAP and their commissariats
    GENDARMERIE = "gendarmerie"  # groupement départemental and its brigades
    ASSOCIATION = "association"  # association référente of a jurisdiction
    COMMAND = "command"  # 24/7 operations centres (CIC / CORG): unit = the centre's code, or any
    PARQUET = "parquet"  # parquet of a jurisdiction (procureur, permanence, greffe): reminders
    TELEASSISTANCE = "teleassistance"  # the teleassistance operator, per jurisdiction: stock reminders
    SPIP = "spip"  # service pénitentiaire d'insertion et de probation: news of the author
    BAV = "bav"  # bureau d'aide aux victimes of a court: told of the author's release


class MessageKind(StrEnum):
    NOTICE = "notice"  # forces informed of an attribution (information des forces de l'ordre)
    DISPATCH = "dispatch"  # an alert to act on
    ESCALATION = "escalation"  # an alert (or a notice) nobody acknowledged in time
    CLOSURE = "closure"  # an alert closed
    POSITION = "position"  # her new position during an open alert (with her consent)
    REMINDER = "reminder"  # a deadline to act on (rappel: test call, requisition, end of a measure, stock)
    # -- replies, on PARTNER_REPLY_EXCHANGE
    ACKNOWLEDGEMENT = "acknowledgement"  # accusé de réception of a dispatch or an escalation
    OUTCOME = "outcome"  # a force's report on its intervention (compte rendu)
    NOTICE_ACKNOWLEDGEMENT = "notice-acknowledgement"  # accusé de réception of a notice


#: the kinds partners send back (on PARTNER_REPLY_EXCHANGE); the others the platform sends.
REPLY_KINDS = frozenset({MessageKind.ACKNOWLEDGEMENT, MessageKind.OUTCOME, MessageKind.NOTICE_ACKNOWLEDGEMENT})


def _check(territory: str, unit: str) -> None:
    for segment in (territory, unit):
        if not isinstance(segment, str) or not _SEGMENT.match(segment):
            raise ValueError(f"invalid routing-key segment {segment!r}")


def addressee_prefix(audience: Audience | str, territory: str, unit: str | None = None) -> str:
    """``<audience>.<territory>.<unit>``: the first three segments of every key of one addressee."""
    unit = unit or ANY_UNIT
    _check(territory, unit)
    return f"{Audience(audience).value}.{territory}.{unit}"


def partner_routing_key(audience: Audience | str, territory: str, unit: str | None, kind: MessageKind | str) -> str:
    """The routing key of a message for (or, with a reply kind, from) one partner; every
    segment is validated."""
    return f"{addressee_prefix(audience, territory, unit)}.{MessageKind(kind).value}"


def partner_reply_routing_key(
    audience: Audience | str, territory: str, unit: str | None, kind: MessageKind | str
) -> str:
    """The routing key of a partner's reply on :data:`PARTNER_REPLY_EXCHANGE`."""
    kind = MessageKind(kind)
    if kind not in REPLY_KINDS:
        raise ValueError(f"{kind.value} is not a reply kind")
    return f"{addressee_prefix(audience, territory, unit)}.{kind.value}"


def partner_binding(audience: Audience | str, territory: str, unit: str | None = None) -> str:
    """The one binding of an addressee's queue: everything addressed to it, any kind."""
    return f"{addressee_prefix(audience, territory, unit)}.*"


def partner_queue_name(audience: Audience | str, territory: str, unit: str | None = None) -> str:
    """The durable queue of one addressee, declared by the platform (never by the partner)."""
    return f"partner.{addressee_prefix(audience, territory, unit)}"


def dead_lettered(queue_name: str, arguments: dict[str, object]) -> dict[str, object]:
    """A queue's ``arguments``, and: what it dead-letters (rejected, expired, delivered too
    often) goes to the platform's dead letters, keyed by the queue's name."""
    return {
        **arguments,
        "x-dead-letter-exchange": PARTNER_DEAD_LETTER_EXCHANGE,
        "x-dead-letter-routing-key": queue_name,
    }


def partner_queue_arguments(queue_name: str) -> dict[str, object]:
    """Quorum queue; a message a partner rejects goes to the platform's dead letters."""
    return dead_lettered(queue_name, {"x-queue-type": "quorum"})


def reply_queue_name(service: str, kind: MessageKind | str) -> str:
    """The queue a platform service consumes one reply kind from (bound ``*.*.*.<kind>``)."""
    return f"{service}.partner-replies.{MessageKind(kind).value}"


def partner_source(audience: Audience | str, territory: str, unit: str | None = None) -> str:
    """The CloudEvents ``source`` of an addressee's replies, without the ``/tgd/`` prefix:
    ``partner-<audience>-<territory>-<unit>``, also the name of its broker user."""
    return "partner-" + addressee_prefix(audience, territory, unit).replace(".", "-")


#: the CloudEvents ``source`` of every partner reply
PARTNER_SOURCE_PATTERN = r"^/tgd/partner-[a-z0-9-]+$"


def dots(name: str) -> str:
    """A name as a regular expression: names here are ``[a-z0-9.-]``, only dots are special."""
    return name.replace(".", r"\.")


def broker_permissions(prefix_re: str, queue_re: str) -> dict[str, object]:
    """What an addressee's broker user may do, given the regular expressions of its key
    prefix (``police\\.03\\.csp-x``) and of its queue name: the vhost permissions and one
    topic permission per exchange. Used by the provisioning and the AsyncAPI document."""
    own_keys = rf"^{prefix_re}\.{KIND_PATTERN}$"
    return {
        "configure": "^$",  # the platform declares and binds its queue
        "write": rf"^{dots(PARTNER_REPLY_EXCHANGE)}$",  # publish replies, nowhere else
        "read": rf"^{queue_re}$",  # consume its own queue
        "topic": [
            {"exchange": PARTNER_EXCHANGE, "write": "^$", "read": own_keys},
            {"exchange": PARTNER_REPLY_EXCHANGE, "write": own_keys, "read": "^$"},
        ],
    }


def addressee_of_key(routing_key: str) -> tuple[str, str, str, str] | None:
    """``(audience, territory, unit, kind)`` of a well-formed partner key, else None."""
    parts = routing_key.split(".")
    if len(parts) != 4 or parts[0] not in set(Audience) or not re.fullmatch(KIND_PATTERN, parts[3]):
        return None
    try:
        _check(parts[1], parts[2])
    except ValueError:
        return None
    return parts[0], parts[1], parts[2], parts[3]
