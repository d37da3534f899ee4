"""The test kit's pytest plugin (the ``tgd_testkit`` pytest11 entry point of ``dev/``):
the gateway's tokens as fixtures, next to the servicekit's plugin (broker, vhosts, stores).

Fixtures:
- ``token_for``: ``token_for("association", "tj-moulins", unit=None)``, a bearer token
  accepted by any development gateway (the e2e ones);
- ``auth_headers``: the same as ``{"Authorization": "Bearer ..."}``;
- ``cli_gateway``: the real gateway app in process on fake services, for the commands
  (``tgd``, ``tgd-dev``) run with CliRunner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def token_for() -> Callable[..., str]:
    """``token_for(role, jurisdiction, unit=None)``: a bearer token for a development gateway."""
    from tgd_testkit.tokens import token_for as make_token

    return make_token


@pytest.fixture
def auth_headers() -> Callable[..., dict[str, str]]:
    """``auth_headers(role, jurisdiction, unit=None)``: ``{"Authorization": "Bearer <token>"}``."""
    from tgd_testkit.tokens import auth_headers as make_headers

    return make_headers


@pytest.fixture
def cli_gateway(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> tuple[list[str], Any, Any]:
    """The real app (access table, token endpoint, client store) on fake services, reached
    by the commands' HTTP client: ``(the commands' options, the fake services, its data dir)``."""
    from fastapi.testclient import TestClient

    from gateway.main import create_app
    from gateway.settings import Settings
    from tgd_cli import session
    from tgd_testkit.fake_services import FakeServices

    data_dir = tmp_path / "gateway-data"
    fake = FakeServices()
    web = create_app(Settings(data_dir=data_dir), rpc=fake)
    monkeypatch.setattr(session, "client", lambda url: TestClient(web, raise_server_exceptions=False))
    return ["--gateway", "http://testserver", "--data-dir", str(data_dir)], fake, data_dir
