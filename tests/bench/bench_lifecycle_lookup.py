"""What the access guard's lookup costs on the running system (gateway + referral +
evaluation on a throwaway vhost of the local broker): the latency of a read answered
from the service's answer (GET measure: one RPC) against a change guarded by a lookup
(POST consent, repeated with the same body: lookup RPC + change RPC, no event).

Run: .venv/bin/python tests/bench/bench_lifecycle_lookup.py [COUNT]   (prints numbers, asserts nothing)
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tgd_servicekit.testing.broker import find_broker
from tgd_servicekit.testing.processes import ProcessGroup, free_port, wait_until
from tgd_testkit.tokens import auth_headers

REFERRAL = {
    "referrer": {"kind": "social_worker", "organisation": "Association Fictive"},
    "victim": {"surname": "EXEMPLE-BENCH", "first_names": ["Fictive"]},
    "facts": "Faits entièrement fictifs pour la mesure.",
    "urgency": "urgent",
    "jurisdiction": "tj-moulins",
}
CONSENT = {"given": True, "collected_by": "Association fictive", "collected_on": "2026-01-05"}


def timed(call, count: int) -> list[float]:
    out = []
    for _ in range(count):
        start = time.perf_counter()
        response = call()
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.text
    return sorted(out)


def report(name: str, ms: list[float]) -> None:
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<45} p50 {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms   n={len(ms)}")


def main(count: int) -> None:
    broker, _, why = find_broker()
    if broker is None:
        sys.exit(why)
    vhost = broker.create_vhost()
    group = ProcessGroup(Path(tempfile.mkdtemp(prefix="tgd-bench-")), env={"AMQP_URI": broker.uri_for_vhost(vhost)})
    try:
        port = free_port()
        for service in ("referral", "evaluation"):
            group.start_service(service)
        group.start_gateway(port, {"TGD_GATEWAY_RATE_PER_S": "100000", "TGD_GATEWAY_RATE_BURST": "100000"})
        base = f"http://127.0.0.1:{port}"
        association, parquet = auth_headers("association", "tj-moulins"), auth_headers("prosecutor", "tj-moulins")
        wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway")
        wait_until(lambda: httpx.get(f"{base}/v1/referrals/{'0' * 32}/measure", headers=parquet).status_code == 404,
                   30, "the evaluation service")  # fmt: skip
        wait_until(lambda: httpx.get(f"{base}/v1/referrals/{'0' * 32}", headers=association).status_code == 404,
                   30, "the referral service")  # fmt: skip
        headers = {"Idempotency-Key": "bench-lookup-01", **association}
        created = httpx.post(f"{base}/v1/referrals", json=REFERRAL, headers=headers)
        assert created.status_code == 201, created.text
        rid = created.json()["id"]
        with httpx.Client(base_url=base) as http:
            wait_until(lambda: http.get(f"/v1/referrals/{rid}/measure", headers=parquet).status_code == 200, 15, "it")
            for _ in range(20):  # warm up
                http.get(f"/v1/referrals/{rid}/measure", headers=parquet)
            read = timed(lambda: http.get(f"/v1/referrals/{rid}/measure", headers=parquet), count)
            change = timed(lambda: http.post(f"/v1/referrals/{rid}/consent", json=CONSENT, headers=parquet), count)
        report("GET measure (1 RPC, answer checked)", read)
        report("POST consent (lookup RPC + change RPC)", change)
        print(f"lookup overhead, p50 difference: {statistics.median(change) - statistics.median(read):.2f} ms")
    finally:
        group.stop_all()
        broker.delete_vhost(vhost)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
