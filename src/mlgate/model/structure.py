"""Check the tree structures inside a loaded model before it predicts anything.

scikit-learn's tree code follows child and feature indices from the model's node arrays without
bounds checks (native code, for speed), and skops can only say a file holds a ``Tree`` or a
``TreePredictor``, not that their arrays are sound: a crafted index reads memory out of bounds at
predict time. So every tree is checked here, right after loading: each internal node's children
come after it and within the array, each node but the root has exactly one parent (no cycle, no
shared subtree), feature indices are within the estimator's inputs, and arrays have the dtype and
shape scikit-learn's code assumes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlgate.errors import ModelError


def check_model_structure(model: Any, *, source: str) -> None:
    """Raise :class:`ModelError` if a tree inside ``model`` could be followed out of bounds."""
    from sklearn.ensemble._hist_gradient_boosting.gradient_boosting import BaseHistGradientBoosting
    from sklearn.tree import BaseDecisionTree

    for owner in _estimators(model):
        # Unfitted templates (a forest's ``estimator``) hold no tree and predict nothing.
        if isinstance(owner, BaseDecisionTree) and hasattr(owner, "tree_"):
            _check_decision_tree(owner, source=source)
        elif isinstance(owner, BaseHistGradientBoosting) and hasattr(owner, "_predictors"):
            _check_boosting(owner, source=source)


def _estimators(root: Any) -> Iterator[Any]:
    """Every object reachable from ``root``: attributes, lists, tuples, dicts, object arrays.

    Gradient boosting keeps its trees in an object array.
    """
    import numpy as np

    seen: set[int] = set()
    pending = [root]
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, np.ndarray) and item.dtype == object:
            pending.extend(item.ravel().tolist())
        elif hasattr(item, "__dict__") and type(item).__module__.startswith(("sklearn", "mlgate")):
            yield item
            pending.extend(vars(item).values())


def _check_links(left, right, internal, *, where: str) -> None:
    """Children of internal nodes lie after them and in range; every node has one parent."""
    import numpy as np

    count = len(internal)
    index = np.arange(count)
    for name, child in (("left", left), ("right", right)):
        child = np.asarray(child, dtype=np.int64)
        bad = internal & ((child <= index) | (child >= count))
        if bad.any():
            node = int(np.flatnonzero(bad)[0])
            raise ModelError(
                f"{where}: node {node} has {name} child {int(child[node])}, outside nodes "
                f"{node + 1}..{count - 1}. Refusing a model whose tree points out of bounds."
            )
    children = np.concatenate([np.asarray(left)[internal], np.asarray(right)[internal]])
    parents = np.bincount(children.astype(np.int64), minlength=count)
    if parents[0] != 0 or (parents[1:] != 1).any():
        raise ModelError(f"{where}: some node is not reached from the root exactly once.")


def _check_decision_tree(estimator: Any, *, source: str) -> None:
    import numpy as np

    tree = estimator.tree_
    where = f"{source}: decision tree"
    n_features = getattr(estimator, "n_features_in_", None)
    if type(n_features) is not int or tree.n_features != n_features:
        raise ModelError(f"{where} reads {tree.n_features} features, its estimator {n_features}.")
    count = int(tree.node_count)
    left, right, feature = tree.children_left, tree.children_right, tree.feature
    if count < 1 or not len(left) == len(right) == len(feature) == tree.value.shape[0] == count:
        raise ModelError(f"{where}: its node arrays disagree on the number of nodes ({count}).")
    leaf = left == -1
    if ((right == -1) != leaf).any():
        raise ModelError(f"{where}: a node has one child only.")
    _check_links(left, right, ~leaf, where=where)
    used = feature[~leaf]
    if ((used < 0) | (used >= n_features)).any():
        raise ModelError(f"{where}: a node splits on a feature outside 0..{n_features - 1}.")
    classes = getattr(estimator, "classes_", None)  # a regressor (in gradient boosting) has none
    if tree.n_outputs != 1 or (
        classes is not None and not np.all(np.asarray(tree.n_classes) == len(classes))
    ):
        raise ModelError(f"{where}: its outputs do not match the estimator's classes.")


def _check_boosting(estimator: Any, *, source: str) -> None:
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE

    n_features = getattr(estimator, "n_features_in_", None)
    if type(n_features) is not int or n_features < 1:
        raise ModelError(f"{source}: gradient boosting declares {n_features!r} input features.")
    for iteration, predictors in enumerate(estimator._predictors):
        if len(predictors) != estimator.n_trees_per_iteration_:
            raise ModelError(f"{source}: boosting iteration {iteration} has the wrong tree count.")
        for predictor in predictors:
            where = f"{source}: boosting tree {iteration}"
            nodes = predictor.nodes
            if nodes.dtype != PREDICTOR_RECORD_DTYPE or nodes.ndim != 1 or len(nodes) < 1:
                raise ModelError(f"{where}: its node array is not scikit-learn's node records.")
            internal = nodes["is_leaf"] == 0
            _check_links(nodes["left"], nodes["right"], internal, where=where)
            used = nodes["feature_idx"][internal]
            if ((used < 0) | (used >= n_features)).any():
                raise ModelError(f"{where}: a split reads a feature outside 0..{n_features - 1}.")
            # Native categorical splits index bitsets by node; mlgate one-hot or ordinal-encodes
            # categories before boosting, so its models have none, and none are accepted.
            if (nodes["is_categorical"][internal] != 0).any():
                raise ModelError(f"{where}: it has categorical splits, which mlgate never trains.")
