"""Evidence archives: build, verify (each kind of tampering refused with its reason), restore."""

from __future__ import annotations

import base64
import copy
import hashlib
from datetime import UTC, datetime

import pytest

from tgd_contracts import evidence as ev
from tgd_contracts.evidence import EvidencePart, Exporter, Subject, SubjectKind
from tgd_servicekit import evidence_signing as sig
from tgd_servicekit.evidence_signing import EvidenceError, SigningKey

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ALERT_ID = "a" * 32
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
KEY = SigningKey.from_seed("k-test", hashlib.sha256(b"test evidence key").digest())
OTHER = SigningKey.from_seed("k-other", hashlib.sha256(b"another operator's key").digest())
TRUSTED = {KEY.key_id: KEY.public_raw}
PART = f"alert-{ALERT_ID}"


def alert_part(**changes: object) -> EvidencePart:
    fields = {
        "service": "alert",
        "subject_kind": SubjectKind.ALERT,
        "subject_id": ALERT_ID,
        "jurisdiction": "tj-paris",
        "trace_ids": [TRACE],
        "records": {
            "alert": {"alert_id": ALERT_ID, "journal": [{"kind": "raised"}], "positions": [{"lat": 48.85, "lon": 2.35}]}
        },
        "events": [{"type": "fr.tgd.alert_raised", "id": "e1", "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}],
        "collected_at": NOW,
    }
    fields.update(changes)
    return EvidencePart(**fields)


def archive(key: SigningKey = KEY) -> dict:
    return sig.build(
        Subject(kind=SubjectKind.ALERT, id=ALERT_ID),
        "tj-paris",
        [alert_part()],
        key,
        Exporter(client_id="parquet-paris", role="prosecutor", request_id="r1"),
        NOW,
    )


def reason_of(data: dict, trusted: dict | None = None) -> str:
    with pytest.raises(EvidenceError) as caught:
        sig.verify(data, TRUSTED if trusted is None else trusted)
    return caught.value.reason


def test_an_exported_archive_verifies_and_is_self_describing() -> None:
    data = archive()
    typed = sig.verify(data, TRUSTED)
    assert typed.manifest.subject.id == ALERT_ID
    assert typed.manifest.trace_ids == [TRACE]
    assert [p.name for p in typed.manifest.parts] == [f"alert-{ALERT_ID}"]
    assert typed.manifest.key.public_key == KEY.public_b64
    assert typed.parts[PART].records["alert"]["journal"] == [{"kind": "raised"}]


def test_a_tampered_part_is_refused() -> None:
    data = archive()
    data["parts"][PART]["records"]["alert"]["journal"].append({"kind": "forged"})
    assert reason_of(data) == sig.PART_TAMPERED


def test_a_changed_position_is_refused() -> None:
    data = archive()
    data["parts"][PART]["records"]["alert"]["positions"][0]["lat"] = 48.86
    assert reason_of(data) == sig.PART_TAMPERED


def test_a_removed_or_added_part_is_refused() -> None:
    removed = archive()
    del removed["parts"][PART]
    assert reason_of(removed) == sig.PARTS_MISMATCH
    added = archive()
    added["parts"]["notify"] = copy.deepcopy(added["parts"][PART]) | {"service": "notify"}
    assert reason_of(added) == sig.PARTS_MISMATCH


def test_a_tampered_manifest_is_refused() -> None:
    data = archive()
    data["manifest"]["subject"]["id"] = "b" * 32
    assert reason_of(data) == sig.BAD_SIGNATURE


def test_a_manifest_rehashed_after_tampering_a_part_is_refused() -> None:
    data = archive()
    data["parts"][PART]["events"] = []
    digest, size = sig.sha256(data["parts"][PART])
    data["manifest"]["parts"][0].update(sha256=digest, size=size)
    assert reason_of(data) == sig.BAD_SIGNATURE


def test_a_wrong_signature_is_refused() -> None:
    data = archive()
    data["signature"]["value"] = base64.b64encode(OTHER.private.sign(sig.canonical(data["manifest"]))).decode()
    assert reason_of(data) == sig.BAD_SIGNATURE


def test_an_unknown_key_is_refused() -> None:
    assert reason_of(archive(OTHER)) == sig.UNKNOWN_KEY  # signed correctly, by a key we do not trust
    assert reason_of(archive(), trusted={}) == sig.UNKNOWN_KEY


def test_a_resigned_archive_naming_its_own_public_key_under_a_trusted_id_is_refused() -> None:
    forged = SigningKey.from_seed(KEY.key_id, hashlib.sha256(b"forger").digest())
    assert reason_of(archive(forged)) == sig.UNKNOWN_KEY


def test_a_part_with_a_value_no_export_writes_is_refused() -> None:
    data = archive()
    data["parts"][PART]["records"]["alert"]["positions"][0]["lat"] = float("nan")
    assert reason_of(data) == sig.PART_TAMPERED


def test_garbage_is_malformed_not_a_crash() -> None:
    for junk in (None, [], {"format": "zip"}, {"format": ev.FORMAT, "version": "9.0.0"}, {"format": ev.FORMAT}):
        assert reason_of(junk) == sig.MALFORMED
    data = archive()
    data["signature"]["value"] = "%%%"
    assert reason_of(data) == sig.MALFORMED


def test_restore_round_trip_keeps_every_part_verifiable() -> None:
    data = archive()
    files = sig.restore(data, TRUSTED)
    assert set(files) == {"manifest.json", "signature.json", f"parts/{PART}.json"}
    rebuilt = {
        "format": ev.FORMAT,
        "version": ev.VERSION,
        "manifest": files["manifest.json"],
        "signature": files["signature.json"],
        "parts": {PART: files[f"parts/{PART}.json"]},
    }
    assert sig.verify(rebuilt, TRUSTED).parts[PART] == alert_part()
    summary = sig.summarise(sig.verify(rebuilt, TRUSTED))
    assert summary.parts == ((PART, 1, 1),)
    assert summary.trace_ids == (TRACE,)


def test_the_manifest_names_every_id_the_parts_are_about() -> None:
    related = sig.verify(archive(), TRUSTED).manifest.related_ids
    assert related == {"alert_ids": [ALERT_ID]}


def test_one_part_per_service() -> None:
    with pytest.raises(ValueError, match="one part per service"):
        sig.build(
            Subject(kind=SubjectKind.ALERT, id=ALERT_ID),
            "tj-paris",
            [alert_part(), alert_part()],
            KEY,
            Exporter(client_id="c", role="prosecutor"),
            NOW,
        )
