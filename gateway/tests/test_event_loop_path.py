"""The gateway's request path on the event loop, as pure units: the token cache (only
the decoding is cached; expiry and the maximum lifetime are re-checked on each use), the
route matcher (the same answer as a scan of every route), the access log's group commit
(one writer, batches, a crash mid-batch leaves a verifiable log)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gateway.auth.audit import AuditLog, committed_lines
from gateway.auth.audit_writer import AuditWriter
from gateway.auth.roles import Principal, Role
from gateway.auth.tokens import LEEWAY_S, InvalidToken, TokenConfig, TokenVerifier, issue_token
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices

KEY = b"k" * 32
CONFIG = TokenConfig("s" * 40, "tgd-gateway", "tgd-api", ttl_s=600, max_lifetime_s=3600)
POLICE = Principal("police-75-csp", Role.POLICE, frozenset({"tj-paris"}), "csp-paris-1")


# -- tokens -----------------------------------------------------------------------------
def test_a_cached_token_gives_the_same_principal_without_decoding_again(monkeypatch):
    now = time.time()
    token = issue_token(CONFIG, POLICE, now=now)
    verifier = TokenVerifier(CONFIG)
    first = verifier.verify(token, now=now)
    import gateway.auth.tokens as tokens

    monkeypatch.setattr(tokens, "_verify", lambda *a: pytest.fail("decoded again"))
    assert verifier.verify(token, now=now + 1) == first == (POLICE, int(now))


def test_a_cached_token_is_refused_once_expired_as_the_decoder_would():
    now = time.time()
    token = issue_token(CONFIG, POLICE, now=now)
    verifier = TokenVerifier(CONFIG)
    verifier.verify(token, now=now)
    expires = int(now) + CONFIG.ttl_s
    assert verifier.verify(token, now=expires + LEEWAY_S - 0.5)[0] == POLICE
    with pytest.raises(InvalidToken):
        verifier.verify(token, now=expires + LEEWAY_S)
    assert token not in verifier._verified  # dropped: the next use decodes it again (and PyJWT refuses it)


def test_the_maximum_lifetime_is_rechecked_on_a_cached_token():
    short = TokenConfig("s" * 40, "tgd-gateway", "tgd-api", ttl_s=600, max_lifetime_s=60)
    now = time.time()
    token = issue_token(CONFIG, POLICE, now=now)  # exp 600 s: over the 60 s maximum at once
    with pytest.raises(InvalidToken):
        TokenVerifier(short).verify(token, now=now)


def test_a_refused_token_is_not_kept_and_a_tampered_one_is_refused():
    verifier = TokenVerifier(CONFIG)
    token = issue_token(CONFIG, POLICE)
    head, payload, signature = token.split(".")
    for bad in (f"{head}.{payload}.{signature[:-2]}AA", "not-a-token"):
        with pytest.raises(InvalidToken):
            verifier.verify(bad)
    assert len(verifier._verified) == 0


def test_the_cache_is_bounded_least_recently_used_first_out():
    verifier = TokenVerifier(CONFIG, max_entries=3)
    tokens = [issue_token(CONFIG, POLICE) for _ in range(4)]
    for token in tokens[:3]:
        verifier.verify(token)
    verifier.verify(tokens[0])  # used again: the oldest is now tokens[1]
    verifier.verify(tokens[3])
    assert list(verifier._verified) == [tokens[2], tokens[0], tokens[3]]


# -- the access log's group commit ------------------------------------------------------------
def entry(n):
    return {"client_id": f"c{n}", "role": "association", "action": "GET /x", "object_id": str(n), "status": 200}


def test_concurrent_records_are_committed_in_batches_and_chain(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl", KEY)
    writer = AuditWriter(log)

    async def scenario():
        return await asyncio.gather(*(writer.record(**entry(n)) for n in range(200)))

    written = asyncio.run(scenario())
    assert [e["seq"] for e in written] == list(range(200))
    assert [e["object_id"] for e in log.entries()] == [str(n) for n in range(200)]
    assert writer.batches < 200  # grouped (how many depends on the thread's timing)
    assert log.check().intact
    assert log.check().entries == 200


def test_a_failed_write_fails_the_requests_of_its_batch_and_the_next_batch_goes_on(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl", KEY)
    writer = AuditWriter(log)
    real = log.append
    failures = iter([OSError("disk full")])

    def flaky(batch):
        failure = next(failures, None)
        if failure:
            raise failure
        return real(batch)

    log.append = flaky

    async def scenario():
        with pytest.raises(OSError):
            await writer.record(**entry(0))
        return await writer.record(**entry(1))

    assert asyncio.run(scenario())["seq"] == 0
    assert log.check().intact


def test_a_torn_last_line_is_not_an_entry_and_the_next_append_cuts_it_off(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl", KEY)
    log.append([entry(n) for n in range(3)])
    before, head = log.path.stat().st_size, log.anchor.read_bytes()
    log.append([entry(n) for n in range(3, 6)])
    batch_bytes = log.path.stat().st_size - before
    os.truncate(log.path, before + batch_bytes // 2)  # a crash in the middle of the batch's write,
    log.anchor.write_bytes(head)  # before its head was anchored
    assert not log.path.read_bytes().endswith(b"\n")
    finding = log.check()
    assert finding.intact
    assert finding.entries in (4, 5)
    log.append([entry(9)])
    assert [e["object_id"] for e in log.entries()][-1] == "9"
    assert log.check().intact
    assert log.path.read_bytes().endswith(b"\n")


def test_committed_lines_skips_only_a_last_line_without_its_newline():
    assert list(committed_lines(["a\n", "\n", "b\n", "c"])) == ["a\n", "b\n"]


WRITER = """
import asyncio, sys
from pathlib import Path
from gateway.auth.audit import AuditLog
from gateway.auth.audit_writer import AuditWriter
writer = AuditWriter(AuditLog(Path(sys.argv[1]), b"k" * 32))
async def main():
    n = 0
    while True:
        await asyncio.gather(*(writer.record(client_id="c", role="police", action="GET /x", object_id=str(n + i),
                                             status=200) for i in range(50)))
        n += 50
        if n == 500:
            print("writing", flush=True)
