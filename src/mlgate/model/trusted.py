"""What a model file may hold for mlgate to load it: allow-lists kept in code, never in a file.

A skops file describes every object it holds as a node in its ``schema.json``: a node kind (its
``__loader__``) and a type name. :mod:`mlgate.model.archive` walks that schema before anything is
deserialised and accepts a node only when its kind is one listed here *and* its type is on the list
for that kind. Node kinds that call a function or method (skops' function, method, partial,
operator and reduce nodes) are on no list: mlgate's models never hold one. The lists cover the
estimators and preprocessing that ``mlgate train`` can build; extend them only after reviewing
what a new type does when it is loaded and when it predicts.
"""

from __future__ import annotations

_NUMPY_SCALARS = (
    "numpy.bool_",
    "numpy.float32",
    "numpy.float64",
    "numpy.int8",
    "numpy.int32",
    "numpy.int64",
    "numpy.uint8",
    "numpy.uint32",
    "numpy.uint64",
)

#: The mitigated model's type under the path models saved by mlgate 0.1.0 name it by.
LEGACY_MITIGATED_MODEL = "mlgate.mitigation.MitigatedModel"

#: Classes an object node may instantiate: created without ``__init__``, then given its attributes.

OBJECT_TYPES: frozenset[str] = frozenset(
    {
        "sklearn.pipeline.Pipeline",
        "sklearn.compose._column_transformer.ColumnTransformer",
        "sklearn.impute._base.SimpleImputer",
        "sklearn.preprocessing._data.StandardScaler",
        "sklearn.preprocessing._encoders.OneHotEncoder",
        "sklearn.preprocessing._encoders.OrdinalEncoder",
        "sklearn.preprocessing._label.LabelEncoder",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.ensemble._forest.RandomForestClassifier",
        "sklearn.tree._classes.DecisionTreeClassifier",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        # Node arrays are checked after loading (mlgate.model.structure): skops does not trust it.
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn._loss.link.Interval",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.loss.HalfBinomialLoss",
        # Holds only the types above and numbers (see mlgate.model.mitigation): no fairlearn object.
        "mlgate.model.mitigation.MitigatedModel",
        # The same class under its 0.1.0 path: ``mlgate.mitigation`` re-exports it, so models
        # saved before the ``mlgate.model`` package still load.
        LEGACY_MITIGATED_MODEL,
    }
)

#: What an array node may produce: an array, or a numpy scalar made from one.
ARRAY_TYPES: frozenset[str] = frozenset({"numpy.ndarray", *_NUMPY_SCALARS})

#: Types a type node may name: types stored as values, such as an encoder's ``dtype``.
TYPE_VALUES: frozenset[str] = frozenset(
    {"builtins.str", "builtins.int", "builtins.float", "builtins.bool", *_NUMPY_SCALARS}
)

#: Types a dict's keys are rebuilt with (skops calls the key type on each key).
DICT_KEY_TYPES: frozenset[str] = frozenset({"builtins.str", "builtins.int"})

#: Loss objects rebuilt from their constructor arguments (skops' loss node).
LOSS_TYPES: frozenset[str] = frozenset({"sklearn._loss._loss.CyHalfBinomialLoss"})

#: scikit-learn's tree structure, rebuilt by skops' tree node; checked after loading too.
TREE_TYPES: frozenset[str] = frozenset({"sklearn.tree._tree.Tree"})

#: numpy bit generators a random generator node may name (by their name in ``numpy.random``).
BIT_GENERATORS: frozenset[str] = frozenset({"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"})

#: The types a loaded model's outermost object may have.
MODEL_TYPES: frozenset[str] = frozenset(
    {"sklearn.pipeline.Pipeline", "mlgate.model.mitigation.MitigatedModel", LEGACY_MITIGATED_MODEL}
)

#: Every type name above, as the fixed ``trusted=`` list handed to skops (never the file's own).
TRUSTED_TYPES: frozenset[str] = frozenset(
    OBJECT_TYPES
    | ARRAY_TYPES
    | TYPE_VALUES
    | LOSS_TYPES
    | TREE_TYPES
    | {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.slice",
        "numpy.dtype",
        "numpy.random._generator.Generator",
        "numpy.random.mtrand.RandomState",
    }
)
