"""Her lost or broken terminal replaced: the forces serving her re-informed, without I/O."""

from datetime import timedelta

from notify import domain
from notify.domain import changes
from notify.domain.views import FIELDS
from tgd_contracts.handling import DeviceReplaced
from tgd_contracts.notice import RecipientRole

from ..factories import dossier
from .test_changes import DIRECTORY, T0, T1, ack, ids, informed, keys, moved


def replaced(new="dev-2", previous="dev-1", at=T1):
    return DeviceReplaced(
        device_id=new,
        previous_device_id=previous,
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code="03901",
        reason="lost",
        replaced_at=at,
    )


def test_every_unit_serving_her_gets_the_new_terminal_with_its_own_view():
    info, messages = changes.replace_device(informed(), replaced(), dossier("03901"), T1, ids())
    assert keys(messages) == [
        ("police.03.csp-fictive-a.notice", "device_replaced"),
        ("police.03.ddsp-03.notice", "device_replaced"),
        ("gendarmerie.03.ggd-03.notice", "device_replaced"),
    ]
    for _, notice in messages:
        assert (notice.device_id, notice.previous_device_id) == ("dev-2", "dev-1")
        beneficiary_fields, author_fields = FIELDS[notice.role]
        told = {k for k, v in notice.beneficiary.model_dump().items() if v not in (None, [])}
        assert told <= set(beneficiary_fields)  # the per-force view of the attribution notice, no more
        assert {k for k, v in notice.author.model_dump().items() if v not in (None, [])} <= set(author_fields)
    unit = messages[0][1]
    assert unit.role == RecipientRole.COMPETENT
    assert unit.beneficiary.phones is not None
    assert messages[1][1].beneficiary.household == []  # a directorate gets the summary
    assert messages[2][1].sip_registration_requested  # the gendarmerie keeps SIP up to date
    assert (info.device_id, info.status) == ("dev-2", "informing")


def test_once_they_all_acknowledge_forces_informed_names_the_new_terminal():
    info, messages = changes.replace_device(informed(), replaced(), dossier("03901"), T1, ids())
    emitted = []
    for _, notice in messages:
        info, out = domain.acknowledge(info, notice.notice_id, ack(notice.unit_code), T1 + timedelta(minutes=5))
        emitted += out
    ((name, event),) = emitted
    assert name == "forces_informed"
    assert (event.device_id, event.competent.unit_code, event.home_since) == ("dev-2", "csp-fictive-a", T0)


def test_a_replayed_replacement_or_one_after_the_end_changes_nothing():
    info, _ = changes.replace_device(informed(), replaced(), dossier("03901"), T1, ids())
    assert changes.replace_device(info, replaced(), dossier("03901"), T1, ids()) == (info, [])
    ended, _ = changes.end(informed(), "danger_ceased", T1, ids())
    assert changes.replace_device(ended, replaced(), dossier("03901"), T1, ids()) == (ended, [])


def test_earlier_unacknowledged_notices_are_superseded_and_the_unit_she_left_is_not_told():
    info, _ = changes.move(informed(), moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    later = T1 + timedelta(days=1)
    info, messages = changes.replace_device(info, replaced(at=later), dossier("03903"), later, ids())
    assert {k for k, _ in keys(messages)} == {
        "gendarmerie.03.bta-fictive-c.notice",
        "gendarmerie.03.ggd-03.notice",
        "police.03.ddsp-03.notice",
    }
    pending = [n for n in info.notices if n.pending]
    assert {n.purpose for n in pending} == {"device_replaced"}
