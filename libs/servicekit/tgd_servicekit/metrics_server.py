"""Where a process serves its Prometheus metrics (``prometheus_client``'s text format on
``/metrics``): the port named by an environment variable (unset or ``0``: not served), on
the host named by another (default ``127.0.0.1``: a scraper on the same host or pod
network, never the partners). Registers no metric: the services' own are in
:mod:`tgd_servicekit.metrics`, the gateway's in ``gateway.metrics``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from prometheus_client import start_http_server

DEFAULT_HOST = "127.0.0.1"


def port_from_env(name: str, environ: Mapping[str, str] = os.environ) -> int | None:
    """The port in ``environ[name]``; None when unset or ``0``; ValueError when not a port."""
    value = environ.get(name, "").strip()
    if not value or value == "0":
        return None
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{name} must be a port number, not {value!r}")
    return int(value)


def start_metrics_server(port: int, host: str | None, host_env: str) -> tuple[Any, str]:
    """Serve ``/metrics`` in a daemon thread (``.shutdown()`` stops it) on ``host``, else on
    ``$host_env``, else on 127.0.0.1; the server and the host it listens on."""
    host = host or os.environ.get(host_env, DEFAULT_HOST)
    server, _ = start_http_server(port, addr=host)
    return server, host
