"""The test kit's pytest plugin (the ``tgd_testkit`` pytest11 entry point of ``dev/``):
the gateway's tokens as fixtures, next to the servicekit's plugin (broker, vhosts, stores).

Fixtures:
- ``token_for``: ``token_for("association", "tj-moulins", unit=None)``, a bearer token
  accepted by any development gateway (the e2e ones);
- ``auth_headers``: the same as ``{"Authorization": "Bearer ..."}``.
"""

from __future__ import annotations

from collections.abc import Callable

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
