"""``python -m gateway``: serve the gateway with uvicorn on the configured address."""

from __future__ import annotations

import logging

import uvicorn
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from gateway import metrics
from gateway.main import create_app
from gateway.serving import uvicorn_options
from gateway.settings import Settings
from tgd_servicekit.tracing import setup_tracing


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    setup_tracing("gateway")
    app = create_app(settings)
    FastAPIInstrumentor.instrument_app(app, exclude_spans=["receive", "send"])
    port = metrics.metrics_port()
    if port is not None:  # a separate port, 127.0.0.1 by default: never the partners' API
        metrics.serve(port)
        app.add_middleware(metrics.MetricsMiddleware)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,
        **uvicorn_options(settings.header_timeout_s, settings.forwarded_allow_ips),
    )


if __name__ == "__main__":
    main()
