"""``tgd operators ...``: people's accounts for the console (``console/``): the
teleassistance platform's operators (``/regulation``), the parquet's and the
association's staff. One account per person: every action and every read of a dossier
is audited under that login.

The accounts are the gateway's ``operators.json`` (``TGD_GATEWAY_DATA_DIR``, default
``var/gateway``); the running gateway picks up changes without a restart. A password
is generated, printed once and never stored (only its argon2 hash)."""

from __future__ import annotations

import typer

from tgd_cli.accounts import Registry, print_table, refuse, state

app = typer.Typer(help="Operator accounts of the console (teleassistance platform staff).", no_args_is_help=True)


def store():
    from gateway.auth.operators import OperatorStore
    from gateway.settings import Settings

    return OperatorStore.in_dir(Settings().data_dir)


REGISTRY = Registry(
    "operator",
    "login",
    "password",
    store,
    rotate_help="Give an operator a new password; the old one stops working at once.",
    disable_help="Close an account: its open console sessions stop at their next request.",
)


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
        raise refuse(exc) from None
    reminder = "(the password is not stored: hand it over now)"
    REGISTRY.print_new(operator.client_id, password, as_json, {"name": operator.name}, reminder)


REGISTRY.add_rotate_and_disable(app)


@app.command("list")
def list_operators() -> None:
    """The operator accounts (never their passwords)."""
    rows = ((o.client_id, o.name, o.created_at[:10], state(o.disabled)) for o in store().load().values())
    print_table("Operators", ("login", "name", "created", "state"), rows)
