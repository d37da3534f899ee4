"""Informing the forces, without I/O."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from notify import domain
from notify.dependencies import read_directory
from notify.exceptions import NoticeNotFound
from tgd_contracts.device import DeviceProvisioned
from tgd_contracts.notice import NoticeAcknowledgement
from tgd_servicekit.durations import parse_period

from ..factories import dossier

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DIRECTORY = read_directory(None)
POLICY = domain.Policy(parse_period("PT15M"), parse_period("PT1H"))


def provisioned(insee="03901"):
    return DeviceProvisioned(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department=insee[:2],
        home_insee_code=insee,
        provisioned_at=T0,
    )


def ids():
    counter = itertools.count(1)
    return lambda: f"n{next(counter)}"


def ack(unit, sip=None):
    return NoticeAcknowledgement(unit_code=unit, acknowledged_by="Officier de permanence (fictif)", sip_registered=sip)


def test_police_zone_notice_goes_to_the_unit_its_directorate_and_the_gendarmerie_directorate():
    info, messages = domain.inform(provisioned("03901"), DIRECTORY, dossier(), T0, ids())
    assert info.status == "informing"
    keys = [domain.routing_key(name, data) for name, data in messages]
    assert keys == ["police.03.csp-fictive-a.notice", "police.03.ddsp-03.notice", "gendarmerie.03.ggd-03.notice"]
    competent, directorate, other = info.notices
    assert (competent.role, directorate.role, other.role) == ("competent", "directorate", "other_force")
    assert other.sip_registration == "requested"  # gendarmerie: register in SIP
    assert messages[2][1].sip_registration_requested is True


def test_each_recipient_is_told_who_she_is_and_who_the_author_is_in_its_own_view():
    _, messages = domain.inform(provisioned("03901"), DIRECTORY, dossier(), T0, ids())
    unit, directorate, gendarmerie = (data for _, data in messages)
    for notice in (unit, directorate, gendarmerie):  # the SIP registration needs her identity, home, the author
        assert notice.beneficiary.identity.surname == "EXEMPLE"
        assert notice.beneficiary.home.insee_code == "03901"
        assert notice.author.identity.surname == "AUTEUR-FICTIF"
        assert notice.author.no_contact_order.basis == "protection_order"
        assert notice.purpose == "attribution"
    assert unit.beneficiary.household[0].surname == "EXEMPLE-MERE"
    assert directorate.beneficiary.household == []
    assert gendarmerie.author.address is None


def test_gendarmerie_zone_notice_goes_to_the_brigade_the_groupement_and_the_police_directorate():
    info, messages = domain.inform(provisioned("92903"), DIRECTORY, dossier("92903"), T0, ids())
    keys = [domain.routing_key(name, data) for name, data in messages]
    assert keys == ["gendarmerie.92.bta-fictive-g.notice", "gendarmerie.92.ggd-92.notice", "police.92.ddsp-92.notice"]
    assert info.notices[0].sip_registration == "requested"


def test_an_unknown_commune_is_escalated_at_once():
    info, messages = domain.inform(provisioned("03999"), DIRECTORY, dossier(), T0, ids())
    assert info.status == "unroutable"
    ((name, data),) = messages
    assert name == "notice_escalation"
    assert domain.routing_key(name, data) == "command.03.any.escalation"


def test_forces_informed_when_every_recipient_acknowledged():
    info, _ = domain.inform(provisioned("03901"), DIRECTORY, dossier(), T0, ids())
    info, events = domain.acknowledge(info, "n1", ack("csp-fictive-a"), T0 + timedelta(minutes=1))
    info, events = domain.acknowledge(info, "n2", ack("ddsp-03"), T0 + timedelta(minutes=1))
    assert events == []
    info, events = domain.acknowledge(info, "n3", ack("ggd-03", sip=True), T0 + timedelta(minutes=2))
    ((name, event),) = events
    assert name == "forces_informed"
    assert event.competent.unit_code == "csp-fictive-a"
    assert [u.unit_code for u in event.also_informed] == ["ddsp-03", "ggd-03"]
    assert event.home_since == T0
    assert info.status == "informed"
    assert info.notices[2].sip_registration == "registered"
    # a repeated acknowledgement changes nothing
    assert domain.acknowledge(info, "n3", ack("ggd-03", sip=True), T0 + timedelta(minutes=3)) == (info, [])


def test_an_acknowledgement_by_another_unit_or_for_an_unknown_notice_is_refused():
    info, _ = domain.inform(provisioned("03901"), DIRECTORY, dossier(), T0, ids())
    with pytest.raises(NoticeNotFound):
        domain.acknowledge(info, "n1", ack("ggd-03"), T0)
    with pytest.raises(NoticeNotFound):
        domain.acknowledge(info, "n9", ack("csp-fictive-a"), T0)
    for other in (("gendarmerie", "03"), ("police", "92")):  # the reply's key names another force or department
        with pytest.raises(NoticeNotFound):
            domain.acknowledge(info, "n1", ack("csp-fictive-a"), T0, addressee=other)
    acknowledged, _ = domain.acknowledge(info, "n1", ack("csp-fictive-a"), T0, addressee=("police", "03"))
    assert acknowledged.notices[0].acknowledged_at == T0


def test_unacknowledged_notices_are_resent_then_escalated_once():
    info, _ = domain.inform(provisioned("03901"), DIRECTORY, dossier(), T0, ids())
    info, _ = domain.acknowledge(info, "n1", ack("csp-fictive-a"), T0)
    info, _ = domain.acknowledge(info, "n2", ack("ddsp-03"), T0)
    assert domain.tick(info, T0 + timedelta(minutes=14), POLICY) == (info, [])
    info, messages = domain.tick(info, T0 + timedelta(minutes=15), POLICY)
    assert [(n, m.unit_code, m.attempt) for n, m in messages] == [("attribution_notice", "ggd-03", 2)]
    info, messages = domain.tick(info, T0 + timedelta(minutes=60), POLICY)
    assert [n for n, _ in messages] == ["notice_escalation", "attribution_notice"]
    assert domain.routing_key(*messages[0]) == "command.03.any.escalation"
    info, messages = domain.tick(info, T0 + timedelta(minutes=75), POLICY)
    assert [n for n, _ in messages] == ["attribution_notice"]  # escalated once, still re-sent
    assert info.notices[2].attempts == 4


def test_next_deadline_is_the_earliest_resend_or_escalation_until_informed():
    info, _ = domain.inform(provisioned("03901"), DIRECTORY, dossier(), T0, ids())
    assert domain.next_deadline(info, POLICY) == T0 + timedelta(minutes=15)
    for notice_id, unit in (("n1", "csp-fictive-a"), ("n2", "ddsp-03"), ("n3", "ggd-03")):
        info, _ = domain.acknowledge(info, notice_id, ack(unit), T0)
    assert domain.next_deadline(info, POLICY) is None


def test_a_device_returned_before_the_notices_leaves_them_with_ids_only():
    info, messages = domain.inform(provisioned("03901"), DIRECTORY, None, T0, ids())
    assert len(messages) == 3
    assert all(data.beneficiary is None and data.author is None for _, data in messages)
    assert info.status == "informing"  # still told: the end of the measure follows
