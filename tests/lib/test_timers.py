"""Coarse timers: never early, at most one step late, cancelled for good, one failure alone."""

from __future__ import annotations

import asyncio

from kg.timers import CoarseTimers


def test_timers_run_in_their_step_never_early_and_share_a_loop_timer():
    async def run():
        loop = asyncio.get_running_loop()
        timers = CoarseTimers(loop, 0.1)
        ran: list[tuple[int, float]] = []
        due = [loop.time() + d for d in (0.05, 0.07, 0.23)]
        for n, when in enumerate(due):
            timers.call_at(when, lambda n=n: ran.append((n, loop.time())))
        gone = timers.call_later(0.05, lambda: ran.append((-1, loop.time())))
        gone.cancel()
        gone.cancel()  # a second cancel is harmless
        assert timers.pending == 3 and len(timers._steps) <= 3
        await asyncio.sleep(0.5)
        assert [n for n, _ in ran] == [0, 1, 2]
        for n, t in ran:
            assert due[n] - 0.002 <= t <= due[n] + 0.1 + 0.05  # loop timers round to 1 ms
        assert timers.pending == 0 and not timers._steps

    asyncio.run(run())


def test_a_failing_callback_does_not_stop_the_others(caplog):
    async def run():
        loop = asyncio.get_running_loop()
        timers = CoarseTimers(loop, 0.05)
        ran: list[str] = []
        when = loop.time() + 0.01
        timers.call_at(when, lambda: 1 / 0)
        timers.call_at(when, lambda: ran.append("after"))
        await asyncio.sleep(0.15)
        return ran

    assert asyncio.run(run()) == ["after"]
    assert "a timer's callback failed" in caplog.text
