"""``tgd broker ...``: broker accounts for partner consumers, limited to their own
routing keys on the ``tgd.partners`` exchange (see tgd_servicekit.partner_access)."""

from __future__ import annotations

import json
import os
import sys

import typer

app = typer.Typer(help="RabbitMQ accounts for partner consumers.", no_args_is_help=True)


def api():
    from tgd_servicekit.partner_access import ManagementApi

    return ManagementApi(
        os.environ.get("TGD_RABBIT_API", "http://127.0.0.1:15672"),
        os.environ.get("TGD_RABBIT_ADMIN_USER", "guest"),
        os.environ.get("TGD_RABBIT_ADMIN_PASSWORD", "guest"),
    )


def account(audience: str, territory: str, unit: str | None):
    from tgd_contracts.partners import Audience
    from tgd_servicekit.partner_access import PartnerAccount

    try:
        return PartnerAccount(Audience(audience), territory, unit)
    except ValueError as exc:
        print(f"invalid partner: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None


@app.command("provision-partner")
def provision_partner(
    audience: str = typer.Argument(help="police, gendarmerie, association or command."),
    territory: str = typer.Argument(help="Department (police, gendarmerie, command) or jurisdiction (association)."),
    unit: str | None = typer.Option(None, help="One unit (commissariat / brigade) instead of the whole territory."),
    vhost: str = typer.Option("/", help="The broker's virtual host."),
    password_stdin: bool = typer.Option(False, help="Read the password from stdin instead of generating one."),
) -> None:
    """Create or update a partner's broker user and permissions; print its name, password and binding."""
    partner = account(audience, territory, unit)
    password = sys.stdin.readline().strip() if password_stdin else None
    try:
        password = api().provision(partner, vhost, password)
    except (RuntimeError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(1) from None
    out = {"user": partner.username, "password": password, "vhost": vhost, "binding": partner.binding}
    out["queue_prefix"] = partner.queue_prefix + "."
    print(json.dumps(out))


@app.command("remove-partner")
def remove_partner(audience: str, territory: str, unit: str | None = typer.Option(None)) -> None:
    """Delete a partner's broker user (its connections are closed by the broker)."""
    partner = account(audience, territory, unit)
    api().remove(partner)
    print(f"{partner.username} removed.")
