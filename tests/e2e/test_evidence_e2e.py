"""End to end with the real processes: an alert is raised, dispatched, acknowledged by
the partners' consumers and closed; the competent parquet exports its evidence through
the gateway, signed with the key from configuration; ``tgd evidence verify`` accepts it
and refuses it once changed; the archive holds the whole alert, its trace id and
nothing of another alert; a foreign parquet gets a 404; the export is in the access log."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from tgd_servicekit import evidence_signing as sig
from tgd_servicekit.evidence_keys import new_key_pair, parse_trusted
from tgd_servicekit.spans import read_spans
from tgd_servicekit.testing.processes import BIN, wait_until
from tgd_testkit.tokens import auth_headers

from .alert_system import (
    ASSOCIATION,
    CENTRE,
    PLATFORM,
    POLICE,
    attribute_device,
    prepare,
    start_alert_system,
    start_fake_device,
    start_partner,
    trigger,
)

pytestmark = pytest.mark.e2e
PARQUET = auth_headers("prosecutor", "tj-montlucon", client_id="parquet-montlucon-fictif")
FOREIGN_PARQUET = auth_headers("prosecutor", "tj-paris")


def tgd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "tgd"), "evidence", *args], capture_output=True, text=True, timeout=60)


def handled_alert(base: str) -> str:
    """Raise, take, answer, dispatch (the CIC where she is, her home unit, the association), wait
    for every acknowledgement, report the outcome."""
    alert_id = trigger(base, "press-evidence-0001").json()["alert_id"]
    operator = {"operator": "op-e2e"}
    httpx.post(f"{base}/v1/alerts/{alert_id}/take", json=operator, headers=PLATFORM).raise_for_status()
    answer = {**operator, "question_id": "author-present", "answer": "yes", "note": "Propos fictifs."}
    httpx.post(f"{base}/v1/alerts/{alert_id}/answers", json=answer, headers=PLATFORM).raise_for_status()
    httpx.post(f"{base}/v1/alerts/{alert_id}/dispatch", json=operator, headers=PLATFORM).raise_for_status()

    def acknowledged():
        alert = httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()
        deliveries = alert["deliveries"]
        return len(deliveries) == 3 and all(d["acknowledged_at"] for d in deliveries)

    wait_until(acknowledged, 20, "the acknowledgements of the centre, the home unit and the association")
    report = {"recipient": POLICE, "result": "author_arrested", "note": "Compte rendu fictif."}
    police = auth_headers("police", "tj-montlucon", unit=POLICE["unit"])
    httpx.post(f"{base}/v1/alerts/{alert_id}/outcome", json=report, headers=police).raise_for_status()
    return alert_id


def test_an_alert_is_exported_signed_verified_complete_and_alone(processes, vhost_uri, partner_url, tmp_path):
    signing, public = new_key_pair("e2e-operator")
    traces = tmp_path / "traces"
    traces.mkdir()
    prepare(processes, vhost_uri, traces)
    processes.env["TGD_EVIDENCE_SIGNING_KEY"] = signing
    start_fake_device(processes)
    start_partner(processes, partner_url, POLICE, tmp_path / "police.jsonl")
    start_partner(processes, partner_url, ASSOCIATION, tmp_path / "association.jsonl")
    start_partner(processes, partner_url, CENTRE, tmp_path / "centre.jsonl")
    base = start_alert_system(processes, ALERT_FAILSAFE_DELAY_S="120")
    attribute_device(vhost_uri, base, expect_dossier=True)
    alert_id = handled_alert(base)
    other = httpx.post(  # another alert, from another device
        f"{base}/v1/device-alerts",
        json={"device_id": "dev-e2e-other", "press_id": "press-other", "triggered_at": "2026-06-01T22:00:00Z"},
        headers=PLATFORM,
    ).json()["alert_id"]

    def closure_sent():  # the closure messages are stored with the alert once published
        archive = httpx.get(f"{base}/v1/evidence/alerts/{alert_id}", headers=PARQUET).json()
        types = [e["type"] for e in archive["parts"][f"alert-{alert_id}"]["events"]]
        return archive if types.count("fr.tgd.partner_closure") == 3 else None

    data = wait_until(closure_sent, 20, "the exported alert with its closure")
    trusted = parse_trusted(public)
    archive = sig.verify(data, trusted)

    # complete: every step of the alert, its messages and its trace
    part = archive.parts[f"alert-{alert_id}"]
    record = part.records["alert"]
    kinds = [e["kind"] for e in record["journal"]]
    assert {
        "raised",
        "taken",
        "answer",
        "conversation",
        "qualified",
        "dispatch",
        "acknowledged",
        "outcome",
        "closed",
    } <= set(kinds)
    assert [d["acknowledged_at"] is not None for d in record["deliveries"]] == [True, True, True]
    assert record["result"] == "author_arrested"
    assert record["positions"][0]["lat"] == 46.3401  # still retained (3 days)
    assert record["device"]["dossier"]["beneficiary"]["identity"]["surname"] == "EXEMPLE"
    types = [e["type"] for e in part.events]
    assert types[0] == "fr.tgd.alert_raised"
    assert types.count("fr.tgd.partner_dispatch") == 3
    assert "fr.tgd.alert_closed" in types
    assert all(e["time"] for e in part.events)
    spans = read_spans(traces)
    alert_traces = {s.trace_id for s in spans if s.attributes.get("tgd.alert_id") == alert_id}
    assert alert_traces
    assert alert_traces <= set(archive.manifest.trace_ids)
    assert archive.manifest.key.key_id == "e2e-operator"
    assert archive.manifest.exported_by.client_id == "parquet-montlucon-fictif"
    # alone: nothing of the other alert
    assert other not in json.dumps(data)

    # the CLI verifies it with the operator's public key, refuses it changed, and imports it
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(data))
    untrusted = tgd("verify", str(path))  # only the development key is trusted without --trusted-key
    assert untrusted.returncode == 1
    assert sig.UNKNOWN_KEY in untrusted.stdout
    ok = tgd("verify", str(path), "--trusted-key", public)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "VALID" in ok.stdout
    data["parts"][f"alert-{alert_id}"]["records"]["alert"]["journal"].pop()
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    refused = tgd("verify", str(tampered), "--trusted-key", public)
    assert refused.returncode == 1
    assert sig.PART_TAMPERED in refused.stdout
    imported = tgd("import", str(path), "--into", str(tmp_path / "store"), "--trusted-key", public)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert (tmp_path / "store" / archive.manifest.archive_id / "parts" / f"alert-{alert_id}.json").exists()

    # a foreign parquet learns nothing; the export is in the access log
    foreign = httpx.get(f"{base}/v1/evidence/alerts/{alert_id}", headers=FOREIGN_PARQUET)
    assert foreign.status_code == 404
    audit = httpx.get(f"{base}/v1/audit", params={"object_id": alert_id}, headers=auth_headers("admin", "*")).json()
    exports = [e for e in audit["items"] if e["action"] == "GET /v1/evidence/alerts/{alert_id}"]
    assert {(e["client_id"], e["status"]) for e in exports} >= {("parquet-montlucon-fictif", 200)}
    assert any(e["status"] == 404 for e in exports)
    assert audit["chain_intact"] is True
