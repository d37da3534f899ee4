"""Her move and the end of the measure, without I/O."""

import itertools
from datetime import UTC, datetime, timedelta

from notify import domain
from notify.dependencies import read_directory
from notify.domain import changes
from tgd_contracts.device import BeneficiaryMoved, DeviceProvisioned
from tgd_contracts.notice import NoticeAcknowledgement
from tgd_servicekit.durations import parse_period

from ..factories import dossier

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=30)
DIRECTORY = read_directory(None)
POLICY = domain.Policy(parse_period("PT15M"), parse_period("PT1H"))


COUNTER = itertools.count(1)


def ids():
    """Unique across calls, as uuids are."""
    return lambda: f"n{next(COUNTER)}"


def informed(insee="03901"):
    """Provisioned in ``insee`` and every notice acknowledged."""
    event = DeviceProvisioned(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code=insee,
        provisioned_at=T0,
    )
    info, _ = domain.inform(event, DIRECTORY, dossier(insee), T0, ids())
    for n in info.notices:
        info, _ = domain.acknowledge(info, n.notice_id, ack(n.unit_code), T0)
    assert info.status == "informed"
    return info


def ack(unit):
    return NoticeAcknowledgement(unit_code=unit, acknowledged_by="Officier (fictif)")


def moved(insee, at=T1):
    return BeneficiaryMoved(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code=insee,
        previous_insee_code="03901",
        moved_at=at,
    )


def keys(messages):
    return [(domain.routing_key(name, data), data.purpose) for name, data in messages]


def test_a_move_to_another_zone_tells_the_unit_she_left_and_informs_the_new_one():
    info, messages = changes.move(informed(), moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    assert keys(messages) == [
        ("police.03.csp-fictive-a.notice", "moved_away"),
        ("gendarmerie.03.bta-fictive-c.notice", "home_changed"),
        ("gendarmerie.03.ggd-03.notice", "home_changed"),
        ("police.03.ddsp-03.notice", "home_changed"),
    ]
    away, brigade = messages[0][1], messages[1][1]
    assert away.beneficiary is None
    assert away.author is None
    assert brigade.beneficiary.home.insee_code == "03903"
    assert brigade.sip_registration_requested
    assert info.status == "informing"
    assert info.home_since == T1


def test_the_new_round_acknowledged_gives_forces_informed_for_the_new_home():
    info, _ = changes.move(informed(), moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    events = []
    for n in [n for n in info.notices if n.pending]:
        info, events = domain.acknowledge(info, n.notice_id, ack(n.unit_code), T1)
    ((name, event),) = events
    assert name == "forces_informed"
    assert event.competent.unit_code == "bta-fictive-c"
    assert {u.unit_code for u in event.also_informed} == {"ggd-03", "ddsp-03"}  # not the unit she left
    assert event.home_since == T1


def test_a_move_within_the_same_unit_re_informs_it_without_a_moved_away_notice():
    _, messages = changes.move(informed(), moved("03902"), DIRECTORY, dossier("03902"), T1, ids())
    assert ("police.03.csp-fictive-a.notice", "home_changed") in keys(messages)
    assert all(purpose != "moved_away" for _, purpose in keys(messages))


def test_a_replayed_or_older_move_changes_nothing():
    info, _ = changes.move(informed(), moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    assert changes.move(info, moved("03903"), DIRECTORY, dossier("03903"), T1, ids()) == (info, [])
    assert changes.move(info, moved("03904", at=T0), DIRECTORY, dossier("03904"), T1, ids()) == (info, [])


def test_a_move_to_an_unknown_commune_is_escalated_and_the_unit_she_left_is_told():
    info, messages = changes.move(informed(), moved("03999"), DIRECTORY, dossier("03999"), T1, ids())
    assert [n for n, _ in messages] == ["notice_escalation", "attribution_notice"]
    assert domain.routing_key(*messages[0]) == "command.03.any.escalation"
    assert info.status == "unroutable"


def test_unacknowledged_notices_of_an_earlier_round_are_no_longer_resent():
    event = DeviceProvisioned(
        device_id="dev-1",
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code="03901",
        provisioned_at=T0,
    )
    info, _ = domain.inform(event, DIRECTORY, dossier(), T0, ids())  # nobody acknowledged
    info, _ = changes.move(info, moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    _, messages = domain.tick(info, T1 + timedelta(minutes=15), POLICY)
    assert {data.purpose for _, data in messages} <= {"home_changed", "moved_away"}


def test_the_end_of_the_measure_reaches_every_unit_informed_with_ids_and_reason_only():
    info, messages = changes.end(informed(), "author_incarcerated", T1, ids())
    assert keys(messages) == [
        ("police.03.csp-fictive-a.notice", "measure_ended"),
        ("police.03.ddsp-03.notice", "measure_ended"),
        ("gendarmerie.03.ggd-03.notice", "measure_ended"),
    ]
    for _, data in messages:
        assert data.beneficiary is None
        assert data.author is None
        assert data.ended_because == "author_incarcerated"
        assert not data.sip_registration_requested
    assert all(n.beneficiary is None and n.author is None for n in info.notices)  # forgotten here too
    assert info.status == "ending"
    for n in [n for n in info.notices if n.pending]:
        info, events = domain.acknowledge(info, n.notice_id, ack(n.unit_code), T1)
        assert events == []  # no forces_informed at the end
    assert info.status == "ended"
    assert changes.end(info, "expired", T1, ids()) == (info, [])  # once


def test_after_a_move_the_end_goes_to_the_units_serving_her_not_to_the_one_she_left():
    info, _ = changes.move(informed(), moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    _, messages = changes.end(info, "expired", T1 + timedelta(days=1), ids())
    units = [domain.routing_key(n, d) for n, d in messages]
    assert "police.03.csp-fictive-a.notice" not in units
    assert set(units) == {
        "gendarmerie.03.bta-fictive-c.notice",
        "gendarmerie.03.ggd-03.notice",
        "police.03.ddsp-03.notice",
    }


def test_the_authors_release_is_told_to_the_units_serving_her_once():
    from tgd_contracts.release import AuthorRelease

    release = AuthorRelease(source="spip", kind="custody_exit", released_on=T1.date(), reported_by="SPIP (fictif)")
    info, _ = changes.move(informed(), moved("03903"), DIRECTORY, dossier("03903"), T1, ids())
    info, messages = changes.author_released(info, release, T1, ids())
    units = {domain.routing_key(n, d) for n, d in messages}
    assert units == {"gendarmerie.03.bta-fictive-c.notice", "gendarmerie.03.ggd-03.notice", "police.03.ddsp-03.notice"}
    for _, data in messages:
        assert data.purpose == "author_released"
        assert data.author_release == release
        assert data.beneficiary is None
    assert changes.author_released(info, release, T1, ids()) == (info, [])
