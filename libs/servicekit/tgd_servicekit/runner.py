"""``tgd-service NAME``: run one service (``NAME.service``) with its packaged
``config.yaml`` (``${VAR:default}`` substitution), logging and tracing set up,
health endpoints for probes when ``TGD_HEALTH_PORT`` is set (see :mod:`health`) and
Prometheus metrics when ``TGD_METRICS_PORT`` is set (see :mod:`metrics`)."""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message=".*Eventlet is deprecated.*")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import errno  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
from importlib.resources import files  # noqa: E402

from nameko import config  # noqa: E402
from nameko.cli.utils import import_services  # noqa: E402
from nameko.cli.utils.config import setup_config  # noqa: E402
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402

from tgd_servicekit.expected_errors import log_expected_errors_as_one_line  # noqa: E402
from tgd_servicekit.health import BrokerCheck, HealthState, health_port_from_env, serve_health  # noqa: E402
from tgd_servicekit.metrics import metrics_port_from_env, serve_metrics  # noqa: E402
from tgd_servicekit.mongo import DatabaseNotConfigured, require_database  # noqa: E402
from tgd_servicekit.production import ProductionConfigError, check_production  # noqa: E402
from tgd_servicekit.tracing import instrument_nameko, setup_tracing  # noqa: E402

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def config_path(service: str, explicit: str | None) -> str:
    return explicit or str(files(service) / "config.yaml")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tgd-service", description=__doc__)
    parser.add_argument(
        "service",
        nargs="?",
        default=os.environ.get("TGD_SERVICE"),
        help="service package name, e.g. referral (default: $TGD_SERVICE, as the images set it)",
    )
    parser.add_argument("--config", help="config file (default: the service's packaged config.yaml)")
    args = parser.parse_args(argv)
    if not args.service:
        parser.error("name the service (or set TGD_SERVICE)")
    try:
        check_production()  # before anything connects: development secrets never reach production
    except ProductionConfigError as exc:
        raise SystemExit(f"tgd-service {args.service}: {exc}") from None

    with open(config_path(args.service, args.config)) as config_file:
        setup_config(config_file)
    try:
        require_database(config.get("MONGODB_URI") or None, os.environ)
    except DatabaseNotConfigured as exc:
        raise SystemExit(f"tgd-service {args.service}: {exc}") from None
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    log_expected_errors_as_one_line()
    setup_tracing(args.service)
    instrument_nameko()
    run(f"{args.service}.service")


def services_defined_in(module: str) -> list[type]:
    """The service classes defined in ``module`` itself: a mixin with entrypoints or a
    class imported there is not a service of its own."""
    found = [cls for cls in import_services(module) if cls.__module__ == module and getattr(cls, "name", None)]
    if not found:
        raise SystemExit(f"no nameko service class defined in {module}")
    return found


def run(module: str) -> None:
    """nameko's ``run`` (start, SIGTERM stops gracefully, Ctrl-C twice kills), plus the
    health endpoints, which need to see the runner's containers."""
    runner = ServiceRunner()
    for service_cls in services_defined_in(module):
        runner.add_service(service_cls)
    started = eventlet.event.Event()
    port = health_port_from_env()
    if port is not None:
        state = HealthState(
            started=started.ready,
            # nameko exposes no public "has died" flag; its containers' _died event is it
            alive=lambda: not any(c._died.ready() for c in runner.containers),
            broker=BrokerCheck(config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI)),
        )
        serve_health(state, os.environ.get("TGD_HEALTH_HOST", "127.0.0.1"), port)
    metrics_port = metrics_port_from_env()
    if metrics_port is not None:
        serve_metrics(metrics_port, amqp_uri=config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI))
    signal.signal(signal.SIGTERM, lambda signum, frame: eventlet.spawn_n(runner.stop))
    runner.start()  # returns once every extension (and so every consumer) has started
    started.send(True)
    runnlet = eventlet.spawn(runner.wait)
    while True:
        try:
            runnlet.wait()
            return
        except OSError as exc:
            if exc.errno != errno.EINTR:
                raise
        except KeyboardInterrupt:
            try:
                runner.stop()
            except KeyboardInterrupt:
                runner.kill()


if __name__ == "__main__":
    main()
