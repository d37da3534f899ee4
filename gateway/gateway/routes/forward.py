"""Routes that hand a request to one service method, as most of the API does.

A forwarding route is declared by the signature of the method it calls::

    @device.post("/v1/devices/{device_id}/test-calls", AssignmentView, E.DEVICE_NOT_FOUND)
    def record_test_call(device_id: DeviceId, call: TestCallBody):
        \"\"\"Record a test call (appel test)

        What the route does, for the partners' documentation.\"\"\"

The function is never run: its name is the service's method; its parameters (path ids,
query filters, the body) are what FastAPI reads from the request and what is passed to
the method under the same names (a body as its wire form); the method's answer is the
route's, or what ``answer`` makes of it, checked against the access rule's answer side
(:mod:`gateway.auth.answer_guard`: a no-op when the rule reads nothing of it). The
docstring's first paragraph is the summary, the rest the description, each as one line.
The errors documented are the route's own codes with those every such route may answer:
an invalid request, a body that is not JSON, too large or of another type (when it takes
one), the service unreachable or late.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, get_args, get_origin

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel

from gateway.auth.answer_guard import Answer, AnswerCheck
from gateway.deps import Rpc, ServiceCaller
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.examples.catalogue import openapi_examples

HEX_ID = r"^[0-9a-f]{32}$"
UNAVAILABLE = (ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT)
BODY_ERRORS = (ErrorCode.MALFORMED_JSON, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE)
Declaration = Callable[..., Any]


def hex_id(description: str) -> Any:
    """A path id: 32 lowercase hexadecimal characters."""
    return Annotated[str, Path(pattern=HEX_ID, description=description)]


def jurisdiction_query(description: str | None = None) -> Any:
    """The ``jurisdiction`` filter: a court's code (tj-moulins)."""
    return Annotated[str, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$", description=description)]


def with_examples(model: type) -> Any:
    """A body documented with the fictional examples of the contracts' catalogue."""
    return Annotated[model, Body(openapi_examples=openapi_examples(model))]


def forward_errors(own: tuple[ErrorCode, ...], with_body: bool) -> dict[int | str, dict[str, Any]]:
    """The documented errors of a forwarding route (within one status, in this order)."""
    return error_responses(ErrorCode.INVALID_REQUEST, *(BODY_ERRORS if with_body else ()), *own, *UNAVAILABLE)


def summary_and_description(doc: str | None) -> tuple[str, str | None]:
    """The docstring's first paragraph and the rest, each folded to one line."""
    summary, _, rest = inspect.cleandoc(doc or "").partition("\n\n")
    return " ".join(summary.split()), " ".join(rest.split()) or None


def is_body(annotation: Any) -> bool:
    model = get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
    return isinstance(model, type) and issubclass(model, BaseModel)


def wire(value: Any) -> Any:
    """A value as the services take it: a body as its wire form, a choice as its value."""
    if isinstance(value, BaseModel):
        return value.to_wire()
    return value.value if isinstance(value, Enum) else value


def unchanged(answer: Any) -> Any:
    return answer


def forwarding_endpoint(
    service: str, declaration: Declaration, answer: Callable[[Any], Any]
) -> tuple[Callable[..., Any], bool]:
    """The endpoint FastAPI runs (the declaration's parameters and ``rpc``), and whether it takes a body."""
    method = declaration.__name__
    declared = inspect.signature(declaration, eval_str=True).parameters.values()

    async def endpoint(rpc: ServiceCaller, answer_guard: AnswerCheck, **values: Any) -> Any:
        answered = answer(await rpc.call(service, method, **{name: wire(value) for name, value in values.items()}))
        return answer_guard.checked(answered)  # the access rule's answer side (gateway/auth/answer_guard.py)

    rpc = inspect.Parameter("rpc", inspect.Parameter.KEYWORD_ONLY, annotation=Rpc)
    guard = inspect.Parameter("answer_guard", inspect.Parameter.KEYWORD_ONLY, annotation=Answer)
    endpoint.__signature__ = inspect.Signature([*declared, rpc, guard])  # type: ignore[attr-defined]
    endpoint.__name__ = endpoint.__qualname__ = method
    return endpoint, any(is_body(p.annotation) for p in declared)


@dataclass(frozen=True)
class Forward:
    """Declares the routes of ``router`` that forward to ``service``."""

    router: APIRouter
    service: str

    def route(
        self,
        verb: str,
        path: str,
        answer_model: Any,
        *errors: ErrorCode,
        answer: Callable[[Any], Any] = unchanged,
        **fastapi_options: Any,
    ) -> Callable[[Declaration], Declaration]:
        """``fastapi_options``: what else ``add_api_route`` takes (``status_code``...)."""

        def declare(declaration: Declaration) -> Declaration:
            endpoint, with_body = forwarding_endpoint(self.service, declaration, answer)
            summary, description = summary_and_description(declaration.__doc__)
            self.router.add_api_route(
                path,
                endpoint,
                methods=[verb],
                name=declaration.__name__,
                response_model=answer_model,
                summary=summary,
                description=description,
                responses=forward_errors(errors, with_body),
                **fastapi_options,
            )
            return declaration

        return declare

    def get(
        self, path: str, answer_model: Any, *errors: ErrorCode, **more: Any
    ) -> Callable[[Declaration], Declaration]:
        return self.route("GET", path, answer_model, *errors, **more)

    def post(
        self, path: str, answer_model: Any, *errors: ErrorCode, **more: Any
    ) -> Callable[[Declaration], Declaration]:
        return self.route("POST", path, answer_model, *errors, **more)
