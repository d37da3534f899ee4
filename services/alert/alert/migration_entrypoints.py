"""The alert service's maintenance of its stored records, mixed into
:class:`alert.service.AlertService`: the layout migration (:mod:`alert.migration`) and
the key rotation that ``tgd keys rotate`` asks of every service."""

from __future__ import annotations

from typing import Any

from alert import migration
from alert.exceptions import AlertNotFound, InvalidRequest
from alert.models import DeviceDocument
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import short_id
from tgd_servicekit.rotation import reseal_documents


class RecordEntrypoints:
    @rpc(expected_exceptions=(InvalidRequest, AlertNotFound))
    def migrate_records(self, batch: int = 200, after: str | None = None) -> dict[str, Any]:
        """Convert records of the earlier layout (and reseal old keys), one batch in id
        order after ``after`` (``tgd alert migrate-records`` calls it until none is left)."""
        if not isinstance(batch, int) or isinstance(batch, bool) or not 1 <= batch <= 1000:
            raise InvalidRequest("batch is 1 to 1000.")
        start = None if after is None else short_id(after, InvalidRequest)
        return migration.migrate(batch, start).to_wire()

    @rpc
    def rotate_field_keys(self) -> dict[str, int]:
        """``tgd keys rotate``: every sealed value under the active key."""
        run = migration.migrate_all()
        return {"AlertDocument": run.converted + run.resealed, "DeviceDocument": reseal_documents(DeviceDocument)}
