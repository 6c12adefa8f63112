"""dvc.yaml and the code agree: stage names, commands and the paths each stage writes."""

from __future__ import annotations

from ruamel.yaml import YAML

from mlgate import paths
from mlgate.cli import cli


def load_stages(project_root):
    return YAML(typ="safe").load((project_root / "dvc.yaml").read_text())["stages"]


def test_each_stage_runs_the_mlgate_command_of_its_name(project_root):
    for name, stage in load_stages(project_root).items():
        assert stage["cmd"].split()[:2] == ["mlgate", name]
        assert name in cli.commands


def test_stage_outputs_are_the_paths_the_code_writes(project_root):
    def out_paths(stage):
        entries = stage.get("outs", []) + stage.get("metrics", []) + stage.get("plots", [])
        return {next(iter(e)) if isinstance(e, dict) else e for e in entries}

    stages = load_stages(project_root)
    assert out_paths(stages["ingest"]) == {str(paths.INGESTED_TRAIN), str(paths.INGESTED_TEST)}
    assert out_paths(stages["prepare"]) == {
        str(paths.PREPARED_TRAIN),
        str(paths.PREPARED_VALIDATION),
    }
    assert out_paths(stages["train"]) == {
        str(paths.MODEL),
        str(paths.MODEL_CARD),
        str(paths.VALIDATION_METRICS),
    }
    assert str(paths.METRICS) in out_paths(stages["evaluate"])
    assert str(paths.FIGURES_DIR) in out_paths(stages["evaluate"])


def test_every_param_a_stage_names_exists(project_root, cfg):
    raw = cfg.model_dump()
    for name, stage in load_stages(project_root).items():
        for key in stage.get("params", []):
            node = raw
            for part in key.split("."):
                assert part in node, f"stage {name} names param {key}, absent from params.yaml"
                node = node[part]
