"""``tgd-console`` (or ``python -m tgd_console``): serve the console with uvicorn."""

from __future__ import annotations

import logging

import uvicorn
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from tgd_console.app import create_app
from tgd_console.settings import Settings
from tgd_servicekit.tracing import setup_tracing


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    setup_tracing("console")  # OTEL_TRACES_EXPORTER as for every process (none by default)
    app = create_app(settings)
    FastAPIInstrumentor.instrument_app(app, exclude_spans=["receive", "send"])
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()
