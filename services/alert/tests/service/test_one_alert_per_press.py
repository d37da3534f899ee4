"""Two copies of one press arriving at once (a retry racing the first attempt, in one
alert process or two) raise ONE alert: the database refuses the second (unique key of
the raising press while the alert is open), whatever the interleaving of the reads."""

from datetime import UTC, datetime

from alert import domain
from alert.models import DB_ALIAS, AlertDocument
from alert.repository import AlertRepository
from tgd_contracts.alert import AlertState

T0 = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


def raised(repo, alert_id, press_id="press-1"):
    device = repo.device("dev-race")
    return domain.raise_alert(
        alert_id=alert_id, device=device, press_id=press_id, triggered_at=T0, position=None, now=T0
    )


def test_the_copy_that_lost_the_race_stores_nothing_and_learns_the_first_alert(in_memory_db):
    in_memory_db(DB_ALIAS)
    repo = AlertRepository()
    assert repo.insert(raised(repo, "alert-first"), None, []) is None
    assert repo.insert(raised(repo, "alert-second"), None, []) == "alert-first"
    assert [d.alert_id for d in AlertDocument.objects(device_id="dev-race")] == ["alert-first"]


def test_another_press_of_the_same_device_raises_its_own_alert(in_memory_db):
    in_memory_db(DB_ALIAS)
    repo = AlertRepository()
    assert repo.insert(raised(repo, "alert-1", "press-1"), None, []) is None
    assert repo.insert(raised(repo, "alert-2", "press-2"), None, []) is None


def test_once_the_alert_is_closed_its_press_key_is_released(in_memory_db):
    in_memory_db(DB_ALIAS)
    repo = AlertRepository()
    first = raised(repo, "alert-1")
    assert repo.insert(first, None, []) is None
    first.state = AlertState.CLOSED
    assert repo.save(first, 1, None, [])
    assert AlertDocument.objects(alert_id="alert-1").first().raised_by is None
    assert repo.insert(raised(repo, "alert-2"), None, []) is None  # a device reusing an old press id
