"""The one naming scheme of partner messages, queues, replies and broker permissions."""

import re

import pytest

from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    Audience,
    MessageKind,
    addressee_of_key,
    broker_permissions,
    dots,
    partner_binding,
    partner_queue_name,
    partner_reply_routing_key,
    partner_source,
    reply_queue_name,
)


def test_an_addressee_has_one_queue_one_binding_and_its_own_reply_keys():
    assert partner_queue_name(Audience.POLICE, "03", "csp-montlucon") == "partner.police.03.csp-montlucon"
    assert partner_binding(Audience.POLICE, "03", "csp-montlucon") == "police.03.csp-montlucon.*"
    assert partner_queue_name(Audience.COMMAND, "03") == "partner.command.03.any"
    reply = partner_reply_routing_key(Audience.POLICE, "03", "csp-montlucon", MessageKind.NOTICE_ACKNOWLEDGEMENT)
    assert reply == "police.03.csp-montlucon.notice-acknowledgement"
    assert partner_source(Audience.POLICE, "03", "csp-montlucon") == "partner-police-03-csp-montlucon"
    assert (
        reply_queue_name("notify", MessageKind.NOTICE_ACKNOWLEDGEMENT)
        == "notify.partner-replies.notice-acknowledgement"
    )


def test_a_reply_key_needs_a_reply_kind_and_valid_segments():
    with pytest.raises(ValueError):
        partner_reply_routing_key(Audience.POLICE, "03", "x", MessageKind.DISPATCH)
    for territory, unit in (("03.#", "x"), ("03", "*"), ("03", "a.b"), ("", "x")):
        with pytest.raises(ValueError):
            partner_reply_routing_key(Audience.POLICE, territory, unit, MessageKind.ACKNOWLEDGEMENT)


def test_keys_are_read_back_and_malformed_keys_are_not():
    assert addressee_of_key("gendarmerie.03.ggd-03.notice-acknowledgement") == (
        "gendarmerie",
        "03",
        "ggd-03",
        "notice-acknowledgement",
    )
    for bad in ("police.03.x", "pirates.03.x.dispatch", "police.03.x.y.dispatch", "police.03.X.dispatch", "#"):
        assert addressee_of_key(bad) is None


def test_permissions_cover_every_kind_of_the_addressee_and_nothing_of_anyone_else():
    own = broker_permissions(dots("police.03.csp-montlucon"), dots("partner.police.03.csp-montlucon"))
    read_topic, write_topic = own["topic"]
    assert read_topic["exchange"] == PARTNER_EXCHANGE
    assert write_topic["exchange"] == PARTNER_REPLY_EXCHANGE
    assert own["configure"] == "^$"
    assert read_topic["write"] == "^$"
    assert re.search(own["write"], PARTNER_REPLY_EXCHANGE)
    assert not re.search(own["write"], PARTNER_EXCHANGE)
    assert re.search(own["read"], "partner.police.03.csp-montlucon")
    assert not re.search(own["read"], "partner.police.03.csp-montlucon-bis")
    for kind in [*MessageKind, "position-update"]:  # a kind added later needs no new permission
        key = f"police.03.csp-montlucon.{kind}"
        assert re.search(read_topic["read"], key)
        assert re.search(write_topic["write"], key)
    for other in ("police.03.csp-moulins.acknowledgement", "gendarmerie.03.csp-montlucon.acknowledgement",
                  "police.75.csp-montlucon.acknowledgement", "police.03.csp-montlucon.x.acknowledgement"):  # fmt: skip
        assert not re.search(write_topic["write"], other)
        assert not re.search(read_topic["read"], other)
