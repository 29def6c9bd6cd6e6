"""Slowing down password guessing: a few failed logins per username and per address."""

import threading
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    """Failures per key in a sliding window. In memory: one web process holds the count
    (a restart forgets it; several processes would each keep their own)."""

    def __init__(self, limit: int, window_seconds: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            return any(len(self._recent(key)) >= self.limit for key in keys)

    def failed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._recent(key).append(time.monotonic())

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures[key]
        while failures and time.monotonic() - failures[0] > self.window:
            failures.popleft()
        return failures
