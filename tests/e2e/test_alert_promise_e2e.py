"""The alert promise end to end, with the real alert service, gateway and reference
partner consumers on the real broker: a press is never silenced (press -> "no danger" ->
press again -> nobody takes it -> failsafe dispatch), and a re-issued phone never
alerts the previous holder's unit."""

import httpx
import pytest

from tgd_servicekit.testing.processes import wait_until

from .alert_system import (
    PLATFORM,
    POLICE,
    attribute_device,
    messages,
    prepare,
    reissue_device,
    start_alert_system,
    start_partner,
    trigger,
)

pytestmark = pytest.mark.e2e
DISPATCH = "fr.tgd.partner_dispatch"
FAST = {"ALERT_FAILSAFE_DELAY_S": "4", "ALERT_TICK_S": "0.2", "ALERT_DOSSIER_TIMEOUT_S": "0.5"}


@pytest.fixture
def traces(tmp_path):
    path = tmp_path / "traces"
    path.mkdir()
    return path


def get_alert(base, alert_id):
    return httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()


def test_press_no_danger_press_again_nobody_takes_it_failsafe_dispatch(
    processes, vhost_uri, partner_url, traces, tmp_path
):
    police_file = tmp_path / "police.jsonl"
    prepare(processes, vhost_uri, traces)
    start_partner(processes, partner_url, POLICE, police_file)
    base = start_alert_system(processes, **FAST)
    attribute_device(vhost_uri, base, expect_dossier=False)

    alert_id = trigger(base, "press-promise-0001").json()["alert_id"]
    redirected = httpx.post(f"{base}/v1/alerts/{alert_id}/redirect", json={"note": "Fictif."}, headers=PLATFORM)
    assert redirected.status_code == 200, redirected.text
    assert redirected.json()["state"] == "redirected"
    assert redirected.json()["operator"] == "test-teleassistance"  # the caller, not a body field

    again = trigger(base, "press-promise-0002")  # within the grouping window
    assert again.status_code == 202
    assert again.json() == {"alert_id": alert_id, "joined": True, "duplicate": False, "flags": []}
    (line,) = [i for i in httpx.get(f"{base}/v1/alerts", headers=PLATFORM).json()["items"] if i["alert_id"] == alert_id]
    assert line["state"] in ("raised", "dispatched")  # re-opened (the failsafe may already have fired)

    (dispatch,) = wait_until(lambda: messages(police_file, alert_id, DISPATCH), 20, "the failsafe dispatch")
    assert dispatch["routing_key"] == "police.03.csp-montlucon.dispatch"
    assert dispatch["event"]["data"]["automatic"] is True
    alert = get_alert(base, alert_id)
    assert alert["state"] == "dispatched"
    assert alert["reopened_at"] is not None
    kinds = [e["kind"] for e in alert["journal"]]
    assert kinds.index("reopened") < kinds.index("failsafe")


def test_a_reissued_phone_reaches_the_new_zone_never_the_previous_unit(
    processes, vhost_uri, partner_url, traces, tmp_path
):
    old_unit, new_unit = tmp_path / "police-03.jsonl", tmp_path / "police-75.jsonl"
    paris = {"audience": "police", "territory": "75", "unit": "csp-paris-15"}
    prepare(processes, vhost_uri, traces)
    start_partner(processes, partner_url, POLICE, old_unit)
    start_partner(processes, partner_url, paris, new_unit)
    base = start_alert_system(processes, **FAST)
    attribute_device(vhost_uri, base, expect_dossier=False)  # woman 1, Montluçon (03)

    woman_2 = {
        "attribution_id": "att-e2e-0002",
        "jurisdiction": "tj-paris",
        "department": "75",
        "insee_code": "75115",
        "unit": "csp-paris-15",
    }
    reissue_device(vhost_uri, woman_2)

    def ready():
        facts = httpx.get(f"{base}/v1/device-alerts/devices/dev-e2e-0001", headers=PLATFORM).json()
        return facts if facts["attribution_id"] == "att-e2e-0002" and facts["active"] and facts["competent"] else None

    facts = wait_until(ready, 20, "the device given to woman 2 in the alert service's read model")
    assert (facts["jurisdiction"], facts["department"], facts["other_force"]) == ("tj-paris", "75", None)
    assert facts["competent"] == paris

    alert_id = trigger(base, "press-promise-w2").json()["alert_id"]
    (dispatch,) = wait_until(lambda: messages(new_unit, alert_id, DISPATCH), 20, "the dispatch to woman 2's unit")
    assert dispatch["routing_key"] == "police.75.csp-paris-15.dispatch"
    assert get_alert(base, alert_id)["attribution_id"] == "att-e2e-0002"
    assert messages(old_unit, alert_id, DISPATCH) == []  # woman 1's unit never hears of woman 2's alert
