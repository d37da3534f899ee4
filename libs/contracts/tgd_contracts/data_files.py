"""Reading the reference data files (courts, associations, force directory, operations
centres, assessment instruments): a configured path or the file packaged with the code,
``;``-separated CSV rows numbered as in the file once the header is checked, and keys that
a file may list only once. A problem names a line or a column, never a value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def read_data_file(path: str | None, package: str, packaged: str) -> str:
    """The file at ``path`` when one is configured, else ``packaged`` inside ``package``."""
    if path:
        return Path(path).read_text(encoding="utf-8")
    return (files(package) / packaged).read_text(encoding="utf-8")


def csv_rows(
    text: str, columns: Iterable[str], error: Callable[[str], Exception], prefix: str = ""
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a ``;``-separated text with their line numbers (the header is line 1);
    a column missing from the header raises ``error(prefix + "missing columns: ...")``."""
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise error(f"{prefix}missing columns: {', '.join(missing)}")
    return enumerate(reader, start=2)


def add_once(found: dict[K, V], key: K, value: V, error: Callable[[str], Exception], listed_twice: str) -> None:
    """Add ``value`` under ``key``; a key already there raises ``error(listed_twice)``."""
    if key in found:
        raise error(listed_twice)
    found[key] = value
