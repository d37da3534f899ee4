"""How a command reaches the gateway as the teleassistance platform, declared once: the
options ``--gateway``, ``--data-dir``, ``--client-id`` and ``--client-secret``, and the
client with the platform's token. ``@platform_command`` gives a command those options;
the command receives them as one :class:`Platform` (its ``platform`` parameter)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console

from tgd_cli import local, session

console = Console()
GATEWAY = typer.Option(
    None, "--gateway", help="Gateway URL (default: TGD_GATEWAY_URL, else http://TGD_GATEWAY_HOST:TGD_GATEWAY_PORT)."
)
DATA_DIR = typer.Option(None, "--data-dir", help="The gateway's data dir (its clients.json), for the demo client.")
# each option: its parameter's name, type and typer declaration
OPTIONS = (
    ("gateway", str | None, GATEWAY),
    ("data_dir", Path | None, DATA_DIR),
    ("client_id", str | None, typer.Option(None, help="Teleassistance client id (or TGD_CLIENT_ID).")),
    ("client_secret", str | None, typer.Option(None, help="Its secret (or TGD_CLIENT_SECRET).")),
)


@dataclass(frozen=True)
class Platform:
    gateway: str | None
    data_dir: Path | None
    client_id: str | None
    client_secret: str | None

    @contextmanager
    def client(self) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
        """An HTTP client of the gateway and the platform's headers (exit 1 when refused)."""
        with session.client(self.gateway or local.GATEWAY_URL) as http:
            try:
                headers = session.headers_for(
                    http, "teleassistance", "*", self.data_dir, self.client_id, self.client_secret
                )
            except (session.GatewayError, httpx.HTTPError) as exc:
                console.print(f"[red]{exc}[/red]")
                raise typer.Exit(1) from None
            yield http, headers


def platform_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command(..., platform: Platform)`` as a command with the platform's options."""
    signature = inspect.signature(command)
    kept = [p for p in signature.parameters.values() if p.name != "platform"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=o, annotation=t) for name, t, o in OPTIONS]

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        access = Platform(**{name: kwargs.pop(name) for name, _, _ in OPTIONS})
        return command(*args, platform=access, **kwargs)

    run.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
    run.__annotations__ = {k: v for k, v in command.__annotations__.items() if k != "platform"}
    run.__annotations__.update({name: t for name, t, _ in OPTIONS})
    return run
