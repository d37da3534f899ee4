"""The commands and the environment agree: one way to find the gateway, national clients
without shell quoting, and every variable a command (``tgd`` or ``tgd-dev``) reads is in
the README's table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from tgd_cli.local import gateway_url
from tgd_cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_the_gateway_url_follows_the_gateway_bind_address():
    assert gateway_url({}) == "http://127.0.0.1:8080"
    assert gateway_url({"TGD_GATEWAY_PORT": "9090"}) == "http://127.0.0.1:9090"
    assert gateway_url({"TGD_GATEWAY_HOST": "0.0.0.0", "TGD_GATEWAY_PORT": "8443"}) == "http://127.0.0.1:8443"
    assert gateway_url({"TGD_GATEWAY_HOST": "::"}) == "http://[::1]:8080"
    assert gateway_url({"TGD_GATEWAY_HOST": "10.0.0.1", "TGD_GATEWAY_URL": "https://tgd.example/"}) == (
        "https://tgd.example"
    )


def test_a_national_client_needs_no_quoted_star(tmp_path, monkeypatch):
    monkeypatch.setenv("TGD_GATEWAY_DATA_DIR", str(tmp_path))
    args = ["clients", "register", "Plateforme Fictive", "--role", "teleassistance", "--national", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["jurisdictions"] == ["*"]
    refused = runner.invoke(app, ["clients", "register", "x", "--role", "association", "--national"])
    assert refused.exit_code == 1


def variables_read(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    pattern = re.compile(r"""(?:environ(?:\.get)?[\[(]|getenv\(|setenv\()\s*["']([A-Z][A-Z0-9_]+)["']""")
    for path in paths:
        found |= set(pattern.findall(path.read_text()))
    return found


def test_every_variable_a_command_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))
    sources = [p for d in ("cli/tgd_cli", "dev/tgd_dev", "dev/tgd_testkit") for p in (ROOT / d).rglob("*.py")]
    sources += [ROOT / "gateway/gateway/settings.py", *(ROOT / "libs/servicekit/tgd_servicekit").glob("*.py")]
    read = variables_read(sources)
    read |= set(_gateway_settings()) | set(_console_settings())
    missing = sorted(v for v in read if v not in table and not _covered_by_prefix(v, readme))
    assert missing == [], f"add these to the README's configuration table: {missing}"


def _gateway_settings() -> list[str]:
    """The variables the gateway's settings read (``TGD_GATEWAY_`` + field, or its alias)."""
    from gateway.settings import Settings

    return [f.validation_alias or f"TGD_GATEWAY_{name.upper()}" for name, f in Settings.model_fields.items()]


def _console_settings() -> list[str]:
    """The variables the console's settings read (``TGD_CONSOLE_`` + field, or its alias)."""
    from tgd_console.settings import Settings

    return [f.validation_alias or f"TGD_CONSOLE_{name.upper()}" for name, f in Settings.model_fields.items()]


def _covered_by_prefix(variable: str, readme: str) -> bool:
    """``TGD_GATEWAY_RATE_PER_S`` / ``TGD_GATEWAY_RATE_BURST`` or ``_MAX_S`` style rows."""
    return any(variable.endswith(tail) and f"`{tail}`" in readme for tail in re.findall(r"`(_[A-Z0-9_]+)`", readme))


def test_the_metrics_and_sampling_variables_are_in_the_readme():
    from gateway import metrics as gateway_metrics
    from tgd_servicekit import metrics, tracing

    table = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "README.md").read_text()))
    names = [metrics.PORT_ENV, metrics.HOST_ENV, gateway_metrics.PORT_ENV, gateway_metrics.HOST_ENV]
    names.append(tracing.SAMPLE_RATIO_ENV)
    assert [n for n in names if n not in table] == []
