"""Timing and peak-memory helpers shared by the benchmark scripts and their peers.

This file imports only the standard library, so each peer's own environment can run it.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def measure(function: Callable[[], Any], *, repeats: int = 3) -> dict[str, float]:
    """Wall times of ``repeats`` runs (best and median, and the least CPU time of the process,
    all threads), then the peak traced memory of one more run (MiB).

    CPU time says what the wall time would be on an idle machine when other work shares it.
    """
    wall, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": min(wall),
        "median_seconds": statistics.median(wall),
        "cpu_seconds": min(cpu),
        "peak_mib": peak / 2**20,
    }
