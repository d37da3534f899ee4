"""The load of the fault suite: the device platform pressing (and retrying until the
platform accepts, with the same ``press_id``, as a real device platform must) and the
operator taking the decision to dispatch (retrying through outages too)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable

import httpx

from tgd_dev.bench_load import trigger_body
from tgd_dev.faults.report import Press

OPERATOR = {"operator": "faults-operator"}


async def press_and_dispatch(client: httpx.AsyncClient, press: Press, deadline: float, copies: int = 1) -> None:
    body = trigger_body(press.device_id, press.press_id)
    results = await asyncio.gather(*[_press(client, press, body, deadline) for _ in range(copies)])
    alert_id = next((a for a in results if a), None)
    if alert_id is not None:
        await _dispatch(client, press, alert_id, deadline)


async def _press(client: httpx.AsyncClient, press: Press, body: dict, deadline: float) -> str | None:
    def note(outcome: str) -> None:
        press.attempts += 1
        press.last_status = outcome

    # a refusal (4xx but 429) is final: retrying the same body cannot help
    final = lambda status: status < 500 and status != 429  # noqa: E731
    response = await _post_until(client, "/v1/device-alerts", body, deadline, final, note)
    if response is None or response.status_code != 202:
        return None
    alert_id = str(response.json()["alert_id"])
    press.alert_ids.add(alert_id)
    press.accepted_at = press.accepted_at or time.time()
    return alert_id


async def _dispatch(client: httpx.AsyncClient, press: Press, alert_id: str, deadline: float) -> None:
    # 409: already decided; 404: the alert service does not know it (final: counted as lost)
    final = lambda status: status in (200, 404, 409)  # noqa: E731
    response = await _post_until(client, f"/v1/alerts/{alert_id}/dispatch", OPERATOR, deadline, final)
    if response is not None and response.status_code in (200, 409):
        press.dispatched = True


async def _post_until(
    client: httpx.AsyncClient,
    url: str,
    body: dict,
    deadline: float,
    final: Callable[[int], bool],
    note: Callable[[str], None] = lambda outcome: None,
) -> httpx.Response | None:
    """POST through outages (jittered exponential backoff) until an answer ``final``
    accepts or the deadline; None when the deadline came first."""
    backoff = 0.2
    while time.time() < deadline:
        try:
            response = await client.post(url, json=body)
        except httpx.HTTPError as exc:
            note(type(exc).__name__)
        else:
            note(str(response.status_code))
            if final(response.status_code):
                return response
        await asyncio.sleep(backoff * (0.5 + random.random()))  # noqa: S311 (jitter, not a secret)
        backoff = min(backoff * 2, 4.0)
    return None


async def burst(base: str, headers: dict, presses: list[Press], rate: float, deadline: float, copies: int = 1) -> None:
    """Open loop: press i starts at i / rate seconds, whatever the previous ones do."""
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    # waiting for one of the 16 connections is not a failure (pool=None): a retry storm of
    # hundreds of presses timing out in the pool would starve the very requests that succeed
    timeout = httpx.Timeout(10.0, pool=None)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits, headers=headers) as client:
        start = time.monotonic()
        tasks = []
        for index, press in enumerate(presses):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            press.first_attempt_at = time.time()
            tasks.append(asyncio.create_task(press_and_dispatch(client, press, deadline, copies)))
        await asyncio.gather(*tasks)
