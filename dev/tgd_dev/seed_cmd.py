"""``tgd-dev seed``: the fictional demo data (:mod:`tgd_dev.seed`) written through a
gateway's routes, with a progress bar; ``tgd stats`` then reads its figures."""

from __future__ import annotations

from pathlib import Path

import httpx
import typer

from tgd_cli import local, session
from tgd_cli.stats_cmd import DATA_DIR, GATEWAY, console, progress
from tgd_dev.seed import Seeder, SeedError, chosen_plans
from tgd_dev.seed_plan import steps


def seed(
    jurisdiction: list[str] = typer.Option([], "--jurisdiction", "-j", help="Only these (default: the three)."),
    run: str = typer.Option("demo", help="Batch label: the same label adds nothing twice; another adds a batch."),
    gateway: str | None = GATEWAY,
    data_dir: Path | None = DATA_DIR,
) -> None:
    """Fictional demo data (two departments, three jurisdictions) through the gateway's routes."""
    try:
        plans = chosen_plans(jurisdiction)
    except SeedError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    with session.client(gateway or local.GATEWAY_URL) as http, progress() as bar:
        partners = session.RegisteredPartners(http, session.data_dir(data_dir) / "clients.json")
        task = bar.add_task("seeding", total=sum(steps(p) for p in plans))
        seeder = Seeder(http, partners, run, lambda: bar.advance(task))
        try:
            for plan in plans:
                bar.update(task, description=f"seeding {plan.jurisdiction}")
                seeder.seed(plan)
        except (session.GatewayError, httpx.HTTPError) as exc:
            console.print(f"[red]seed stopped: {exc}[/red]")
            raise typer.Exit(1) from None
    created = ", ".join(f"{v} {k}" for k, v in seeder.report.created.items()) or "nothing"
    console.print(f"created: {created}")
    if seeder.report.skipped:
        console.print("already there: " + ", ".join(f"{v} {k}" for k, v in seeder.report.skipped.items()))
