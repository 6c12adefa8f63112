"""The params reference: every key of ``params.yaml`` with its type, default, range and meaning.

Walked from the config models themselves (:class:`mlgate.config.Config` and each check's class in
:data:`mlgate.config.checks.CHECK_CONFIGS`), so a key added to a model is on the page at the next
build, and a key without a description fails the reference test.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from mlgate.config import Config
from mlgate.config.checks import CHECK_CONFIGS
from mlgate.reference.markdown import first_paragraph, table, yaml_value

INTRO = """\
# Params

`params.yaml` is the one place for every knob, and nothing about the template's table is written in
the code: point `data:` and `ingest:` at another tabular binary-classification dataset and the
pipeline follows ([Your own data](../tutorials/own-data.md)). This page is generated from the
config models, so it lists exactly the keys `mlgate validate` accepts.

The file is parsed as DVC parses it (YAML 1.2 with ruamel.yaml's safe loader: `1e-3` is a float,
`no` is the string "no"), so a stage sees exactly the values `dvc params diff` shows. Types are
strict: `seed: true` is not the number 1 and `alpha: '0.05'` is not a number. An unknown key, a
wrong type, an out-of-range value, a declared column absent from `ingest.column_names`, or a check
that reads a column `data:` does not declare stops every command (and `mlgate validate`) with exit
code 2 and names each offending key. `mlgate --params other.yaml <command>` reads another file.
"""

_BOUNDS = (
    (annotated_types.Ge, "ge", "≥"),
    (annotated_types.Gt, "gt", ">"),
    (annotated_types.Le, "le", "≤"),
    (annotated_types.Lt, "lt", "<"),
    (annotated_types.MinLen, "min_length", "length ≥"),
    (annotated_types.MaxLen, "max_length", "length ≤"),
)


def type_name(annotation: Any) -> str:
    """A reader's name for a field's type: ``float``, ``"a" | "b"``, ``list of str``, ``null``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is Literal:
        return " | ".join(yaml_value(arg) if isinstance(arg, str) else str(arg) for arg in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(arg) for arg in args)
    if origin in (tuple, list, frozenset, set):
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}" if args else "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section"
    return getattr(annotation, "__name__", str(annotation))


def bounds(field: FieldInfo) -> str:
    """The field's declared range, e.g. ``> 0, < 1`` (empty without one)."""
    parts = []
    for item in field.metadata:
        for kind, attribute, sign in _BOUNDS:
            if isinstance(item, kind):
                parts.append(f"{sign} {getattr(item, attribute)}")
    return ", ".join(parts)


def default(field: FieldInfo) -> str:
    """The default as params.yaml would write it, or *required*."""
    if field.default_factory is not None:
        return f"`{yaml_value(field.default_factory())}`"
    if field.default is PydanticUndefined:
        return "*required*"
    if isinstance(field.default, BaseModel):
        return "see below"
    return f"`{yaml_value(field.default)}`"


def sections_of(field: FieldInfo) -> list[type[BaseModel]]:
    """The section models a field holds (its type, or the model of an optional one)."""
    annotation = field.annotation
    candidates = typing.get_args(annotation) or (annotation,)
    return [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]


def leaf_fields(model: type[BaseModel], key: str) -> list[tuple[str, FieldInfo]]:
    """``(dotted key, field)`` for each field of ``model`` that is not itself a section."""
    return [
        (f"{key}.{name}", field)
        for name, field in model.model_fields.items()
        if not sections_of(field) and not (model is Config and name == "checks")
    ]


def sections(model: type[BaseModel], key: str) -> list[tuple[str, type[BaseModel]]]:
    """``(dotted key, model)`` for ``model`` and every section under it, depth first."""
    found = [(key, model)]
    for name, field in model.model_fields.items():
        for section in sections_of(field):
            found += sections(section, f"{key}.{name}" if key else name)
    return found


def all_sections() -> list[tuple[str, type[BaseModel]]]:
    """Every section of params.yaml with its model, the checks' own included."""
    found = sections(Config, "")[1:]
    for check_id, config_class in CHECK_CONFIGS.items():
        found += sections(config_class, f"checks.{check_id}")
    return found


def all_keys() -> list[tuple[str, FieldInfo]]:
    """Every leaf key of params.yaml (dotted) with its field: what the page must list."""
    return [item for key, model in all_sections() for item in leaf_fields(model, key)]


def _section_block(key: str, model: type[BaseModel]) -> list[str]:
    rows = [
        (
            f"`{dotted}`",
            type_name(field.annotation),
            default(field),
            bounds(field),
            field.description or "",
        )
        for dotted, field in leaf_fields(model, key)
    ]
    lines = [f"### `{key}`", "", first_paragraph(model.__doc__), ""]
    if rows:
        lines += [*table(("key", "type", "default", "range", "meaning"), rows), ""]
    return lines


def params_page() -> str:
    """The whole params reference page."""
    lines = [INTRO, "## Sections", ""]
    checks_started = False
    for key, model in all_sections():
        if key.startswith("checks.") and not checks_started:
            checks_started = True
            lines += [
                "## Checks",
                "",
                "Each check is configured under `checks.<suite>.<name>`; a check that is not listed"
                " does not run. What each one judges is in the [check catalogue](checks.md).",
                "",
            ]
        lines += _section_block(key, model)
    return "\n".join(lines).rstrip() + "\n"
