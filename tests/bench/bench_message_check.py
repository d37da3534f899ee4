"""How fast the bus observer checks messages (check_message on a valid referral_received).

Run: .venv/bin/python tests/bench/bench_message_check.py [COUNT]   (prints numbers, asserts nothing)
"""

import json
import sys
import time
from datetime import UTC, datetime

from tgd_contracts.conformance import check_message
from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def main(count: int) -> None:
    data = ReferralReceived(
        referral_id="r1",
        jurisdiction="tj-paris",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.JUDGE,
        received_at=datetime.now(UTC),
    )
    envelope = build_envelope(
        source_service="referral", event_name="referral_received", subject="r1", data=data, traceparent=TRACE
    )
    body = json.dumps(envelope.model_dump(mode="json")).encode()
    headers = {
        "traceparent": TRACE,
        "cloudEvents:id": envelope.id,
        "cloudEvents:source": envelope.source,
        "cloudEvents:type": envelope.type,
    }
    check_message("referral.events", "referral_received", body, headers)  # warm the validator cache
    start = time.perf_counter()
    for _ in range(count):
        check_message("referral.events", "referral_received", body, headers)
    elapsed = time.perf_counter() - start
    print(
        f"check_message: {count} messages in {elapsed:.3f} s, "
        f"{count / elapsed:.0f} msg/s, {elapsed / count * 1e6:.0f} µs each"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
