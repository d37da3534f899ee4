"""The directory of force units: shared with the alert service, so it lives in
:mod:`tgd_contracts.directory` (re-exported here for the notify service's modules)."""

from tgd_contracts.directory import (
    COLUMNS,
    Commune,
    Directory,
    DirectoryError,
    ForceUnit,
    load_csv,
    other_force,
    read_directory,
)

__all__ = [
    "COLUMNS",
    "Commune",
    "Directory",
    "DirectoryError",
    "ForceUnit",
    "load_csv",
    "other_force",
    "read_directory",
]
