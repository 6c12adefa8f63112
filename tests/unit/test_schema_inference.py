"""Inferring a table's layout and schema for ``mlgate init``."""

from __future__ import annotations

import pytest

from mlgate.errors import DataError
from mlgate.project.schema_inference import infer_table


def table(rows: int = 40) -> str:
    lines = ["client_id;Age;city;score;churned"]
    for i in range(rows):
        city = "NA" if i % 10 == 0 else ["Zürich", "Genève", "Basel"][i % 3]
        lines.append(
            f"{1000 + i};{20 + i % 50};{city};{(i * 37) % 100 / 10};{'yes' if i % 4 else 'no'}"
        )
    return "\n".join(lines) + "\n"


def test_layout_schema_labels_and_personal_data_are_inferred():
    raw = table().encode("cp1252")
    inferred = infer_table(raw, source="t.csv", target="churned", sensitive=("Age",))
    assert inferred.encoding == "cp1252"
    assert inferred.separator == ";"
    assert inferred.na_values == ("NA",)
    assert inferred.numeric == ("Age", "score")
    assert inferred.categorical == ("city",)
    assert inferred.personal == {"client_id": "its name says so (id)"}
    assert inferred.labels == ("no", "yes")
    assert inferred.positive_label == "yes"
    assert inferred.missing_rates == {"city": 0.1}
    assert inferred.sensitive_bins["Age"] == tuple(sorted(inferred.sensitive_bins["Age"]))


def test_without_a_positive_word_the_rarer_class_is_positive():
    text = "x,y\n" + "".join(f"{i},{'fraud' if i % 5 == 0 else 'ok'}\n" for i in range(30))
    inferred = infer_table(text.encode(), source="t.csv", target="y")
    assert inferred.labels == ("ok", "fraud")
    assert inferred.positive_label == "fraud"


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        ("a,b\n1,x\n2,y\n3,z\n", "b", r"the target 'b' has 3 distinct values"),
        ("a,b\n1,x\n2,y\n", "label", r"no column 'label' in its first line \['a', 'b'\]"),
    ],
)
def test_a_target_that_is_missing_or_not_binary_is_refused(text, target, message):
    with pytest.raises(DataError, match=message):
        infer_table(text.encode(), source="t.csv", target=target)


def test_a_binary_target_gives_its_two_labels():
    assert infer_table(b"a,b\n1,x\n2,y\n", source="t.csv", target="b").labels == ("x", "y")


def test_a_sensitive_column_must_exist():
    with pytest.raises(DataError, match=r"--sensitive \['gender'\] are not columns"):
        infer_table(b"a,b\n1,x\n2,y\n", source="t.csv", target="b", sensitive=("gender",))


def test_init_proposes_personal_data_by_content_and_keeps_a_few_valued_account_status():
    """The issue's table: `checking_account` (4 codes) was dropped for its name; names were kept."""
    import numpy as np

    rng = np.random.default_rng(0)
    from mlgate.data.personal_data import FIRST_NAMES

    given = [name.capitalize() for name in sorted(FIRST_NAMES)[:40]]
    family = [f"Galbraith{s}" for s in ("", "e", "son", "ley", "ford", "ton", "ham", "by")]
    lines = ["checking_account,first,relative,amount,default"]
    for i in range(400):
        status, first, other = rng.choice(["A11", "A12", "A13", "A14"]), *rng.choice(given, 2)
        lines.append(f"{status},{first},{other} {family[i % 8]},{i * 13 % 97},{i % 3 == 0}")
    inferred = infer_table("\n".join(lines).encode(), source="t.csv", target="default")
    assert inferred.categorical == ("checking_account",)
    assert inferred.numeric == ("amount",)
    assert (
        inferred.personal["first"] == "person names: 40 distinct values, many of them first names"
    )
    assert inferred.personal["relative"].startswith("person names: ")
    assert sorted(inferred.personal) == ["first", "relative"]
