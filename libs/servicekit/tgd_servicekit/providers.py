"""A nameko dependency provider every service uses alike: a value built once at start from
the service's configuration (a policy, a file of reference data). The clock is
:class:`tgd_servicekit.timers.Clock`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from nameko import config
from nameko.extensions import DependencyProvider


class FromConfig(DependencyProvider):
    """Injects the value ``build(config)`` made once in ``setup()`` (never at import), so a
    bad setting stops the service at start. A service declares it with its builder:
    ``policy = FromConfig(policy_from_config)`` (a subclass may name it instead:
    ``build = staticmethod(policy_from_config)``)."""

    build: ClassVar[Callable[[Any], Any]]

    def __init__(self, build: Callable[[Any], Any] | None = None) -> None:
        self.builder = build if build is not None else type(self).build

    def setup(self) -> None:
        self.value = self.builder(config)

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.value
