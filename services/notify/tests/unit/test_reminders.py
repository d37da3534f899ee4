"""Which partner is reminded of which deadline, without I/O."""

from datetime import UTC, datetime

import pytest

from notify.domain import reminders
from tgd_contracts.device import DeviceReturned
from tgd_contracts.evaluation import AttributionExpiring, EvaluationCompleted
from tgd_contracts.reminders import RequisitionOverdue
from tgd_contracts.stock import DeviceOutOfStock, TestCallDue, TestCallOverdue

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DUE = datetime(2026, 5, 3, 12, 0, tzinfo=UTC)
IDS = {"device_id": "dev-1", "attribution_id": "att-1", "jurisdiction": "tj-moulins"}


def completed(purpose):
    return EvaluationCompleted(
        referral_id="ref-1",
        evaluation_id="ev-1",
        jurisdiction="tj-moulins",
        purpose=purpose,
        risk_level="high",
        instrument_id="dash-like",
        instrument_version="1",
        completed_at=T0,
    )


CASES = [
    ("test_call_due", TestCallDue(**IDS, due_at=DUE), "test_call_due", ["association"], DUE),
    ("test_call_overdue", TestCallOverdue(**IDS, due_at=DUE), "test_call_overdue", ["association"], DUE),
    (
        "requisition_overdue",
        RequisitionOverdue(referral_id="ref-1", jurisdiction="tj-moulins", due_on=DUE.date(), detected_at=T0),
        "requisition_overdue",
        ["parquet", "association"],
        None,
    ),
    (
        "attribution_expiring",
        AttributionExpiring(attribution_id="att-1", jurisdiction="tj-moulins", ends_at=DUE),
        "measure_ending",
        ["parquet", "association"],
        DUE,
    ),
    ("evaluation_completed", completed("renewal"), "renewal_to_decide", ["parquet", "association"], None),
    (
        "device_out_of_stock",
        DeviceOutOfStock(attribution_id="att-1", jurisdiction="tj-moulins", detected_at=T0),
        "out_of_stock",
        ["parquet", "teleassistance"],
        None,
    ),
]


@pytest.mark.parametrize(("event", "data", "kind", "audiences", "due"), CASES)
def test_each_deadline_reaches_its_partners(event, data, kind, audiences, due):
    made = reminders.reminders_for(event, data, "/tgd/x", "e-1", T0)
    assert [r.audience for r in made] == audiences
    assert {r.kind for r in made} == {kind}
    assert {r.due_at for r in made} == {due}
    assert [r.routing_key for r in made] == [f"{a}.tj-moulins.any.reminder" for a in audiences]
    name, message = reminders.message(made[0])
    assert name == "partner_reminder"
    assert message.reminder_id == made[0].reminder_id


def test_a_replayed_event_makes_the_same_reminders_and_another_event_others():
    data = TestCallDue(**IDS, due_at=DUE)
    first = reminders.reminders_for("test_call_due", data, "/tgd/device", "e-1", T0)
    again = reminders.reminders_for("test_call_due", data, "/tgd/device", "e-1", T0)
    other = reminders.reminders_for("test_call_due", data, "/tgd/device", "e-2", T0)
    assert [r.reminder_id for r in first] == [r.reminder_id for r in again]
    assert first[0].reminder_id != other[0].reminder_id


def test_an_initial_evaluation_or_another_event_reminds_nobody():
    assert reminders.reminders_for("evaluation_completed", completed("initial"), "/tgd/x", "e", T0) == []
    returned = DeviceReturned(device_id="d", attribution_id="a", returned_at=T0)
    assert reminders.reminders_for("device_returned", returned, "/tgd/x", "e", T0) == []


def test_acknowledged_once():
    (r,) = reminders.reminders_for("test_call_due", TestCallDue(**IDS, due_at=DUE), "/tgd/x", "e", T0)
    done = reminders.acknowledge(r, "Accueil association (fictif)", DUE)
    assert (done.acknowledged_at, done.acknowledged_by) == (DUE, "Accueil association (fictif)")
    assert reminders.acknowledge(done, "autre", T0) == done


def release(source="spip"):
    from tgd_contracts.release import AuthorRelease

    return AuthorRelease(source=source, kind="release", released_on=DUE.date(), reported_by="SPIP (fictif)")


def test_the_authors_release_reaches_the_parquet_her_association_and_the_bav_not_the_reporter():
    made = reminders.release_reminders("att-1", "tj-paris", "assoc-fictive-paris-b", release("spip"), T0)
    assert [r.routing_key for r in made] == [
        "parquet.tj-paris.any.reminder",
        "association.tj-paris.assoc-fictive-paris-b.reminder",
        "bav.tj-paris.any.reminder",
    ]
    by_parquet = reminders.release_reminders("att-1", "tj-paris", None, release("parquet"), T0)
    assert [r.routing_key for r in by_parquet] == ["association.tj-paris.any.reminder", "bav.tj-paris.any.reminder"]
    again = reminders.release_reminders("att-1", "tj-paris", "assoc-fictive-paris-b", release("spip"), T0)
    assert [r.reminder_id for r in again] == [r.reminder_id for r in made]  # reported twice: the same


def test_only_the_association_records_that_she_was_told():
    parquet, association, _ = reminders.release_reminders("att-1", "tj-paris", None, release(), T0)
    told = reminders.acknowledge(association, "Juriste (fictive)", T0, informed_on=DUE.date())
    assert told.beneficiary_informed_on == DUE.date()
    with pytest.raises(ValueError, match="Only the association"):
        reminders.acknowledge(parquet, "Greffe", T0, informed_on=DUE.date())
