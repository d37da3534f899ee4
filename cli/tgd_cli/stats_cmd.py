"""``tgd stats``: the observatory's figures from the gateway (``tgd-dev seed`` writes
fictional demo data that feeds them)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tgd_cli import local, session
from tgd_cli.session import GatewayError
from tgd_contracts.jurisdictions import JURISDICTIONS

console = Console()
PLOTS = ("activity", "withdrawals", "alerts", "delays")
GATEWAY = typer.Option(
    None, "--gateway", help="Gateway URL (default: TGD_GATEWAY_URL, else http://TGD_GATEWAY_HOST:TGD_GATEWAY_PORT)."
)
DATA_DIR = typer.Option(None, "--data-dir", help="The gateway's data dir (its clients.json), for the demo clients.")


def progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console)  # fmt: skip


def httpx_errors() -> type[Exception]:
    import httpx

    return httpx.HTTPError


def flatten(stats: dict[str, Any]) -> dict[str, Any]:
    """``section.measure[.category]`` -> value (None when suppressed), delays as ``...p50_s``."""
    flat: dict[str, Any] = {}
    for section in ("referrals", "evaluations", "devices", "alerts"):
        for measure, value in stats[section].items():
            if not isinstance(value, dict):
                continue
            if "suppressed" in value:
                flat[f"{section}.{measure}"] = value["value"]
            elif "samples" in value:
                flat[f"{section}.{measure}.samples"] = value["samples"]["value"]
                flat.update({f"{section}.{measure}.{k}": value[k] for k in ("p50_s", "p90_s", "max_s")})
            else:
                flat.update({f"{section}.{measure}.{k}": cell["value"] for k, cell in value.items()})
    return flat


def shown(value: Any, threshold: int) -> str:
    return f"<{threshold}" if value is None else str(value)


def table_of(stats: dict[str, Any]) -> Table:
    threshold = stats["small_count_threshold"]
    table = Table(title=f"{stats['jurisdiction']} — {stats['starts_on']} to {stats['ends_on']}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in flatten(stats).items():
        if key.endswith(("_s",)) and value is None:
            value_text = "not published"
        else:
            value_text = shown(value, threshold)
        if value_text != "0" or key.count(".") == 1:  # breakdown cells at 0 are left out
            table.add_row(key, value_text)
    return table


def stats(
    jurisdiction: list[str] = typer.Option([], "--jurisdiction", "-j", help="Default: every known jurisdiction."),
    starts_on: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD); default 1 January."),
    ends_on: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD); default today."),
    csv_file: Path | None = typer.Option(None, "--csv", help="Write the figures as CSV to this file."),
    plot_dir: Path | None = typer.Option(None, "--plot", help="Write the plots (PNG) into this directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON answers."),
    gateway: str | None = GATEWAY,
    data_dir: Path | None = DATA_DIR,
    client_id: str | None = typer.Option(None, help="Observatory client id (or TGD_CLIENT_ID)."),
    client_secret: str | None = typer.Option(None, help="Its secret (or TGD_CLIENT_SECRET)."),
) -> None:
    """The observatory's anonymised statistics per jurisdiction (counts below 5 shown as <5)."""
    codes = jurisdiction or list(JURISDICTIONS)
    params: dict[str, str] = {}
    for name, value in (("from", starts_on), ("to", ends_on)):
        if value is not None:
            try:
                params[name] = date.fromisoformat(value).isoformat()
            except ValueError:
                console.print(f"[red]--{name} must be a date YYYY-MM-DD[/red]")
                raise typer.Exit(2) from None
    answers, csv_parts = [], []
    with session.client(gateway or local.GATEWAY_URL) as http:
        try:
            headers = session.headers_for(http, "observatory", "*", data_dir, client_id, client_secret)
        except (GatewayError, httpx_errors()) as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
        work = len(codes) * (1 + bool(csv_file) + (len(PLOTS) if plot_dir else 0))
        with progress() as bar:
            task = bar.add_task("statistics", total=work)
            for code in codes:
                query = {"jurisdiction": code, **params}
                response = http.get("/v1/observatory/statistics", params=query, headers=headers)
                bar.advance(task)
                if response.status_code != 200:
                    console.print(f"[red]{code}: {response.status_code} {response.text[:200]}[/red]")
                    raise typer.Exit(1)
                answers.append(response.json())
                if csv_file:
                    csv_parts.append(http.get("/v1/observatory/statistics.csv", params=query, headers=headers).text)
                    bar.advance(task)
                if plot_dir:
                    plot_dir.mkdir(parents=True, exist_ok=True)
                    for name in PLOTS:
                        image = http.get(f"/v1/observatory/plots/{name}.png", params=query, headers=headers)
                        (plot_dir / f"{code}-{name}.png").write_bytes(image.content)
                        bar.advance(task)
    if as_json:
        print(json.dumps(answers, indent=1))
    else:
        for answer in answers:
            console.print(table_of(answer))
    if csv_file:
        header, *_ = csv_parts[0].splitlines()
        body = [line for part in csv_parts for line in part.splitlines()[1:]]
        csv_file.write_text("\n".join([header, *body]) + "\n")
        console.print(f"CSV: {csv_file}")
    if plot_dir:
        console.print(f"plots: {plot_dir}/<jurisdiction>-{{{','.join(PLOTS)}}}.png")
