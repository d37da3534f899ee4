"""The two command lines: ``tgd`` runs and operates the system; the development tooling
(fault suite, benchmarks, demo seed, fuzzing) is ``tgd-dev`` only."""

import pytest
import typer
from typer.testing import CliRunner

from tgd_cli.main import app as tgd
from tgd_dev.main import app as tgd_dev

DEVELOPMENT = {"faults", "bench", "seed", "fuzz"}
OPERATIONS = {"up", "down", "status", "broker", "keys", "clients", "operators", "contracts", "audit", "evidence",
              "deadletters", "stats", "alert", "migrate", "handover", "slo"}  # fmt: skip


def commands(app: typer.Typer) -> set[str]:
    group = typer.main.get_command(app)
    return set(group.commands)  # type: ignore[attr-defined]


def test_tgd_keeps_the_operations_and_none_of_the_development_tooling():
    assert OPERATIONS <= commands(tgd)
    assert commands(tgd) & DEVELOPMENT == set()


def test_tgd_dev_has_the_development_tooling_and_no_operation():
    assert commands(tgd_dev) == DEVELOPMENT
    bench = typer.main.get_command(tgd_dev).commands["bench"]  # type: ignore[attr-defined]
    assert {"alert-path", "store"} <= set(bench.commands)


@pytest.mark.parametrize("command", sorted(DEVELOPMENT))
def test_tgd_refuses_a_development_command(command):
    result = CliRunner().invoke(tgd, [command, "--help"])
    assert result.exit_code == 2
    assert "No such command" in result.output
