"""What a long build shows while it runs: the phase, how much of it is done, and the time left.

A build tells its :class:`Progress` how far each phase has got; the default shows nothing (the
build's summary gives each phase's time). On a terminal, :class:`TerminalProgress` keeps one line
up to date, and only for phases that take longer than a second.
"""

from __future__ import annotations

import time
from typing import Callable, TextIO

Counter = Callable[[int, int], None]  # (done, total)


class Progress:
    """Shows nothing."""

    def counter(self, phase: str) -> Counter:
        return ignore

    def end(self, phase: str) -> None:
        pass


def ignore(done: int, total: int) -> None:
    pass


class TerminalProgress(Progress):
    """One line on a terminal, rewritten as the build goes: ``rendering 1,200/5,000 · about 9 s left``."""

    QUIET_SECONDS = 1.0  # a phase shorter than this shows nothing
    EVERY_SECONDS = 0.1  # the line is rewritten at most this often

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.clock = clock
        self._shown = False

    def counter(self, phase: str) -> Counter:
        started = self.clock()
        last = started

        def tell(done: int, total: int) -> None:
            nonlocal last
            now = self.clock()
            if now - started < self.QUIET_SECONDS or (now - last < self.EVERY_SECONDS and done < total):
                return
            last = now
            self._write(progress_line(phase, done, total, now - started))

        return tell

    def end(self, phase: str) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")  # the summary is printed where the line was
            self.stream.flush()
            self._shown = False

    def _write(self, line: str) -> None:
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self._shown = True


def progress_line(phase: str, done: int, total: int, seconds: float) -> str:
    line = f"{phase} {done:,}/{total:,}"
    if 0 < done < total:
        left = seconds / done * (total - done)
        line += f" · about {left:.0f} s left" if left < 120 else f" · about {left / 60:.0f} min left"
    return line
