"""``tgd clients ...``: register partner systems (OAuth2 clients) and rotate their secrets.

The registry is the gateway's ``clients.json`` (``TGD_GATEWAY_DATA_DIR``, default
``var/gateway``); the running gateway picks up changes without a restart. A secret is
printed once and never stored (only its argon2 hash)."""

from __future__ import annotations

import typer

from tgd_cli.accounts import Registry, print_table, refuse, state

app = typer.Typer(help="Partner systems allowed to call the gateway (OAuth2 client credentials).", no_args_is_help=True)


def store():
    from gateway.auth.clients import ClientStore
    from gateway.settings import Settings

    return ClientStore(Settings().data_dir / "clients.json")


REGISTRY = Registry(
    "client",
    "client_id",
    "client_secret",
    store,
    rotate_help="Give a client a new secret; the old one stops working at once.",
    disable_help="Refuse tokens to a client (tokens already issued expire within their lifetime).",
)


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
        raise refuse(exc) from None
    details = {"role": client.role.value, "jurisdictions": client.jurisdictions}
    REGISTRY.print_new(client.client_id, secret, as_json, details, "(the secret is not stored: keep it now)")


REGISTRY.add_rotate_and_disable(app)


@app.command("list")
def list_clients() -> None:
    """The registered clients (never their secrets)."""
    columns = ("client_id", "name", "role", "jurisdictions", "unit", "state")
    rows = (
        (c.client_id, c.name, c.role.value, ",".join(c.jurisdictions), c.unit or "", state(c.disabled))
        for c in store().load().values()
    )
    print_table("Registered clients", columns, rows)
