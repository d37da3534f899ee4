"""Partner replies over AMQP: only a valid acknowledgement from the unit of its routing key."""

import pytest

from notify.handlers.replies import parse_reply
from tgd_contracts.envelope import build_envelope
from tgd_contracts.notice import NoticeAcknowledged
from tgd_contracts.partners import Audience, MessageKind, partner_reply_routing_key, partner_source
from tgd_servicekit.handlers import InvalidEvent


def body(unit="bta-fictive-g", event_name="notice_acknowledged"):
    data = NoticeAcknowledged(notice_id="n1", unit_code=unit, acknowledged_by="Officier (fictif)", sip_registered=True)
    source = partner_source(Audience.GENDARMERIE, "92", unit)
    envelope = build_envelope(source_service=source, event_name=event_name, subject="n1", data=data)
    return envelope.model_dump(mode="json")


KEY = partner_reply_routing_key(Audience.GENDARMERIE, "92", "bta-fictive-g", MessageKind.NOTICE_ACKNOWLEDGEMENT)


def test_a_valid_acknowledgement_from_its_own_unit():
    assert KEY == "gendarmerie.92.bta-fictive-g.notice-acknowledgement"
    reply, addressee = parse_reply(body(), KEY)
    assert (reply.notice_id, reply.sip_registered) == ("n1", True)
    assert addressee == ("gendarmerie", "92")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (body(unit="csp-other"), KEY),  # acknowledging as another unit
        (body(), "gendarmerie.92.bta-fictive-g.notice"),  # not an ack key
        (body(), "gendarmerie.92.bta-fictive-g.acknowledgement"),  # an alert's acknowledgement key
        (body(), "gendarmerie.92.bta-fictive-g.ack"),  # the old key
        (body(event_name="forces_informed"), KEY),  # not a reply
        ({"specversion": "1.0"}, KEY),  # not an envelope
        ({**body(), "data": {"notice_id": "n1"}}, KEY),  # data incomplete
    ],
)
def test_anything_else_is_refused(raw, key):
    with pytest.raises(InvalidEvent):
        parse_reply(raw, key)
