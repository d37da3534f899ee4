"""The gateway's own CPU per request, in process: the ASGI app (every middleware, the access
guard, the dependencies, the route) called directly with the test fakes instead of the
services (no HTTP server, no broker), ``--concurrency`` requests at a time on one event
loop. What the event-loop work of the gateway costs, without the noise of a shared machine
that a wall-clock figure carries (the CPU clock of this process counts its threads too:
the audit writer's and FastAPI's threadpool).

    .venv/bin/python tests/bench/bench_gateway_inprocess.py --requests 3000 --runs 3

Routes: ``GET /v1/alerts`` (a cheap RPC read, no personal data) and ``GET
/v1/referrals/{id}`` (personal: the answer's territory checked and the access recorded
in the audit log, in a temporary directory).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import token_for

REFERRAL = "0123456789abcdef0123456789abcdef"
ROUTES = {
    "GET /v1/alerts": ("/v1/alerts", token_for("teleassistance", "*", client_id="bench-platform"), {}),
    "GET /v1/referrals/{id}": (
        f"/v1/referrals/{REFERRAL}",
        token_for("association", "tj-moulins", client_id="bench-association"),
        {b"x-access-reason": b"suivi"},
    ),
}


async def one(app, path: str, token: str, extra: dict[bytes, bytes]) -> int:
    headers = [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode()), *extra.items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8080),
    }  # fmt: skip
    status = 0

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def run(app, route: str, requests: int, concurrency: int) -> tuple[float, float]:
    path, token, extra = ROUTES[route]
    queue = iter(range(requests))
    statuses: list[int] = []

    async def worker():
        for _ in queue:
            statuses.append(await one(app, path, token, extra))

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    bad = [s for s in statuses if s != 200]
    if bad:
        raise SystemExit(f"{route}: {len(bad)} answers were not 200 (e.g. {bad[0]})")
    return cpu * 1000 / requests, wall * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), rate_per_s=1e9, rate_burst=10**9)  # the limiter runs, never refuses
        app = create_app(settings, rpc=FakeServices(lambda _id: "tj-moulins"))
        print(f"loadavg {Path('/proc/loadavg').read_text().strip()}")
        for route in ROUTES:
            asyncio.run(run(app, route, 200, args.concurrency))  # warm-up: route index, caches
            results = [asyncio.run(run(app, route, args.requests, args.concurrency)) for _ in range(args.runs)]
            cpu = [r[0] for r in results]
            print(
                f"{route:24s} CPU/request median {statistics.median(cpu):.3f} ms [{min(cpu):.3f}-{max(cpu):.3f}] "
                f"over {args.runs} runs of {args.requests} (concurrency {args.concurrency})"
            )
        print(f"loadavg {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
