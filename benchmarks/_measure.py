"""Timing and peak-memory helpers shared by the benchmark scripts and their peers.

This file imports only the standard library, so each peer's own environment can run it.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def measure(function: Callable[[], Any], *, repeats: int = 3) -> dict[str, float]:
    """Best wall time of ``repeats`` runs, then the peak traced memory of one more run (MiB)."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": best, "peak_mib": peak / 2**20}
