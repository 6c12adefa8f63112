"""Hypothesis strategies for the evidence the report reads: any valid record, however odd.

Valid means what the pipeline can write: every status, numbers that are missing, NaN or infinite
where the evidence allows None or a float, empty and huge tables, group names with markup in
them (links, mentions, HTML, controls: see :mod:`tests.unit.report.hostile`), curves with
repeated x, a baseline or none.
"""

from __future__ import annotations

from hypothesis import strategies as st

from mlgate.checks.status import Status
from mlgate.report.evidence import Evidence
from mlgate.stats import METRIC_NAMES
from tests.unit.report import builders as b
from tests.unit.report.hostile import hostile_text

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
)
some_names = st.one_of(
    names,
    st.sampled_from(["< 25", "25–45", "≥ 65", "a|b", "<img>", "&lt;", "`x`", '"q"']),
    hostile_text.filter(bool),
)
#: What a check or the gate says: its own words around names from data.
summaries = st.one_of(st.text(max_size=120), hostile_text)
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
rates = st.floats(0, 1)
statuses = st.sampled_from([s.value for s in Status])


@st.composite
def results(draw, result_id: st.SearchStrategy[str] | None = None) -> dict:
    """Any check result: any status, value, threshold, interval and p-value."""
    low, high = draw(numbers), draw(numbers)
    return b.result(
        draw(result_id if result_id is not None else names.map(lambda n: f"suite.{n}")),
        draw(statuses),
        draw(summaries),
        required=draw(st.booleans()),
        value=draw(numbers),
        threshold=draw(numbers),
        p_value=draw(numbers),
        ci_low=low,
        ci_high=high,
    )


@st.composite
def parity_results(draw) -> dict:
    """A fairness result: groups with or without intervals, an order, small groups."""
    groups = draw(
        st.dictionaries(
            some_names,
            st.builds(b.group, st.integers(0, 10**6), rates, rates, rates, rates),
            max_size=6,
        )
    )
    order = draw(st.one_of(st.none(), st.permutations(list(groups))))
    small = draw(
        st.dictionaries(
            some_names,
            st.one_of(st.integers(0, 199), st.builds(dict, n=st.integers(0, 199))),
            max_size=3,
        )
    )
    disparities = draw(
        st.dictionaries(
            st.sampled_from(["demographic_parity_difference", "equalized_odds_ratio"]),
            st.fixed_dictionaries(
                {"value": numbers}, optional={"ci": st.lists(numbers, min_size=2, max_size=2)}
            ),
        )
    )
    recorded = b.parity(
        draw(some_names.filter(lambda n: "×" not in n)),
        groups,
        status=draw(statuses),
        order=order,
        insufficient=small,
        disparities=disparities or {"demographic_parity_difference": {"value": None}},
    )
    recorded["summary"] = draw(summaries)
    return recorded


feature_tests = st.fixed_dictionaries(
    {},
    optional={
        "test": st.sampled_from(["ks", "chi2"]),
        "statistic": numbers,
        "p_value": numbers,
        "adjusted_p_value": numbers,
        "drifted": st.booleans(),
    },
)


@st.composite
def drift_results(draw) -> list[dict]:
    """``drift.features`` over any features, with or without ``drift.psi``."""
    features = draw(st.dictionaries(some_names, feature_tests, max_size=30))
    psi = draw(st.one_of(st.none(), st.dictionaries(some_names, st.floats(0, 10), max_size=30)))
    return b.drift(features, psi)


def curve(x: str, y: str) -> st.SearchStrategy[list[dict]]:
    """Plot records of one curve, in any order, x repeated or not, possibly empty."""
    point = st.fixed_dictionaries({x: st.floats(0, 1), y: st.floats(0, 1)})
    return st.lists(point, max_size=40)


differences = st.dictionaries(
    st.sampled_from(METRIC_NAMES),
    st.tuples(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 1)).map(lambda t: tuple(sorted(t))),
    max_size=len(METRIC_NAMES),
)
params = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), names, hostile_text
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(names, children, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def evidence(draw, label: str = "this branch") -> Evidence:
    """One side's evidence: each file present or missing, each record anything valid."""
    found = draw(st.lists(results(), max_size=12))
    found += draw(st.lists(parity_results(), max_size=3))
    found += draw(st.one_of(st.just([]), drift_results()))
    if draw(st.booleans()):
        found += b.champion(
            {k: (e, lo, hi) for k, (lo, e, hi) in draw(differences).items()},
            p_value=draw(st.floats(0, 1)),
        )
    files = {
        "checks": draw(st.one_of(st.none(), st.just(b.checks(*found)))),
        "gate": draw(
            st.one_of(
                st.none(),
                st.builds(b.gate, st.sampled_from(["promote", "reject"]), summaries),
            )
        ),
        "metrics": draw(
            st.one_of(
                st.none(),
                st.dictionaries(st.sampled_from([*METRIC_NAMES, "n_samples"]), numbers),
            )
        ),
        "importance": draw(
            st.one_of(
                st.none(), st.builds(dict, mean_abs_shap=st.dictionaries(some_names, numbers))
            )
        ),
        "roc": draw(curve("fpr", "tpr")),
        "precision_recall": draw(curve("recall", "precision")),
        "calibration": draw(curve("mean_predicted", "fraction_positive")),
        "confusion": draw(
            st.lists(
                st.fixed_dictionaries({"actual": some_names, "predicted": some_names}), max_size=20
            )
        ),
        "params": draw(st.one_of(st.none(), st.dictionaries(names, params, max_size=6))),
    }
    missing = draw(
        st.lists(st.sampled_from(["reports/gate.json", "reports/checks.json"]), unique=True)
    )
    return b.evidence(label, tuple(missing), **files)
