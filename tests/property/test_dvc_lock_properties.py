"""For any params, a lock recorded from them is current, and any one change is reported exactly."""

from __future__ import annotations

import copy
import io
import string

from hypothesis import assume, given, reject
from hypothesis import strategies as st
from ruamel.yaml import YAML

from mlgate.errors import ConfigError
from mlgate.io import parse_yaml
from mlgate.project.dvc_lock import StaleParam, lock_status
from mlgate.project.dvcfile import MISSING, lookup

keys = st.text(string.ascii_lowercase + "_-", min_size=1, max_size=5)
leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.lists(st.integers(0, 9), max_size=3)
)
sections = st.recursive(
    leaves, lambda inner: st.dictionaries(keys, inner, max_size=3), max_leaves=12
)


def as_read_from_a_file(params):
    """``params`` written to a YAML file and read back, as ``params.yaml`` reaches DVC and mlgate.

    Some text does not survive YAML unchanged (ruamel writes NEL, U+0085, as a line break, which
    reads back as a space; it writes the string "?0" bare, which does not read back at all): a
    params file can only ever hold what reads back.
    """
    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(params, buffer)
    try:
        return parse_yaml(buffer.getvalue(), source="params.yaml")
    except ConfigError:
        reject()


params_files = st.dictionaries(keys, sections, min_size=1, max_size=4).map(as_read_from_a_file)


def node_paths(node, prefix=""):
    """Every dotted key of a parsed params file, with whether it is a leaf (not a mapping)."""
    for name, value in node.items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, not isinstance(value, dict)
        if isinstance(value, dict):
            yield from node_paths(value, path)


def outermost(paths):
    """The keys a stage lists: none inside another, as a stage lists a section or its keys."""
    return [p for p in paths if not any(p.startswith(f"{q}.") for q in paths if q != p)]


def recorded_by_dvc(params, listed):
    """dvc.lock as DVC writes it (values of the listed keys, through YAML) and reads it back."""
    lock = {"schema": "2.0", "stages": {"s": {"cmd": "x", "params": {"params.yaml": {}}}}}
    lock["stages"]["s"]["params"]["params.yaml"] = {key: lookup(params, key) for key in listed}
    buffer = io.StringIO()
    YAML(typ="safe", pure=True).dump(lock, buffer)
    return parse_yaml(buffer.getvalue(), source="dvc.lock")


@given(params=params_files, data=st.data())
def test_a_lock_recorded_from_the_params_is_current(params, data):
    paths = [path for path, _ in node_paths(params)]
    listed = outermost(data.draw(st.lists(st.sampled_from(paths), min_size=1, unique=True)))
    dvc = {"stages": {"s": {"cmd": "x", "params": listed}}}
    status = lock_status(recorded_by_dvc(params, listed), dvc, {"params.yaml": params})
    assert status.is_current, status.report()


@given(params=params_files, data=st.data(), delete=st.booleans())
def test_one_changed_or_deleted_value_is_reported_alone_with_both_values(params, data, delete):
    paths = [path for path, _ in node_paths(params)]
    listed = outermost(data.draw(st.lists(st.sampled_from(paths), min_size=1, unique=True)))
    covered = [
        path
        for path, is_leaf in node_paths(params)
        if is_leaf and any(path == key or path.startswith(f"{key}.") for key in listed)
    ]
    assume(covered)
    leaf = data.draw(st.sampled_from(covered))
    lock = recorded_by_dvc(params, listed)

    changed = copy.deepcopy(params)
    *parents, last = leaf.split(".")
    node = changed
    for part in parents:
        node = node[part]
    old = node[last]
    if delete:
        del node[last]
    else:
        node[last] = f"changed {old!r}"  # a string never equals the old value
    dvc = {"stages": {"s": {"cmd": "x", "params": listed}}}
    status = lock_status(lock, dvc, {"params.yaml": changed})
    new = MISSING if delete else node[last]
    assert status.stale == (StaleParam("s", "params.yaml", leaf, old, new),)
    assert not status.is_current