asyncio.run(main())
"""


def test_a_writer_killed_mid_batch_leaves_a_verifiable_log_that_goes_on(tmp_path):
    path = tmp_path / "audit.jsonl"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    for _ in range(3):  # three crashes at random points of a stream of batches
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, env=env)
        assert writer.stdout.readline() == b"writing\n"
        time.sleep(0.05)
        writer.kill()
        writer.wait()
        finding = AuditLog(path, KEY).check()
        assert finding.intact, finding
    cli = subprocess.run(
        [str(Path(sys.executable).parent / "tgd"), "audit", "verify", str(path), "--key-file", str(keyfile(tmp_path))],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert json.loads(cli.stdout)["intact"] is True


def keyfile(tmp_path):
    path = tmp_path / "audit.key"
    path.write_bytes(KEY)
    return path


# -- answers: passed through unless the guard changes them --------------------------------------
def test_an_answer_the_guard_does_not_change_is_not_encoded_again(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    import gateway.auth.guard as guard
    import gateway.auth.outcome as outcome
    from tgd_testkit.tokens import auth_headers

    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices(lambda _id: "tj-moulins"))
    client = TestClient(app)
    association = {**auth_headers("association", "tj-moulins"), "X-Access-Reason": "suivi"}
    referral = "0123456789abcdef0123456789abcdef"

    class NoEncoding:
        loads = staticmethod(json.loads)

        @staticmethod
        def dumps(*args, **kwargs):
            raise AssertionError("the answer was encoded again")

    for module in (guard, outcome):  # the guard (a dependency) and the access log's wrapper of send
        monkeypatch.setattr(module, "json", NoEncoding, raising=False)  # neither imports json any more
    answer = client.get(f"/v1/referrals/{referral}", headers=association)  # read (territory), recorded, no view
    assert answer.status_code == 200
    assert answer.json()["jurisdiction"] == "tj-moulins"
    entries = list(AuditLog(tmp_path / "audit.jsonl").entries())
    assert [(e["object_id"], e["jurisdiction"]) for e in entries] == [(referral, "tj-moulins")]
