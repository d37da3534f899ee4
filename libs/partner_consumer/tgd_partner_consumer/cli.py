"""``tgd-partner-consumer``: run the reference consumer for one partner.

    tgd-partner-consumer --amqp-url amqp://partner-police-03-csp-montlucon:…@broker:5672/tgd \\
        --audience police --territory 03 --unit csp-montlucon --output dispatches.jsonl

The user, password and virtual host are those ``tgd broker provision-partner`` printed.

``--handler package.module:factory`` plugs your own handler (a callable taking a
:class:`~tgd_partner_consumer.Received`; the factory is called with no argument).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
from collections.abc import Callable
from typing import Any

from tgd_contracts.alert import Recipient
from tgd_partner_consumer.consumer import NotProvisioned, PartnerConsumer, Received
from tgd_partner_consumer.handlers import JsonLinesHandler
from tgd_partner_consumer.replies import DEFAULT_ACKNOWLEDGED_BY
from tgd_partner_consumer.tracing import setup_tracing, shutdown_tracing


def load_handler(spec: str | None, output: str | None) -> Callable[[Received], None]:
    if not spec:
        return JsonLinesHandler(output)
    module_name, _, attr = spec.partition(":")
    factory: Any = getattr(importlib.import_module(module_name), attr)
    return factory()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tgd-partner-consumer", description=__doc__.split("\n\n")[0])
    p.add_argument("--amqp-url", default=os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"))
    p.add_argument(
        "--audience",
        required=True,
        choices=["police", "gendarmerie", "association", "command", "parquet", "teleassistance"],
    )
    p.add_argument("--territory", required=True, help="department (forces, command) or jurisdiction (association)")
    p.add_argument("--unit", default="any", help="unit code (commissariat, brigade), or 'any'")
    p.add_argument("--handler", help="module:factory of your handler (default: JSON lines)")
    p.add_argument("--output", help="JSON-lines file of the default handler (default: stdout)")
    p.add_argument(
        "--no-acknowledge", action="store_true", help="do not acknowledge dispatches and notices (you will, later)"
    )
    p.add_argument("--acknowledged-by", default=DEFAULT_ACKNOWLEDGED_BY, help="who acknowledges notices (a role)")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    recipient = Recipient(audience=args.audience, territory=args.territory, unit=args.unit)
    setup_tracing(f"tgd-partner-{args.audience}-{args.territory}-{args.unit}")
    consumer = PartnerConsumer(
        args.amqp_url,
        recipient,
        load_handler(args.handler, args.output),
        acknowledge=not args.no_acknowledge,
        acknowledged_by=args.acknowledged_by,
    )
    signal.signal(signal.SIGTERM, _exit)
    try:
        consumer.run_forever()
    except KeyboardInterrupt:
        pass
    except NotProvisioned as exc:
        logging.getLogger("tgd_partner_consumer").error("cannot consume: %s", exc)
        raise SystemExit(2) from None
    finally:
        shutdown_tracing()  # flush spans first: closing may fail when interrupted
        try:
            consumer.close()
        except Exception:  # noqa: S110  (exiting anyway)
            pass


def _exit(*_: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
