"""The alerts of a court as the parquet lists them: its own only, newest first, with the
outcome; no identity and no position in the list."""

from alert import domain
from alert.read import alert_history
from tgd_contracts.alert import QualificationOutcome

from .fixtures import T0, device, new_alert, position, seconds
from .test_domain import SCRIPT


def test_a_court_sees_its_own_alerts_newest_first_with_their_outcome():
    first = new_alert()
    domain.qualify(
        first, SCRIPT, operator="op-1", outcome=QualificationOutcome.ACCIDENTAL, note=None, now=T0 + seconds(30)
    )
    later = domain.raise_alert(
        alert_id="a-2", device=device(), press_id="p-2", triggered_at=T0 + seconds(3600), position=None,
        now=T0 + seconds(3600),
    )  # fmt: skip
    elsewhere = domain.raise_alert(
        alert_id="a-3", device=device(jurisdiction="tj-paris"), press_id="p-3", triggered_at=T0,
        position=position(), now=T0,
    )  # fmt: skip

    listed = alert_history("tj-montlucon", [first, elsewhere, later], limit=10).to_wire()

    assert [a["alert_id"] for a in listed["items"]] == ["a-2", "a-1"]
    assert listed["items"][1]["outcome"] == "accidental"
    assert listed["items"][1]["closed_at"] is not None
    assert listed["items"][0]["outcome"] is None
    assert listed["items"][0]["state"] == "raised"
    assert not {"positions", "dossier", "device_id", "journal"} & set(listed["items"][0])


def test_the_list_is_bounded():
    alerts = [new_alert() for _ in range(3)]
    assert len(alert_history("tj-montlucon", alerts, limit=2).items) == 2
