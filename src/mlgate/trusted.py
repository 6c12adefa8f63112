"""The types a model file may hold for mlgate to load it: an allow-list kept in code.

A skops file lists the type of every object it holds in its ``schema.json``. :func:`mlgate.io.
load_model` reads that list without deserialising anything and refuses the file if one type is not
here; the list is never read from the file itself. It covers the estimators and preprocessing that
``mlgate train`` can build. Extend it only after reviewing what a new type does when loaded.
"""

from __future__ import annotations

_BUILTINS = ("builtins.dict", "builtins.list", "builtins.slice", "builtins.str", "builtins.tuple")
_NUMPY = (
    "numpy.ndarray",
    "numpy.dtype",
    "numpy.bool_",
    "numpy.float32",
    "numpy.float64",
    "numpy.int8",
    "numpy.int32",
    "numpy.int64",
    "numpy.uint8",
    "numpy.uint32",
    "numpy.uint64",
    "numpy.random._generator.Generator",
)
_SKLEARN = (
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
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
)
# Holds only the types above and numbers (see mlgate.mitigation): no fairlearn or pandas object.
_MLGATE = ("mlgate.mitigation.MitigatedModel",)

#: Fully qualified names (``module.Class``) of every type a loadable model may contain.
TRUSTED_TYPES: frozenset[str] = frozenset(_BUILTINS + _NUMPY + _SKLEARN + _MLGATE)
