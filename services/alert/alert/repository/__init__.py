"""The alert service's storage: :mod:`.store` (what the workers may do with the
database), :mod:`.records` and :mod:`.record_layout` (an alert record in its document),
:mod:`.outbox_relay` (what a failed publication left) and :mod:`.migration` (records of
the earlier layout, key rotation)."""

from alert.repository.records import Outbox, outbox_entry, raised_by
from alert.repository.store import AlertRepository, AlertStore

__all__ = ["AlertRepository", "AlertStore", "Outbox", "outbox_entry", "raised_by"]
