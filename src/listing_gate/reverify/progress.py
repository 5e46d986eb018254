"""Progress of a shard: a tqdm bar on a terminal, a plain line now and then otherwise.

Plain lines carry the same rate and ETA, so a Kubernetes log shows how far a shard is:
one every 10 seconds at most (as pages finish) and a last one at the end. Whether the
stream is a terminal is for ``Progress`` to find out; callers only say whether progress
is wanted at all (``--no-progress``).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import NoReturn, TextIO

from tqdm import tqdm

from listing_gate.observability.metrics import REVERIFY_PROGRESS

__all__ = ["Progress", "format_eta"]

_PLAIN_EVERY_S = 10.0


def format_eta(seconds: float | None) -> str:
    """Returns ``1h02m03s`` style text, or ``?`` when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "?"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


class Progress:
    """Counts listings done against an expected total and shows rate and ETA."""

    def __init__(
        self,
        label: str,
        *,
        enabled: bool = True,
        stream: TextIO | None = None,
        every_s: float = _PLAIN_EVERY_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._label = label
        self._enabled = enabled
        self._stream = stream or sys.stderr
        self._every_s = every_s
        self._monotonic = monotonic
        self._bar: tqdm[NoReturn] | None = None
        self._total = 0
        self._done = 0
        self._start_done = 0
        self._started = 0.0
        self._next_line = 0.0

    def start(self, total: int, done: int = 0) -> None:
        """Starts timing; ``done`` listings were finished by an earlier attempt of the run."""
        self._total, self._done, self._start_done = total, done, done
        self._started = self._monotonic()
        self._next_line = self._started + self._every_s
        if self._enabled and self._stream.isatty():
            self._bar = tqdm(
                total=total, initial=done, unit="listing", desc=self._label, file=self._stream
            )

    def advance(self, count: int) -> None:
        """Adds ``count`` listings done and redraws (or prints a line when one is due)."""
        self._done += count
        REVERIFY_PROGRESS.set(self._done / self._total if self._total else 1.0)
        if self._bar is not None:
            self._bar.update(count)
            return
        now = self._monotonic()
        if self._enabled and now >= self._next_line:
            self._line(now)
            self._next_line = now + self._every_s

    @property
    def rate(self) -> float:
        """Returns listings per second since ``start`` (this attempt only)."""
        elapsed = self._monotonic() - self._started
        return (self._done - self._start_done) / elapsed if elapsed > 0 else 0.0

    def close(self) -> None:
        """Removes the bar, or prints a last line."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._enabled:
            self._line(self._monotonic())

    def _line(self, now: float) -> None:
        rate = self.rate
        left = max(self._total - self._done, 0)
        eta = left / rate if rate > 0 else None
        share = 100.0 * self._done / self._total if self._total else 100.0
        self._stream.write(
            f"{self._label}: {self._done}/{self._total} ({share:.1f}%) "
            f"{rate:,.0f} listings/s ETA {format_eta(eta)} "
            f"elapsed {format_eta(now - self._started)}\n"
        )
        self._stream.flush()
