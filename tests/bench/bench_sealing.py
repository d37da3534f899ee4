"""What sealing costs per partner message: the platform seals a dispatch's dossier and
position for its addressee (PartnerKeys.seal), the consumer opens it (parse with its key).

Run: .venv/bin/python tests/bench/bench_sealing.py [COUNT]   (prints numbers, asserts nothing)
"""

import sys
import time
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tgd_contracts.alert import PartnerDispatch
from tgd_contracts.envelope import build_envelope
from tgd_contracts.examples import dossier as examples
from tgd_contracts.partner_keys import PartnerKeys
from tgd_partner_consumer.consumer import parse

UNIT = "police.03.csp-fictive"
NOW = datetime(2026, 6, 1, 22, 0, tzinfo=UTC).isoformat()
DOSSIER = examples.dossier("att-1", "dev-1", "tj-montlucon", insee_code="03185", basis="judicial_supervision")


def per_message(label: str, count: int, action) -> None:
    action()  # warm up
    start = time.perf_counter()
    for _ in range(count):
        action()
    elapsed = time.perf_counter() - start
    print(f"{label}: {count} messages, {elapsed / count * 1e6:.0f} µs each")


def main(count: int) -> None:
    data = PartnerDispatch.consume({
        "alert_id": "a-1", "dispatch_id": "d-1", "kind": "dispatch", "attempt": 1,
        "recipient": {"audience": "police", "territory": "03", "unit": "csp-fictive"},
        "outcome": "danger", "automatic": False, "raised_at": NOW, "device_id": "dev-1",
        "position": {"lat": 46.34, "lon": 2.60, "accuracy_m": 25.0, "fixed_at": NOW}, "dossier": DOSSIER,
    })  # fmt: skip
    envelope = build_envelope(source_service="alert", event_name="partner_dispatch", subject="a-1", data=data)
    key = X25519PrivateKey.generate()
    keys = PartnerKeys({UNIT: key.public_key()})
    routing_key = f"{UNIT}.dispatch"
    plain = envelope.model_dump_json().encode()
    sealed = keys.seal(envelope, routing_key).model_dump_json().encode()
    per_message("seal (platform, PartnerKeys.seal)", count, lambda: keys.seal(envelope, routing_key))
    per_message("parse, in clear (consumer, before)", count, lambda: parse(plain, routing_key))
    per_message("parse + open (consumer, with its key)", count, lambda: parse(sealed, routing_key, key))
    print(f"body: {len(plain)} bytes in clear, {len(sealed)} sealed")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
