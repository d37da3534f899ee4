"""``tgd-console`` (or ``python -m tgd_console``): serve the console with uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from tgd_console.app import create_app
from tgd_console.settings import Settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info", access_log=False)


if __name__ == "__main__":
    main()
