"""``tgd clients ...``: register partner systems (OAuth2 clients) and rotate their secrets.

The registry is the gateway's ``clients.json`` (``TGD_GATEWAY_DATA_DIR``, default
``var/gateway``); the running gateway picks up changes without a restart. A secret is
printed once and never stored (only its argon2 hash)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Partner systems allowed to call the gateway (OAuth2 client credentials).", no_args_is_help=True)
console = Console()


def store():
    from gateway.auth.clients import ClientStore
    from gateway.settings import Settings

    return ClientStore(Settings().data_dir / "clients.json")


@app.command("register")
def register(
    name: str = typer.Argument(help="Who this is, e.g. 'Parquet de Moulins'."),
    role: str = typer.Option(
        ...,
        help="prosecutor, association, teleassistance, police, gendarmerie, observatory, steering_committee "
        "(comité de pilotage, with --department), referrer, spip, bav or admin.",
    ),
    jurisdiction: list[str] = typer.Option([], help="Jurisdiction code (repeatable)."),
    department: list[str] = typer.Option([], help="Department (repeatable): all its jurisdictions (forces)."),
    unit: str | None = typer.Option(None, help="A force's unit (commissariat / brigade)."),
    national: bool = typer.Option(
        False, "--national", help="Every jurisdiction (teleassistance, admin): no shell-quoted '*' needed."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Register a client and print its id and secret (shown once)."""
    from gateway.auth.roles import Role

    try:
        scope = [*jurisdiction, "*"] if national else jurisdiction
        client, secret = store().register(name, Role(role), scope, department, unit)
    except (ValueError, KeyError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    out = {"client_id": client.client_id, "client_secret": secret, "role": client.role.value}
    out["jurisdictions"] = client.jurisdictions
    if as_json:
        print(json.dumps(out))
        return
    console.print(
        f"client_id:     {client.client_id}\nclient_secret: {secret}\n(the secret is not stored: keep it now)"
    )


@app.command("rotate")
def rotate(client_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Give a client a new secret; the old one stops working at once."""
    try:
        secret = store().rotate(client_id)
    except KeyError:
        console.print(f"[red]no client {client_id}[/red]")
        raise typer.Exit(1) from None
    print(json.dumps({"client_id": client_id, "client_secret": secret}) if as_json else f"client_secret: {secret}")


@app.command("disable")
def disable(client_id: str) -> None:
    """Refuse tokens to a client (tokens already issued expire within their lifetime)."""
    try:
        store().set_disabled(client_id, True)
    except KeyError:
        console.print(f"[red]no client {client_id}[/red]")
        raise typer.Exit(1) from None
    console.print(f"{client_id} disabled.")


@app.command("list")
def list_clients() -> None:
    """The registered clients (never their secrets)."""
    table = Table(title="Registered clients")
    for column in ("client_id", "name", "role", "jurisdictions", "unit", "state"):
        table.add_column(column)
    for c in store().load().values():
        state = "disabled" if c.disabled else "active"
        table.add_row(c.client_id, c.name, c.role.value, ",".join(c.jurisdictions), c.unit or "", state)
    console.print(table)
