"""The mongoengine dependency provider: each service's own database.

A running service uses the server of ``MONGODB_URI``: a MongoDB replica set in
production, the durable local store (:mod:`tgd_servicekit.local_store`) that ``tgd up``
starts on one machine. With no URI the database is mongomock, held in the memory of the
process and lost when it stops: the unit and service tests' database, which
``tgd-service`` refuses unless asked explicitly (:func:`require_database`). The code
path is mongoengine in every case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import mongoengine
from nameko import config
from nameko.extensions import DependencyProvider

from tgd_servicekit import crypto
from tgd_servicekit.outbox_marks import MarkFlusher

log = logging.getLogger(__name__)

IN_MEMORY_FLAG = "TGD_IN_MEMORY_DB"


class DatabaseNotConfigured(RuntimeError):
    pass


def require_database(uri: str | None, environ: Mapping[str, str]) -> None:
    """A service process must not keep what it accepts in its own memory by accident:
    with no ``MONGODB_URI`` it refuses to start, unless ``TGD_IN_MEMORY_DB=1`` asks for
    mongomock knowingly (a quick trial; everything is lost when the process stops)."""
    if uri:
        return
    if environ.get(IN_MEMORY_FLAG) == "1":
        log.warning("IN-MEMORY DATABASE (%s=1): everything this service stores is lost when it stops", IN_MEMORY_FLAG)
        return
    raise DatabaseNotConfigured(
        "MONGODB_URI is not set. Run the whole system with `tgd up` (it starts the durable local store), "
        "or set MONGODB_URI to a MongoDB (e.g. mongodb://127.0.0.1:27117/?directConnection=true for the "
        f"local store). {IN_MEMORY_FLAG}=1 runs on a throwaway in-memory database instead (lost on exit)."
    )


def speed_up_mongomock_id_lookups() -> None:
    """mongomock scans every document even to find one ``_id``; find it directly instead
    (the same result, in O(1)). Only the in-memory default is concerned."""
    from mongomock.collection import Collection
    from mongomock.filtering import filter_applies

    if getattr(Collection, "_tgd_id_lookup", False):
        return
    scan = Collection._iter_documents

    def iter_documents(self: Any, filter: Any) -> Any:
        key = filter.get("_id") if isinstance(filter, dict) else None
        if key is None or isinstance(key, dict):
            return scan(self, filter)
        try:
            document = self._store[key] if key in self._store else None
        except TypeError:  # unhashable: let mongomock decide
            return scan(self, filter)
        return iter([document] if document is not None and filter_applies(filter, document) else [])

    Collection._iter_documents = iter_documents
    Collection._tgd_id_lookup = True


def connect_database(alias: str, uri: str | None, db_name: str) -> None:
    """Register the mongoengine connection ``alias`` (idempotent)."""
    mongoengine.disconnect(alias)
    if uri:
        mongoengine.connect(db=db_name, host=uri, alias=alias, tz_aware=True, uuidRepresentation="standard")
        log.info("database %s: MongoDB (configured URI)", alias)
    else:
        import mongomock

        speed_up_mongomock_id_lookups()
        mongoengine.connect(
            db=db_name,
            host="mongodb://localhost",
            alias=alias,
            mongo_client_class=mongomock.MongoClient,
            tz_aware=True,
            uuidRepresentation="standard",
        )
        log.info("database %s: in-memory (mongomock, no MONGODB_URI configured)", alias)


def disconnect_database(alias: str) -> None:
    """Disconnect ``alias`` and forget every document class's cached collection on it.

    ``mongoengine.disconnect`` resets only the classes of its registry, which is keyed by
    class name: of two services' ``DeviceDocument`` one would keep a collection of the
    old connection (in tests, a previous test's in-memory database)."""
    mongoengine.disconnect(alias)
    pending = list(mongoengine.Document.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls._meta.get("db_alias") == alias:
            cls._collection = None


class MongoRepository(DependencyProvider):
    """Connects in ``setup``, disconnects in ``stop``/``kill``, hands each worker a
    narrow repository object built by ``repository_factory``.

    ``batch_marks``: the repository's outbox marks (``mark_published_many`` of a
    :class:`tgd_servicekit.outbox.DocumentOutboxStore`) are queued to one flusher per
    process and written together every ``OUTBOX_MARK_INTERVAL_MS`` (200) or ``OUTBOX_MARK_BATCH``
    (200) marks (:mod:`tgd_servicekit.outbox_marks`); ``stop`` writes what is queued before
    disconnecting."""

    def __init__(self, alias: str, repository_factory: Callable[[], Any], batch_marks: bool = False):
        self.alias = alias
        self.repository_factory = repository_factory
        self.batch_marks = batch_marks
        self.marks: MarkFlusher | None = None

    def setup(self) -> None:
        crypto.configure()  # refuses development keys outside development
        uri = config.get("MONGODB_URI") or None
        db_name = config.get("MONGODB_DB_PREFIX", "tgd") + "_" + self.alias
        connect_database(self.alias, uri, db_name)
        if self.batch_marks:
            interval_s = float(config.get("OUTBOX_MARK_INTERVAL_MS", 200)) / 1000
            batch = int(config.get("OUTBOX_MARK_BATCH", 200))
            self.marks = MarkFlusher(self._write_marks, interval_s, batch)

    def _write_marks(self, marks: Any) -> None:
        self.repository_factory().mark_published_batch(marks)

    def start(self) -> None:
        if self.marks is not None:
            self.marks.start()

    def stop(self) -> None:
        if self.marks is not None:
            self.marks.stop()  # what is queued is written before the connection goes
        disconnect_database(self.alias)

    def kill(self) -> None:
        if self.marks is not None:
            self.marks.kill()
        disconnect_database(self.alias)

    def get_dependency(self, worker_ctx: Any) -> Any:
        repository = self.repository_factory()
        if self.marks is not None:
            repository.published_marks = self.marks
        return repository
