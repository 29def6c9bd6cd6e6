"""A lock handed to its waiters in the order they came (threading.Lock lets any waiter win)."""

import threading
from collections import deque


class FairLock:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ended
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        # Handed straight to the next waiter: the lock stays held, so nobody can cut in.
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False
