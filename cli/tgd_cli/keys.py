"""``tgd keys``: field-encryption keys (generate, rotate)."""

from __future__ import annotations

import base64
import os
import secrets

import typer
from rich.console import Console

keys_app = typer.Typer(help="Field-encryption keys of personal data at rest.", no_args_is_help=True)
console = Console()
SERVICES_WITH_PERSONAL_DATA = ("referral", "evaluation", "device", "alert", "notify")


@keys_app.command("generate")
def generate() -> None:
    """Print a new key (id and base64 value) to add to TGD_FIELD_KEYS; keep it in a secret store."""
    key_id = f"k{secrets.token_hex(4)}"
    console.print(f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}", soft_wrap=True)


@keys_app.command("rotate")
def rotate(
    amqp_uri: str = typer.Option(os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"), help="Broker."),
    timeout: float = typer.Option(120, help="Seconds to wait for each service."),
) -> None:
    """Re-encrypt every stored personal field under the active key, service by service.

    First restart the services with the new key added to TGD_FIELD_KEYS and named in
    TGD_ACTIVE_KEY_ID (keep the old one); run this; then remove the old key."""
    from nameko import config
    from nameko.exceptions import UnknownService
    from nameko.standalone.rpc import ClusterRpcClient

    failed = False
    with config.patch({"AMQP_URI": amqp_uri}), ClusterRpcClient(timeout=timeout) as cluster:
        for name in SERVICES_WITH_PERSONAL_DATA:
            try:
                counts = getattr(cluster, name).rotate_field_keys()
            except UnknownService:
                console.print(f"{name}: not running here (nothing to rotate)")
                continue
            except Exception as exc:
                console.print(f"{name}: [red]failed ({type(exc).__name__})[/red]")
                failed = True
                continue
            console.print(f"{name}: resealed {counts}")
    raise typer.Exit(1 if failed else 0)
