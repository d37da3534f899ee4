"""Requests per second and latency through the gateway for a cheap RPC route, with the
services running (``tgd up``), measured by ``wrk`` (Debian's; closed loop: ``-c``
connections each sending its next request when the last one is answered, so the
percentiles are those of answered requests, not of a fixed arrival schedule).

    .venv/bin/python tests/bench/bench_gateway_rpc.py --url http://127.0.0.1:18341 --runs 3

Each request carries one of ``--tokens`` teleassistance tokens (national, development
secret), so the per-client rate limit stays on as in production without one client's
bucket capping the run. Prints, per run and as median [min-max]: requests/s, p50/p90/p99,
non-2xx answers, the CPU milliseconds per request of the gateway and of the called
service (from /proc, when ``tgd up`` runs them here) and ``/proc/loadavg`` before the run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
from pathlib import Path

from tgd_testkit.tokens import token_for

LUA = """
tokens = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "%s", {["Authorization"] = "Bearer " .. tokens[(counter %% #tokens) + 1]})
end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def cpu_ms(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def pids() -> dict[str, int]:
    try:
        from tgd_cli.local import supervised_pids

        return supervised_pids()
    except Exception:
        return {}


def parse(output: str) -> dict[str, float]:
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for q in ("50", "90", "99"):
        value, unit = re.search(rf"\s{q}%\s+([\d.]+)(us|ms|s)", output).groups()
        found[f"p{q}"] = float(value) * UNITS[unit]
    total = re.search(r"(\d+) requests in", output)
    found["requests"] = float(total.group(1)) if total else 0.0
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    found["non2xx"] = float(bad.group(1)) if bad else 0.0
    return found


def one_run(args: argparse.Namespace, script: str, service: str) -> dict[str, float]:
    running = pids()
    loadavg = Path("/proc/loadavg").read_text().split()[:3]
    before = {name: cpu_ms(running.get(name)) for name in ("gateway", service)}
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s", "--latency"]
    out = subprocess.run([*command, "-s", script, args.url + args.path], capture_output=True, text=True, check=True)
    result = parse(out.stdout)
    for name in ("gateway", service):
        spent = cpu_ms(running.get(name)) - before[name]
        result[f"cpu_{name}"] = spent / result["requests"] if result["requests"] and running.get(name) else 0.0
    result["loadavg"] = float(loadavg[0])
    print(
        f"  rps {result['rps']:8.1f}  p50 {result['p50']:6.2f} ms  p90 {result['p90']:6.2f} ms  "
        f"p99 {result['p99']:7.2f} ms  non-2xx {int(result['non2xx'])}  CPU/request gateway "
        f"{result['cpu_gateway']:.2f} ms {service} {result[f'cpu_{service}']:.2f} ms  loadavg {' '.join(loadavg)}",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('TGD_GATEWAY_PORT', '8080')}")
    parser.add_argument("--path", default="/v1/alerts", help="a cheap RPC route (default: the open alerts)")
    parser.add_argument("--service", default="alert", help="the service that route calls (for its CPU)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    tokens = ", ".join(f'"{token_for("teleassistance", "*", client_id=f"bench-{n}")}"' for n in range(args.tokens))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % (tokens, args.path))
    print(f"GET {args.path} {args.label}: wrk -c {args.connections} -d {args.duration}s x {args.runs}", flush=True)
    runs = [one_run(args, lua.name, args.service) for _ in range(args.runs)]
    os.unlink(lua.name)
    for key in ("rps", "p50", "p90", "p99", "cpu_gateway", f"cpu_{args.service}", "loadavg"):
        values = [r[key] for r in runs]
        print(f"  {key:12s} median {statistics.median(values):9.2f}  [{min(values):.2f}-{max(values):.2f}]")


if __name__ == "__main__":
    main()
