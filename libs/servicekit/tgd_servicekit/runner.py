"""``tgd-service NAME``: run one service (``NAME.service``) with its packaged
``config.yaml`` (``${VAR:default}`` substitution), logging and tracing set up."""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=".*Eventlet is deprecated.*")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
from importlib.resources import files  # noqa: E402

from nameko.cli.run import run  # noqa: E402
from nameko.cli.utils.config import setup_config  # noqa: E402

from tgd_servicekit.tracing import instrument_nameko, setup_tracing  # noqa: E402

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def config_path(service: str, explicit: str | None) -> str:
    return explicit or str(files(service) / "config.yaml")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tgd-service", description=__doc__)
    parser.add_argument("service", help="service package name, e.g. referral")
    parser.add_argument("--config", help="config file (default: the service's packaged config.yaml)")
    args = parser.parse_args(argv)

    with open(config_path(args.service, args.config)) as config_file:
        setup_config(config_file)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    setup_tracing(args.service)
    instrument_nameko()
    run([f"{args.service}.service"])


if __name__ == "__main__":
    main()
