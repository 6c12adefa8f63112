"""What each pipeline command writes, and whether its stage in ``dvc.yaml`` declares just that."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlgate import paths
from mlgate.errors import Problem
from mlgate.project.dvcfile import declared_outputs, is_generated, normal_path, pipeline_stages


@dataclass(frozen=True)
class StageOutputs:
    """What one pipeline command writes: the outputs its stage in ``dvc.yaml`` must declare.

    Attributes
    ----------
    files : tuple of Path
        Files and folders the command writes; the stage declares each one.
    under : tuple of Path
        Folders it writes further files into (one per computed curve, say): the stage may
        declare any file under them.
    """

    files: tuple[Path, ...]
    under: tuple[Path, ...] = ()


#: Where each pipeline command writes (``mlgate.paths``), by the name of its stage and command.
STAGE_OUTPUTS: dict[str, StageOutputs] = {
    "ingest": StageOutputs((paths.INGESTED_TRAIN, paths.INGESTED_TEST)),
    "prepare": StageOutputs((paths.PREPARED_TRAIN, paths.PREPARED_VALIDATION)),
    "train": StageOutputs((paths.MODEL, paths.MODEL_CARD, paths.VALIDATION_METRICS)),
    "fingerprint": StageOutputs((paths.FINGERPRINT,)),
    "examples": StageOutputs((paths.EXAMPLES_DIR,)),
    "evaluate": StageOutputs(
        (paths.METRICS, paths.FAIRNESS, paths.FIGURES_DIR), under=(paths.PLOTS_DIR,)
    ),
    "explain": StageOutputs(
        (paths.SHAP_VALUES, paths.SHAP_IMPORTANCE, paths.SHAP_METHOD, paths.EXPLAIN_DIR)
    ),
    "check": StageOutputs((paths.CHECKS,)),
    "gate": StageOutputs((paths.GATE, paths.VERDICT)),
    "card": StageOutputs((paths.MODEL_CARD_MD,)),
}


def output_problems(dvc: Mapping[str, Any], *, source: str) -> list[Problem]:
    """Each pipeline stage declares as outputs exactly what its command writes.

    What each command writes is :data:`STAGE_OUTPUTS`, built from :mod:`mlgate.paths`.

    An output the command does not write makes ``dvc repro`` fail after the stage ran; a file it
    writes that the stage does not declare is neither cached nor tracked.
    """
    problems = []
    for name, stage in pipeline_stages(dvc).items():
        expected = STAGE_OUTPUTS.get(name)
        if expected is None or is_generated(stage):
            continue
        declared = {path: section for section, path, _ in declared_outputs(stage)}
        wanted = {normal_path(path): path for path in expected.files}
        for path, original in wanted.items():
            if path not in declared:
                problems.append(
                    Problem(
                        source,
                        f"stages.{name}.outs",
                        f"expected {original.as_posix()} (mlgate.paths), which `mlgate {name}` "
                        f"writes; declare it under outs, metrics or plots",
                    )
                )
        folders = [normal_path(folder) for folder in expected.under]
        for path, section in declared.items():
            if path in wanted or any(path.startswith(f"{folder}/") for folder in folders):
                continue
            problems.append(
                Problem(
                    source,
                    f"stages.{name}.{section}",
                    f"declares {path}, which `mlgate {name}` does not write (it writes "
                    f"{', '.join(sorted(wanted))}): dvc repro would stop, missing the output",
                )
            )
    return problems
