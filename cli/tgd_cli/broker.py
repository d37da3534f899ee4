"""``tgd broker ...``: broker accounts for partner consumers: one user per addressee,
reading only its own queue and answering only with its own routing keys (see
tgd_servicekit.partner_access). The virtual host is the one ``AMQP_URI`` names."""

from __future__ import annotations

import json
import os
import sys

import typer

from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE

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
    audience: str = typer.Argument(help="police, gendarmerie, association, command, parquet, teleassistance or bav."),
    territory: str = typer.Argument(
        help="Department (police, gendarmerie, command) or jurisdiction (association, parquet, teleassistance, bav)."
    ),
    unit: str | None = typer.Option(
        None,
        help="The unit (commissariat, brigade, operations centre); without it, the addressee 'any' of the territory.",
    ),
    vhost: str | None = typer.Option(None, help="The broker's virtual host (default: the one AMQP_URI names)."),
    password_stdin: bool = typer.Option(False, help="Read the password from stdin instead of generating one."),
    public_key: str | None = typer.Option(
        None, help="The partner's public key (tgd-partner-consumer keygen): its dossiers travel sealed for it."
    ),
    keys_file: str | None = typer.Option(
        None, help="The partner keys file the services load (default: TGD_PARTNER_KEYS_FILE)."
    ),
) -> None:
    """Declare a partner's queue, create or update its broker user and permissions; print
    its user, password, virtual host, queue and reply keys as JSON. With ``--public-key``,
    register its key in the keys file first (restart alert and notify to load it). With
    ``TGD_ENV=production`` the key is required."""
    from tgd_contracts.clear_sends import provisioning_refusal
    from tgd_contracts.partner_keys import BadKeysFile, register_key
    from tgd_servicekit.partner_access import vhost_of

    partner = account(audience, territory, unit)
    refusal = provisioning_refusal(os.environ.get("TGD_ENV", "development"), public_key)
    if refusal:
        print(refusal, file=sys.stderr)  # nothing changed: no user, no queue, no key
        raise typer.Exit(2)
    kid = None
    if public_key:
        keys_file = keys_file or os.environ.get("TGD_PARTNER_KEYS_FILE")
        if not keys_file:
            print("--public-key needs --keys-file or TGD_PARTNER_KEYS_FILE", file=sys.stderr)
            raise typer.Exit(2)
        try:
            kid = register_key(keys_file, partner.prefix, public_key)
        except (BadKeysFile, OSError, ValueError) as exc:
            print(str(exc), file=sys.stderr)
            raise typer.Exit(2) from None
    vhost = vhost or vhost_of(os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"))
    password = sys.stdin.readline().strip() if password_stdin else None
    try:
        password = api().provision(partner, vhost, password)
    except (RuntimeError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(1) from None
    out = {
        "user": partner.username,
        "password": password,
        "vhost": vhost,
        "queue": partner.queue,
        "binding": partner.binding,
        "reply_exchange": PARTNER_REPLY_EXCHANGE,
        "reply_keys": partner.prefix + ".<acknowledgement|outcome|notice-acknowledgement>",
    }
    if kid:
        out["public_key_id"] = kid
    print(json.dumps(out))


@app.command("remove-partner")
def remove_partner(audience: str, territory: str, unit: str | None = typer.Option(None)) -> None:
    """Delete a partner's broker user (its connections are closed by the broker; its
    queue and what it holds stay)."""
    partner = account(audience, territory, unit)
    api().remove(partner)
    print(f"{partner.username} removed.")


@app.command("migrate-rpc-queues")
def migrate_rpc_queues(
    service: list[str] = typer.Option(None, help="Only these services (default: every service)."),
) -> None:
    """Declare every service's RPC request queue (``rpc-<service>``) as this version does (a
    classic queue whose requests expire), replacing a queue of an earlier version (quorum)
    and dropping the requests waiting in it. Refused, changing nothing for that queue, while
    an instance of the earlier version still consumes it: stop those first."""
    from tgd_servicekit.rpc_queues import RPC_SERVICES, RpcQueueMismatch, prepare_rpc_queues

    uri = os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")
    failed = False
    for name in service or RPC_SERVICES:
        try:
            [prepared] = prepare_rpc_queues(uri, services=(name,))
        except RpcQueueMismatch as exc:
            print(str(exc), file=sys.stderr)
            failed = True
            continue
        state = f"replaced ({prepared.dropped} request(s) dropped)" if prepared.migrated else "ready"
        print(f"{prepared.queue}: {state}")
    if failed:
        raise typer.Exit(1)
