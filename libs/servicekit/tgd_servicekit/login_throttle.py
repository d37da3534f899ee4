"""Login throttling of people's passwords, which (unlike partners' 256-bit secrets) can be
guessed: the gateway's password grant, per caller address, and the console's login form,
per browser address (the gateway sees only the console's address). Made so that it
cannot be turned into a lockout of the platform:

- a (login, address) pair is locked after ``per_pair`` failures: an attacker locks only
  himself out of that login; the operator at her own workstation keeps logging in;
- an address is locked after ``per_address`` failures, whatever the logins it tries
  (password spraying from one place);
- nothing locks a login for every address: a distributed guess of one login is slowed by
  the pair and address locks, never by locking the operator herself;
- a login that succeeded from an address is not subject to that address's lock (only to its
  pair's): behind a proxy that hides the callers' addresses (the gateway's
  ``forwarded_allow_ips``), a sprayer cannot lock out the people who work there;
- a success clears the pair's failures. Locks last ``lockout_s``.
In memory, per process (several replicas each count their own attempts)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MAX_KEYS = 100_000


class LoginThrottle:
    def __init__(self, per_pair: int, per_address: int, lockout_s: float, clock: Callable[[], float] = time.monotonic):
        self.per_pair = per_pair
        self.per_address = per_address
        self.lockout_s = lockout_s
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._known: dict[str, None] = {}  # (login, address) pairs that succeeded, oldest first
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.lockout_s]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def retry_after(self, login: str, address: str) -> float:
        """0 when a login attempt may proceed, else seconds until it may."""
        now = self.clock()
        with self._lock:
            waits = []
            checks = [(f"pair:{login}|{address}", self.per_pair)]
            if f"{login}|{address}" not in self._known:
                checks.append((f"addr:{address}", self.per_address))
            for key, limit in checks:
                recent = self._recent(key, now)
                if len(recent) >= limit:
                    waits.append(recent[-limit] + self.lockout_s - now)
            return max(waits, default=0.0)

    def failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) > MAX_KEYS:  # bounded memory under a spray from many addresses
                for key in list(self._failures):
                    self._recent(key, now)
            for key in (f"pair:{login}|{address}", f"addr:{address}"):
                self._failures[key] = [*self._recent(key, now), now]

    def succeeded(self, login: str, address: str) -> None:
        with self._lock:
            self._failures.pop(f"pair:{login}|{address}", None)
            self._known.pop(f"{login}|{address}", None)
            self._known[f"{login}|{address}"] = None
            while len(self._known) > MAX_KEYS:
                del self._known[next(iter(self._known))]
