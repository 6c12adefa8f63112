"""The model MLflow loads and serves: code, not a pickle (MLflow's "models from code").

``mlflow.pyfunc.log_model(python_model=<this file>, artifacts={"model": <the .skops file>})``
stores this file's source and the skops file; MLflow pickles nothing. Loading runs this file, which
reads the skops file through mlgate's own allow-listed loader, as ``mlgate predict`` does: a
registered model is held to the same rules as one on disk, wherever it is served.

``model_config`` carries what scoring needs besides the file: ``labels`` (negative first),
``decision_threshold`` and ``trusted_types`` (``train.custom.trusted_types``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from mlflow.models import set_model
from mlflow.pyfunc import PythonModel
from threadpoolctl import threadpool_limits

from mlgate.model.files import load_model


class MlgateModel(PythonModel):
    """A model ``mlgate train`` saved: a score and a decision per row."""

    def load_context(self, context: Any) -> None:
        """Load the skops artefact through mlgate's trusted loader."""
        config = context.model_config or {}
        self.labels = list(config["labels"])
        self.threshold = float(config["decision_threshold"])
        # No probe records where a model is served (the folder may not be writable): the server
        # probes the file once, as it starts.
        self.model = load_model(
            context.artifacts["model"],
            extra_types=frozenset(config.get("trusted_types", ())),
            probe_cache=None,
        )
        # One native thread for the process's life, as mlgate scores everywhere (the scores do
        # not depend on it): entering threadpoolctl's limits on each request cost more than a
        # one-row prediction (9 ms p50 against 4 ms, benchmarks/serve_latency.py).
        self.threads = threadpool_limits(limits=1)

    def predict(self, context: Any, model_input: pd.DataFrame, params: Any = None) -> pd.DataFrame:
        """``score`` (the positive class's probability) and ``decision`` (its label)."""
        scores = self.model.predict_proba(model_input)[:, 1]
        decisions = [self.labels[int(s >= self.threshold)] for s in scores]
        return pd.DataFrame({"score": scores, "decision": decisions})


set_model(MlgateModel())
