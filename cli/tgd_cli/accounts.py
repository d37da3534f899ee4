"""What ``tgd clients`` (partner systems) and ``tgd operators`` (people) share: the gateway's
registries of accounts, each account with a secret printed once and never stored.
``rotate`` gives an account a new secret (the old one stops working at once), ``disable``
closes it; an unknown account is an error (exit 1). Listings never show a secret."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def refuse(message: object) -> typer.Exit:
    """Print why in red; the caller raises the returned exit (status 1)."""
    console.print(f"[red]{message}[/red]")
    return typer.Exit(1)


def state(disabled: bool) -> str:
    return "disabled" if disabled else "active"


def print_table(title: str, columns: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@dataclass(frozen=True)
class Registry:
    noun: str  # what an account is called in messages: "client", "operator"
    id_key: str  # its identifier's name: "client_id", "login"
    secret_key: str  # its secret's name: "client_secret", "password"
    store: Callable[[], Any]  # the gateway's store (ClientStore, OperatorStore)
    rotate_help: str
    disable_help: str

    @contextmanager
    def existing(self, account: str) -> Iterator[None]:
        """A KeyError (no such account) within the block: exit 1 with a message."""
        try:
            yield
        except KeyError:
            raise refuse(f"no {self.noun} {account}") from None

    def print_new(self, account: str, secret: str, as_json: bool, details: dict[str, Any], reminder: str) -> None:
        """A new account's id and secret (shown once), as JSON with ``details``, or as lines."""
        if as_json:
            print(json.dumps({self.id_key: account, self.secret_key: secret, **details}))
            return
        width = max(len(self.id_key), len(self.secret_key)) + 2
        console.print(f"{self.id_key + ':':<{width}}{account}\n{self.secret_key + ':':<{width}}{secret}\n{reminder}")

    def add_rotate_and_disable(self, app: typer.Typer) -> None:
        account_argument = typer.Argument(metavar=self.id_key.upper())

        @app.command("rotate", help=self.rotate_help)
        def rotate(account: str = account_argument, as_json: bool = typer.Option(False, "--json")) -> None:
            with self.existing(account):
                secret = self.store().rotate(account)
            out = {self.id_key: account, self.secret_key: secret}
            print(json.dumps(out) if as_json else f"{self.secret_key}: {secret}")

        @app.command("disable", help=self.disable_help)
        def disable(account: str = account_argument) -> None:
            with self.existing(account):
                self.store().set_disabled(account, True)
            console.print(f"{account} disabled.")
