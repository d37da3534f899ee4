"""``tgd operators ...``: people's accounts for the console (``console/``): the
teleassistance platform's operators (``/regulation``), the parquet's and the
association's staff. One account per person: every action and every read of a dossier
is audited under that login.

The accounts are the gateway's ``operators.json`` (``TGD_GATEWAY_DATA_DIR``, default
``var/gateway``); the running gateway picks up changes without a restart. A password
is generated, printed once and never stored (only its argon2 hash)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Operator accounts of the console (teleassistance platform staff).", no_args_is_help=True)
console = Console()


def store():
    from gateway.auth.operators import OperatorStore
    from gateway.settings import Settings

    return OperatorStore.in_dir(Settings().data_dir)


@app.command("register")
def register(
    login: str = typer.Argument(help="The login, e.g. 'c.exemple' (3-40 of a-z 0-9 . _ -)."),
    name: str = typer.Option(..., help="The person's name as shown on the console."),
    role: str = typer.Option(
        "teleassistance", help="teleassistance (platform operator), prosecutor (parquet) or association."
    ),
    jurisdiction: list[str] = typer.Option(
        [], "--jurisdiction", "-j", help="A court of a parquet or association account (repeatable)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a person's account (operator, magistrate or clerk, association worker) and
    print its password (shown once)."""
    from gateway.auth.roles import Role

    try:
        operator, password = store().register_operator(login, name, Role(role), list(jurisdiction))
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps({"login": operator.client_id, "password": password, "name": operator.name}))
        return
    console.print(
        f"login:    {operator.client_id}\npassword: {password}\n(the password is not stored: hand it over now)"
    )


@app.command("rotate")
def rotate(login: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Give an operator a new password; the old one stops working at once."""
    try:
        password = store().rotate(login)
    except KeyError:
        console.print(f"[red]no operator {login}[/red]")
        raise typer.Exit(1) from None
    print(json.dumps({"login": login, "password": password}) if as_json else f"password: {password}")


@app.command("disable")
def disable(login: str) -> None:
    """Close an account: its open console sessions stop at their next request."""
    try:
        store().set_disabled(login, True)
    except KeyError:
        console.print(f"[red]no operator {login}[/red]")
        raise typer.Exit(1) from None
    console.print(f"{login} disabled.")


@app.command("list")
def list_operators() -> None:
    """The operator accounts (never their passwords)."""
    table = Table(title="Operators")
    for column in ("login", "name", "created", "state"):
        table.add_column(column)
    for o in store().load().values():
        table.add_row(o.client_id, o.name, o.created_at[:10], "disabled" if o.disabled else "active")
    console.print(table)
