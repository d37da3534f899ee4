# ruff: noqa: F811  (the ``who`` fixture is imported from test_lifecycle_e2e)
"""End to end, the partners' side of a measure with the real processes: her move
re-informs the unit she left and the unit of her new home, the SPIP's report of the
author's release reaches her association (which records that she was told), the parquet,
the BAV and the forces, and the end of the measure is told to every unit serving her."""

import httpx
import pytest

from tgd_contracts.envelope import Envelope
from tgd_servicekit.testing.partners import PartnerInbox

from .test_lifecycle_e2e import DEVICE, FICHE, PARQUET, granted_attribution, ok, refused, start_system, who  # noqa: F401

pytestmark = pytest.mark.e2e
NEW_HOME = {"street": "5 Rue Nouvelle Fictive", "postcode": "03200", "city": "Commune Fictive C", "insee_code": "03903"}


def data(message):
    return Envelope.consume(message.body).data


def acknowledge(base, who, inbox, predicate, unit, partner):
    (notice,) = [m for m in inbox.wait_for(predicate) if predicate(m)][:1]
    body = {"unit_code": unit, "acknowledged_by": "Officier (fictif)", "sip_registered": True}
    ok(httpx.post(f"{base}/v1/notices/{data(notice)['notice_id']}/acknowledgement", json=body, headers=who[partner]))
    return data(notice)


def test_move_author_release_and_end_reach_the_right_partners(processes, vhost_uri, captured_events, who):
    capture = captured_events("notify", "device")
    partners = PartnerInbox(vhost_uri, "#")
    base = start_system(processes, vhost_uri, {}, who)
    try:
        ok(httpx.post(f"{base}/v1/devices", json=DEVICE, headers=who["operator"]), 201)
        _, attribution_id = granted_attribution(base, "e2e-partners-0001", who)
        fiche_url = f"{base}/v1/attributions/{attribution_id}/fiche-navette"
        ok(httpx.post(fiche_url, json=FICHE, headers=who["parquet"]))
        capture.wait_for("device_provisioned")

        def notice(unit, purpose):
            return lambda m: m.routing_key.endswith(f".{unit}.notice") and data(m)["purpose"] == purpose

        for unit, partner in (
            ("csp-fictive-a", "police-unit"),
            ("ddsp-03", "police-ddsp"),
            ("ggd-03", "gendarmerie-group"),
        ):
            acknowledge(base, who, partners, notice(unit, "attribution"), unit, partner)
        capture.wait_for("forces_informed")

        # her move: another department is refused and changes nothing; within the department, both units told
        home_url = f"{base}/v1/attributions/{attribution_id}/home"
        elsewhere = {"home": {**NEW_HOME, "postcode": "92000", "insee_code": "92901"}, "reported_by": PARQUET}
        moved_away = httpx.post(home_url, json=elsewhere, headers=who["parquet"])
        assert moved_away.status_code == 409
        assert moved_away.json()["error"] == "home_outside_department"
        refused(httpx.post(home_url, json={"home": NEW_HOME, "reported_by": "A"}, headers=who["association-paris"]),
                "attribution_not_found")  # fmt: skip
        ok(
            httpx.post(
                home_url, json={"home": NEW_HOME, "reported_by": "Association (fictive)"}, headers=who["association"]
            )
        )
        (moved,) = capture.wait_for("beneficiary_moved")
        assert data(moved)["home_insee_code"] == "03903"
        left = partners.wait_for(notice("csp-fictive-a", "moved_away"))
        assert [data(m)["beneficiary"] for m in left if notice("csp-fictive-a", "moved_away")(m)] == [None]
        told = acknowledge(base, who, partners, notice("bta-fictive-c", "home_changed"), "bta-fictive-c", "brigade-c")
        assert told["beneficiary"]["home"]["insee_code"] == "03903"
        acknowledge(base, who, partners, notice("csp-fictive-a", "moved_away"), "csp-fictive-a", "police-unit")
        acknowledge(base, who, partners, notice("ddsp-03", "home_changed"), "ddsp-03", "police-ddsp")
        acknowledge(base, who, partners, notice("ggd-03", "home_changed"), "ggd-03", "gendarmerie-group")
        informed = capture.wait_for("forces_informed", count=2)
        assert data(informed[-1])["competent"]["unit_code"] == "bta-fictive-c"

        # the author's release, reported by the SPIP
        release = {"source": "spip", "kind": "release", "released_on": "2026-06-01", "reported_by": "SPIP (fictif)"}
        receipt = ok(
            httpx.post(f"{base}/v1/attributions/{attribution_id}/author-release", json=release, headers=who["spip"])
        )
        assert {r["audience"] for r in receipt["reminders"]} == {"parquet", "association", "bav"}
        partners.wait_for(lambda m: m.routing_key == "association.tj-moulins.assoc-fictive-03.reminder")
        partners.wait_for(notice("bta-fictive-c", "author_released"))
        listed = ok(
            httpx.get(f"{base}/v1/reminders", params={"jurisdiction": "tj-moulins"}, headers=who["association"])
        )
        (mine,) = [r for r in listed["items"] if r["kind"] == "author_released"]
        assert mine["audience"] == "association"
        ack = {"acknowledged_by": "Juriste (fictive)", "beneficiary_informed_on": "2026-06-01"}
        done = ok(
            httpx.post(
                f"{base}/v1/reminders/{mine['reminder_id']}/acknowledgement", json=ack, headers=who["association"]
            )
        )
        assert done["beneficiary_informed_on"] == "2026-06-01"
        bav = ok(httpx.get(f"{base}/v1/reminders", params={"jurisdiction": "tj-moulins"}, headers=who["bav"]))
        assert [r["audience"] for r in bav["items"]] == ["bav"]

        # the end of the measure: every unit serving her, not the one she left
        withdrawal = {"reason": "author_incarcerated", "decided_by": PARQUET}
        ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/withdrawal", json=withdrawal, headers=who["parquet"]))
        for unit in ("bta-fictive-c", "ddsp-03", "ggd-03"):
            (end,) = [m for m in partners.wait_for(notice(unit, "measure_ended")) if notice(unit, "measure_ended")(m)]
            assert data(end)["ended_because"] == "author_incarcerated"
        partners.drain(1.0)
        assert not [m for m in partners.messages if notice("csp-fictive-a", "measure_ended")(m)]
    finally:
        partners.close()
