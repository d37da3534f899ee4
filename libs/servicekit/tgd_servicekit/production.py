"""What a service process checks before it starts, in production (``TGD_ENV`` other than
``development``, which every image and deployment sets): real field-encryption keys (not
the development ring, not missing) and a real database (an empty ``MONGODB_URI`` would keep
dossiers in the process's memory). (RabbitMQ itself refuses its ``guest`` user from
anywhere but loopback.)
A failure stops the process with the reason; development is unchanged."""

from __future__ import annotations

import os
from collections.abc import Mapping

from tgd_servicekit.crypto import CryptoConfigError, keyring_from_env

STAGES = ("development", "production")


class ProductionConfigError(RuntimeError):
    """The process is configured for production with development or missing secrets."""


def production_problems(env: Mapping[str, str]) -> list[str]:
    """Why this environment must not run (empty: it may)."""
    stage = env.get("TGD_ENV", "development")
    if stage not in STAGES:
        return [f"TGD_ENV={stage!r} is neither development nor production"]
    if stage == "development":
        return []
    problems = []
    if not env.get("TGD_FIELD_KEYS", "").strip():
        problems.append("TGD_FIELD_KEYS is not set (the field-encryption keys)")
    else:
        try:
            keyring_from_env(dict(env))
        except CryptoConfigError as exc:
            problems.append(str(exc))
    if not env.get("MONGODB_URI", "").strip():
        problems.append("MONGODB_URI is not set: production keeps no dossier in a process's memory")
    return problems


def check_production(env: Mapping[str, str] | None = None) -> None:
    problems = production_problems(os.environ if env is None else env)
    if problems:
        raise ProductionConfigError("refusing to start: " + "; ".join(problems))
