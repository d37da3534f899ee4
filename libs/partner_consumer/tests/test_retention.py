"""A partner's retention rules (arrêté du 22 avril 2015), pure: positions 72 h after the
alert, the dossier when the measure ends; travelling in time with ``now``."""

import json
from datetime import timedelta

from tgd_partner_consumer.retention import purge

from .messages import AUTHOR, RAISED, SURNAME, dispatch, notice, position_update, record

HOUR = timedelta(hours=1)


def text(records) -> str:
    return json.dumps(records, ensure_ascii=False)


def test_positions_are_kept_until_72_hours_after_the_alert_then_removed():
    records = [record(dispatch()), record(position_update(fixed_at=RAISED + HOUR), received_at=RAISED + HOUR)]
    kept, purged = purge(records, RAISED + 72 * HOUR - timedelta(seconds=1))
    assert not purged
    assert kept == records
    kept, purged = purge(records, RAISED + 72 * HOUR)
    assert purged.positions == 2
    assert all("position" not in r["event"]["data"] and "located" not in r["event"]["data"] for r in kept)
    assert all(r["purged"] == ["position"] for r in kept)
    assert "46.3401" not in text(kept)


def test_the_72_hours_count_from_the_alert_not_from_receipt():
    late = record(dispatch(), received_at=RAISED + 48 * HOUR)  # a consumer that was offline for two days
    later_position = record(position_update(fixed_at=RAISED + 30 * HOUR), received_at=RAISED + 48 * HOUR)
    _kept, purged = purge([late, later_position], RAISED + 72 * HOUR)
    assert purged.positions == 2


def test_a_position_of_an_alert_never_received_counts_from_its_fix_or_receipt_whichever_is_earlier():
    alone = record(position_update(alert_id="a-9", fixed_at=RAISED), received_at=RAISED + 10 * HOUR)
    assert not purge([alone], RAISED + 72 * HOUR - timedelta(seconds=1))[1]
    assert purge([alone], RAISED + 72 * HOUR)[1].positions == 1


def test_the_dossier_stays_while_the_measure_runs_whatever_the_time():
    records = [record(notice()), record(dispatch())]
    kept, purged = purge(records, RAISED + 400 * 24 * HOUR)
    assert purged.dossiers == 0
    assert SURNAME in text(kept)
    assert AUTHOR in text(kept)


def test_the_end_of_the_measure_removes_the_dossier_of_its_notices_and_dispatches():
    ended = RAISED + 24 * HOUR
    records = [record(notice()), record(dispatch()), record(notice("measure_ended", sent_at=ended))]
    kept, purged = purge(records, ended)
    assert purged.dossiers == 2
    assert SURNAME not in text(kept)
    assert AUTHOR not in text(kept)
    assert "dossier" not in kept[1]["event"]["data"]
    assert "beneficiary" not in kept[0]["event"]["data"]
    assert kept[1]["purged"] == ["dossier"]  # the position is another rule: 72 h, not yet
    assert "position" in kept[1]["event"]["data"]


def test_a_returned_device_attributed_again_keeps_the_next_measures_dossier():
    ended = RAISED + 24 * HOUR
    next_alert = dispatch(alert_id="a-2", raised_at=ended + 24 * HOUR, attribution_id="att-2")
    records = [record(dispatch()), record(notice("measure_ended", sent_at=ended)), record(next_alert)]
    kept, purged = purge(records, ended + 25 * HOUR)
    assert purged.dossiers == 1
    assert "dossier" not in kept[0]["event"]["data"]
    assert kept[2]["event"]["data"]["dossier"]["attribution_id"] == "att-2"


def test_she_moved_away_so_the_unit_forgets_her_dossier_and_keeps_it_if_she_comes_back():
    moved, back = RAISED + 24 * HOUR, RAISED + 48 * HOUR
    records = [record(notice()), record(notice("moved_away", sent_at=moved)), record(dispatch())]
    kept, purged = purge(records, moved)
    assert purged.dossiers == 2
    assert SURNAME not in text(kept)
    returned = [*kept, record(notice("home_changed", sent_at=back))]
    kept, purged = purge(returned, back)
    assert not purged
    assert kept[-1]["event"]["data"]["beneficiary"]["identity"]["surname"] == SURNAME


def test_another_attributions_end_removes_nothing():
    records = [record(notice()), record(notice("measure_ended", attribution_id="att-9", device_id="dev-9"))]
    assert not purge(records, RAISED + 24 * HOUR)[1]


def test_a_purged_record_keeps_its_ids_and_a_second_pass_changes_nothing():
    records = [record(dispatch()), record(notice("measure_ended", sent_at=RAISED + HOUR))]
    once, _ = purge(records, RAISED + 100 * HOUR)
    event = once[0]["event"]
    assert (event["source"], event["id"], event["data"]["alert_id"], event["data"]["dispatch_id"]) == (
        records[0]["event"]["source"], records[0]["event"]["id"], "a-1", "d-a-1",
    )  # fmt: skip
    assert sorted(once[0]["purged"]) == ["dossier", "position"]
    twice, purged = purge(once, RAISED + 200 * HOUR)
    assert not purged
    assert twice == once


def test_the_input_is_not_changed():
    records = [record(dispatch())]
    before = text(records)
    purge(records, RAISED + 100 * HOUR)
    assert text(records) == before


def test_a_sealed_block_never_opened_here_goes_with_the_positions():
    unopened = record(dispatch())
    data = unopened["event"]["data"]
    data.pop("dossier")
    data.pop("position")
    data["sealed"] = {"alg": "X25519-HKDF-SHA256-A256GCM", "ciphertext": "c2VhbGVk"}
    kept, purged = purge([unopened], RAISED + 72 * HOUR)
    assert purged.positions == 1
    assert "sealed" not in kept[0]["event"]["data"]
