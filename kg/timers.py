"""Coarse timers: callbacks due at the end of a fixed step, one event-loop timer per step.

Arming and cancelling a uvloop timer costs ~5 us; a server that arms one per request (a
query's deadline, an idle connection's keep-alive) and cancels nearly all of them pays that
on every request. Here a timer joins the step it falls due in, cancelling takes it out, and
one loop timer per step runs what is left, in the order they were armed: a callback runs at
most one step late, never early.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class CoarseTimer:
    """A callback due at the end of a step; ``cancel`` takes it out of its step."""

    __slots__ = ("_callback", "_args", "_step")

    def __init__(
        self, callback: Callable[..., Any], args: tuple[Any, ...], step: dict[Any, None]
    ) -> None:
        self._callback = callback
        self._args = args
        self._step: dict[Any, None] | None = step

    def cancel(self) -> None:
        if self._step is not None:
            self._step.pop(self, None)
            self._step = None

    def cancelled(self) -> bool:
        return self._step is None

    def run(self) -> None:
        self._step = None
        try:
            self._callback(*self._args)
        except Exception:  # as the event loop would: report it, go on with the others
            log.exception("a timer's callback failed")


class CoarseTimers:
    """``call_at`` and ``call_later`` on ``loop`` in steps of ``step`` seconds."""

    def __init__(self, loop: asyncio.AbstractEventLoop, step: float) -> None:
        self.loop = loop
        self.step = step
        self._steps: dict[int, dict[CoarseTimer, None]] = {}  # a step's timers, in order

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any) -> CoarseTimer:
        key = math.ceil(when / self.step)
        step = self._steps.get(key)
        if step is None:
            step = self._steps[key] = {}
            self.loop.call_at(key * self.step, self._fire, key)
        timer = CoarseTimer(callback, args, step)
        step[timer] = None
        return timer

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> CoarseTimer:
        return self.call_at(self.loop.time() + delay, callback, *args)

    def _fire(self, key: int) -> None:
        for timer in list(self._steps.pop(key, ())):
            timer.run()

    @property
    def pending(self) -> int:
        """Timers armed and not yet run nor cancelled."""
        return sum(map(len, self._steps.values()))
