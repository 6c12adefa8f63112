"""What the probe's child process does: limit itself, score a probe batch, report one result.

The same steps run in a child forked from the command (it scores the model the command has
built) and in a fresh interpreter (:mod:`mlgate.model.probe_child`, which loads the file first).
:func:`run_steps` never raises: a refusal, a ``MemoryError`` or another failure becomes a result
for the parent (:mod:`mlgate.model.probe`) to report; a crash is a signal the parent sees.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mlgate.errors import ModelError
from mlgate.model.fitted import is_missing

if TYPE_CHECKING:
    import pandas as pd

#: A fresh child writes this line once its imports are done: failing before it is not the file's.
STARTED = "mlgate-probe: started"
#: A fresh child's last line: this prefix, then its result as JSON.
RESULT = "mlgate-probe-result: "
#: A category no model was fitted on: scoring must handle it (as unknown or infrequent).
UNSEEN_CATEGORY = "__mlgate_probe_unseen__"
#: How far beyond a numeric feature's fitted centre the extreme rows go.
EXTREME = 1e9
#: Exit codes of a child that reports (a signal is the other way a child ends).
PASSED, REFUSED, OUT_OF_MEMORY, FAILED = 0, 2, 3, 4


def probe_batch(model: Any) -> pd.DataFrame:
    """Four rows of the model's declared inputs: usual, high, unseen and missing.

    Built from the model alone (its preprocessing's input names, each encoder's categories and
    each imputer's statistics), so that it fits any table ``mlgate init`` was run on: row 1 holds
    a fitted value of every feature, row 2 the last category and a high number, row 3 a category
    never seen and a low number, row 4 a missing value everywhere.
    """
    import numpy as np
    import pandas as pd

    preprocess = model.named_steps["preprocess"]
    columns: dict[str, list] = {}
    for _, transformer, inputs in preprocess.transformers_:
        if isinstance(transformer, str):
            continue
        steps = [step for _, step in getattr(transformer, "steps", [(None, transformer)])]
        encoder = next((s for s in steps if hasattr(s, "categories_")), None)
        imputer = next((s for s in steps if hasattr(s, "statistics_")), None)
        for index, name in enumerate(inputs):
            if encoder is not None:
                columns[str(name)] = _categorical(encoder.categories_[index].tolist())
            else:
                centre = imputer.statistics_[index] if imputer is not None else 0.0
                centre = float(centre) if np.isfinite(centre) else 0.0
                columns[str(name)] = [centre, centre + EXTREME, centre - EXTREME, np.nan]
    names = [str(name) for name in preprocess.feature_names_in_]
    return pd.DataFrame({n: columns.get(n, [np.nan] * 4) for n in names}, columns=names)


def _categorical(categories: list) -> list:
    known = [c for c in categories if not is_missing(c)]
    if not known:  # fitted on missing values only
        return [math.nan] * 4
    if all(isinstance(c, str) for c in known):
        return [known[0], known[-1], UNSEEN_CATEGORY, None]
    unseen = max(known) + 1  # numeric categories: a number never seen
    return [known[0], known[-1], unseen, math.nan]


def score_probe(model: Any, batch: pd.DataFrame) -> None:
    """Score ``batch`` on one native thread; ``ValueError`` unless one probability pair per row.

    One thread also matters for a forked child: OpenMP's thread pool does not survive a fork,
    and a child asking it for two threads waits for ever.
    """
    import numpy as np
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        proba = np.asarray(model.predict_proba(batch))
    if (
        proba.shape != (len(batch), 2)
        or not np.isfinite(proba).all()
        or ((proba < 0) | (proba > 1)).any()
    ):
        raise ValueError(
            f"predict_proba gave an array of shape {proba.shape} that is not one pair of "
            f"probabilities per row ({proba.ravel()[:8].tolist()})"
        )


def limit_resources(*, memory_bytes: int, cpu_seconds: int) -> None:
    """Cap this process's address space and CPU time at what it uses now plus the allowance."""
    try:
        import resource
    except ImportError:  # not a POSIX system: the parent's wall-clock timeout still applies
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + cpu_seconds
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > soft + 5:
        # SIGXCPU at the soft limit; SIGKILL at the hard one, should SIGXCPU be ignored.
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5))
    try:
        with open("/proc/self/statm") as statm:  # Linux: the address space in use, in pages
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # another system (macOS does not enforce RLIMIT_AS anyway)
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = in_use + memory_bytes
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run_steps(load: Callable[[], Any], *, memory_bytes: int, cpu_seconds: int) -> tuple[dict, int]:
    """Limit this process, ``load()`` the model, score the probe batch: (result, exit code)."""
    warnings.simplefilter("ignore")  # unknown categories warn by design; the result says it all
    limit_resources(memory_bytes=memory_bytes, cpu_seconds=cpu_seconds)
    started = time.perf_counter()
    try:
        model = load()
        with _object_strings():
            batch = probe_batch(model)
            score_probe(model, batch)
    except ModelError as exc:
        return {"refused": str(exc)}, REFUSED
    except MemoryError:
        return {"memory": True}, OUT_OF_MEMORY
    except Exception as exc:  # any other failure is the file's: the parent refuses it, naming it
        return {"failed": f"{type(exc).__name__}: {exc}"[:2000]}, FAILED
    seconds = round(time.perf_counter() - started, 3)
    return {"rows": len(batch), "seconds": seconds, "peak_rss_mib": _peak_memory_mib()}, PASSED


def _object_strings() -> contextlib.AbstractContextManager:
    """Strings in pandas as Python objects, not Arrow arrays, while the probe builds and scores.

    Arrow's allocator reserves address space a gigabyte at a time, which ``RLIMIT_AS`` refuses
    (a 64-byte string failed to allocate); scikit-learn turns strings into objects anyway.
    """
    import pandas as pd

    try:
        pd.get_option("future.infer_string")
    except pd.errors.OptionError:  # a pandas without the option infers no Arrow strings
        return contextlib.nullcontext()
    return pd.option_context("future.infer_string", False)


def _peak_memory_mib() -> int | None:
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
