"""Fuzz the whole OpenAPI spec in-process (schemathesis + hypothesis) against the app
with fake services and authenticated callers of every role; count server errors and
responses that break the spec (undocumented status, wrong content type, body not
matching the schema). Used by the test suite and by ``tgd-dev fuzz``."""

from __future__ import annotations

import itertools
import logging
import tempfile
import warnings
from collections import Counter
from typing import Any

from gateway.auth.access import ACCESS
from gateway.auth.clients import NATIONAL_ROLES
from gateway.auth.roles import FORCES, Role
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_lifecycle import unit_of
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import token_for

JURISDICTIONS = ("tj-paris", "tj-moulins")


def auth_for(role: Role) -> dict[str, str]:
    unit = unit_of("tj-paris") if role in FORCES else None  # forces act as a unit (notices are per unit)
    return {"Authorization": f"Bearer {token_for(role, '*' if role in NATIONAL_ROLES else 'tj-paris', unit=unit)}"}


def callers() -> list[tuple[Role, dict[str, str]]]:
    """Bearer headers for every role, over one jurisdiction and (where it exists) nationally."""
    out = []
    for role in Role:
        out.append((role, {"Authorization": f"Bearer {token_for(role, 'tj-paris')}"}))
        if role in (Role.ADMIN, Role.OBSERVATORY, Role.TELEASSISTANCE):
            out.append((role, {"Authorization": f"Bearer {token_for(role, '*')}"}))
    return out


def run_fuzz(cases: int = 1000, seed: int = 0, services: FakeServices | None = None) -> dict[str, Any]:
    import hypothesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )
    from schemathesis.openapi import from_asgi

    logging.getLogger("gateway").setLevel(logging.CRITICAL)  # expected refusals and fake failures are noisy
    warnings.filterwarnings("ignore")
    rotation = itertools.cycle(JURISDICTIONS)
    services = services or FakeServices(lambda object_id: next(rotation))
    settings = Settings(data_dir=tempfile.mkdtemp(prefix="tgd-fuzz-"), rate_per_s=1e9, rate_burst=10**9)
    app = create_app(settings, rpc=services)

    async def served(scope: Any, receive: Any, send: Any) -> None:
        """As uvicorn serves it: an exception escaping the app has already been answered with a 500."""
        try:
            await app(scope, receive, send)
        except Exception:  # noqa: S110
            pass

    schema = from_asgi("/openapi.json", served)
    operations = [result.ok() for result in schema.get_all_operations()]
    who = itertools.cycle(callers())
    counts: Counter[str] = Counter()
    failures: list[str] = []
    conformance = [status_code_conformance, content_type_conformance, response_headers_conformance]
    conformance.append(response_schema_conformance)

    def run_one(case: Any) -> None:
        counts["generated"] += 1
        n = counts["generated"]
        if n % 10:  # keep one generated (mostly invalid) Authorization header in ten
            rule = ACCESS.get(f"{case.method.upper()} {case.operation.path}")
            allowed = sorted(rule.roles) if rule is not None and rule.roles and n % 4 else []
            # three times in four a role the route allows (to reach the service), else any role
            role, caller = (allowed[n % len(allowed)], None) if allowed else next(who)
            caller = caller or auth_for(role)
            counts[f"role_{role.value}"] += 1
            case.headers = {**(case.headers or {}), **caller}
        if n % 3 and isinstance(case.headers, dict) and "X-Access-Reason" not in case.headers:
            case.headers["X-Access-Reason"] = "controle:fuzz"  # reach past the reason check too
        if counts["generated"] % 2:  # reach past the access guard: a jurisdiction that exists
            if isinstance(case.query, dict) and "jurisdiction" in case.query:
                case.query["jurisdiction"] = "tj-paris"
            if isinstance(case.body, dict) and "jurisdiction" in case.body:
                case.body["jurisdiction"] = "tj-paris"
            if isinstance(case.body, dict) and "unit_code" in case.body:
                case.body["unit_code"] = unit_of("tj-paris")
        if case.operation.path == "/v1/alerts/stream":  # an endless stream: fuzz a bounded one
            case.query = {**(case.query if isinstance(case.query, dict) else {}), "max_events": 1, "interval": 0.2}
        response = case.call()
        counts["cases"] += 1
        counts[f"status_{response.status_code}"] += 1
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except (Exception, BaseExceptionGroup) as exc:
            counts["server_errors"] += 1
            failures.append(f"{case.method} {case.path} -> {response.status_code}: {str(exc)[:300]}")
        try:
            case.validate_response(response, checks=conformance)
        except (Exception, BaseExceptionGroup) as exc:
            counts["schema_violations"] += 1
            failures.append(f"{case.method} {case.path} -> {response.status_code}: {str(exc)[:300]}")

    per_batch = max(10, cases // (2 * len(operations)))
    for round_ in itertools.count():
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                if counts["cases"] >= cases:
                    break
                settings_ = hypothesis.settings(
                    max_examples=min(per_batch, cases - counts["cases"]),
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                    phases=[Phase.explicit, Phase.generate],
                    derandomize=False,
                )
                test = settings_(given(case=operation.as_strategy(generation_mode=mode))(run_one))
                try:
                    hypothesis.seed(seed + round_)(test)()
                except Unsatisfiable:  # e.g. no invalid input exists for a route without parameters
                    pass
        if counts["cases"] >= cases or round_ > 100:
            break
    return {
        "cases": counts["cases"],
        "server_errors": counts["server_errors"],
        "schema_violations": counts["schema_violations"],
        "operations": len(operations),
        "statuses": {k.removeprefix("status_"): v for k, v in sorted(counts.items()) if k.startswith("status_")},
        "roles": {k.removeprefix("role_"): v for k, v in sorted(counts.items()) if k.startswith("role_")},
        "failures": failures[:20],
    }
