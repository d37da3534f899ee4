"""``tgd-dev``: the development tooling (typer), kept out of the production ``tgd``: the
fault-injection suite, the benchmarks, the fictional demo seed and the OpenAPI fuzzing.
Installed by ``scripts/setup.sh``; no image ships it."""

from __future__ import annotations

import typer

from tgd_dev import bench_store, seed_cmd
from tgd_dev.bench import bench_app
from tgd_dev.faults import command as faults_command

app = typer.Typer(help="Téléphone Grave Danger: development tooling (never shipped).", no_args_is_help=True)
bench_store.register(bench_app)
app.add_typer(bench_app, name="bench")
app.command("faults")(faults_command.faults)
app.command("seed")(seed_cmd.seed)


@app.command()
def fuzz(
    cases: int = typer.Option(1000, help="How many generated requests."),
    seed: int = typer.Option(0, help="Hypothesis seed."),
    as_json: bool = typer.Option(False, "--json", help="Print only the JSON report."),
) -> None:
    """Fuzz the gateway's whole OpenAPI spec in-process (schemathesis, fake services, every role)."""
    import json

    from tgd_testkit.fuzz import run_fuzz

    report = run_fuzz(cases, seed)
    summary = {k: report[k] for k in ("cases", "server_errors", "schema_violations")}
    print(json.dumps(summary if as_json else report, indent=None if as_json else 1))
    raise typer.Exit(1 if report["server_errors"] or report["schema_violations"] else 0)
