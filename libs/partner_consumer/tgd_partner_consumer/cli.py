"""``tgd-partner-consumer``: run the reference consumer for one partner.

    tgd-partner-consumer --amqp-url amqp://partner-police-03-csp-montlucon:…@broker:5672/tgd \\
        --audience police --territory 03 --unit csp-montlucon --output dispatches.jsonl

The user, password and virtual host are those ``tgd broker provision-partner`` printed.

``--handler package.module:factory`` plugs your own handler (a callable taking a
:class:`~tgd_partner_consumer.Received`; the factory is called with no argument).

Retention: the ``--output`` file is purged at start, every ``--purge-every`` seconds
(positions 72 h after their alert, dossiers of ended measures), and when an end of
measure arrives; ``tgd-partner-consumer purge FILE`` purges a file once and exits (for a
cron job while the consumer is stopped). A handler of your own with a ``purge()`` method
is called the same way.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tgd_contracts.alert import Recipient
from tgd_partner_consumer import keys
from tgd_partner_consumer.consumer import NotProvisioned, PartnerConsumer, Received
from tgd_partner_consumer.handlers import JsonLinesHandler
from tgd_partner_consumer.replies import DEFAULT_ACKNOWLEDGED_BY
from tgd_partner_consumer.retention import Purged
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
    p.add_argument(
        "--private-key",
        type=Path,
        default=os.environ.get("TGD_PARTNER_PRIVATE_KEY_FILE") or None,
        help="your private key (keygen): opens the dossier and position sealed for you",
    )
    p.add_argument(
        "--purge-every", type=float, default=3600.0, help="seconds between retention purges (0: only at start)"
    )
    return p


def purge_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tgd-partner-consumer purge", description="Apply the retention rules once.")
    p.add_argument("file", type=Path, help="the JSON-lines file written by --output")
    p.add_argument("--now", type=datetime.fromisoformat, help="the instant to purge at (ISO 8601; default: now)")
    return p


def purge_main(argv: list[str]) -> Purged:
    args = purge_parser().parse_args(argv)
    if not args.file.exists():
        raise SystemExit(f"no such file: {args.file}")
    handler = JsonLinesHandler(args.file)
    try:
        purged = handler.purge(args.now)
    finally:
        handler.close()
    print(f"purged: {purged.positions} position(s), {purged.dossiers} dossier(s)")  # counts only, never content
    return purged


def periodic_purge(handler: object, every_s: float) -> threading.Event:
    """Call ``handler.purge()`` once now (before consuming), then every ``every_s`` seconds
    in a daemon thread until the returned event is set. A failed pass is logged (its
    kind only) and retried at the next."""
    stop = threading.Event()
    purge = getattr(handler, "purge", None)
    if purge is None:
        return stop
    log = logging.getLogger("tgd_partner_consumer")

    def once() -> None:
        try:
            purged = purge()
            if purged:
                log.info("retention: purged %d position(s), %d dossier(s)", purged.positions, purged.dossiers)
        except Exception as exc:  # the consumer goes on; the next pass retries
            log.error("retention purge failed: %s", type(exc).__name__)

    def loop() -> None:
        while not stop.wait(every_s):
            once()

    once()
    if every_s > 0:
        threading.Thread(target=loop, name="tgd-retention", daemon=True).start()
    return stop


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["purge"]:
        purge_main(argv[1:])
        return
    if argv[:1] == ["keygen"]:
        keygen = argparse.ArgumentParser(prog="tgd-partner-consumer keygen", description=keys.__doc__.split("\n\n")[0])
        keygen.add_argument("file", type=Path, help="where to write the private key (must not exist)")
        public = keys.generate(keygen.parse_args(argv[1:]).file)
        print(f"public key (give it to the platform: provision-partner --public-key): {public}")
        return
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    recipient = Recipient(audience=args.audience, territory=args.territory, unit=args.unit)
    setup_tracing(f"tgd-partner-{args.audience}-{args.territory}-{args.unit}")
    handler = load_handler(args.handler, args.output)
    private_key = keys.load(args.private_key) if args.private_key else None
    if private_key is not None:
        logging.getLogger("tgd_partner_consumer").info("opening sealed messages with %s", keys.describe(private_key))
    stop_purging = periodic_purge(handler, args.purge_every)
    consumer = PartnerConsumer(
        args.amqp_url,
        recipient,
        handler,
        acknowledge=not args.no_acknowledge,
        acknowledged_by=args.acknowledged_by,
        private_key=private_key,
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
        stop_purging.set()
        shutdown_tracing()  # flush spans first: closing may fail when interrupted
        try:
            consumer.close()
        except Exception:  # noqa: S110  (exiting anyway)
            pass


def _exit(*_: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
