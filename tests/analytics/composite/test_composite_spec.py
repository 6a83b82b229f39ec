"""The index specification: YAML reading, validation errors that name the field, immutability."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from sandyq.analytics.composite import CompositeIndex, IndexSpec, TreatStep, read_spec, spec_from_dict
from sandyq.errors import LoadError, SandyqError

ASEM = Path(__file__).resolve().parents[3] / "examples" / "coinr-asem"
BASE: dict[str, Any] = {"data": {"file": "d.csv"}, "structure": {"indicators": [{"code": "a"}]}}


def test_reads_the_bundled_asem_spec() -> None:
    spec = read_spec(ASEM / "asem.yaml")
    assert [s.kind for s in spec.steps] == ["denominate", "impute", "screen", "treat", "normalise", "aggregate"]
    treat = spec.step("treat")
    assert isinstance(treat, TreatStep) and (treat.winmax, treat.skew, treat.kurt) == (5, 2.0, 3.5)
    assert spec.uncertainty is not None and [f.name for f in spec.uncertainty.factors] == [
        "Winmax",
        "Normalisation",
        "Weights",
        "Aggregation",
    ]


def test_yaml_round_trip() -> None:
    spec = read_spec(ASEM / "asem.yaml")
    again = spec_from_dict(yaml.safe_load(spec.to_yaml()), base_dir=spec.base_dir)
    assert again.steps == spec.steps
    assert again.uncertainty == spec.uncertainty


@pytest.mark.parametrize(
    ("steps", "path", "words"),
    [
        ([{"treat": {"winmax": "five"}}, {"aggregate": {}}], "steps[0].treat.winmax", "integer"),
        ([{"normalise": {"methd": "minmax"}}, {"aggregate": {}}], "steps[0].normalise.methd", "not permitted"),
        ([{"normalise": {"method": "minimax"}}, {"aggregate": {}}], "steps[0].normalise.method", "'minmax'"),
        ([{"impute": {"method": "mean_group"}}, {"aggregate": {}}], "steps[0].impute", "group"),
        ([{"screen": {"threshold": 1.5}}, {"aggregate": {}}], "steps[0].screen.threshold", "less than or equal"),
        ([{"smooth": {}}, {"aggregate": {}}], "steps[0]", "unknown step"),
        (["treat", {"aggregate": {}}], "steps[0]", "one key"),
        ([{"treat": {}}], "steps", "aggregate"),
        ([{"aggregate": {}}, {"treat": {}}], "steps", "last"),
        ([{"aggregate": {"method": "generalised"}}], "steps[0].aggregate", "'p'"),
    ],
)
def test_bad_step_names_the_field(steps: list[Any], path: str, words: str) -> None:
    with pytest.raises(SandyqError) as err:
        spec_from_dict({**BASE, "steps": steps}, source="bad.yaml")
    problem = err.value.problems[0]
    assert problem.file == "bad.yaml"
    assert problem.path == path
    assert words in problem.message


def test_bad_data_and_uncertainty_sections_name_the_field() -> None:
    with pytest.raises(SandyqError) as err:
        spec_from_dict({"data": {}, "structure": {"indicators": [{"code": "a"}]}, "steps": [{"aggregate": {}}]})
    assert err.value.problems[0].path == "data.file"
    bad_factor = {**BASE, "steps": [{"aggregate": {}}], "uncertainty": {"factors": [{"name": "w", "step": "treat"}]}}
    with pytest.raises(SandyqError) as err:
        spec_from_dict(bad_factor)
    assert err.value.problems[0].path == "uncertainty.factors[0]"


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    p = tmp_path / "broken.yaml"
    p.write_text("name: x\nsteps: [\n  - treat: {\n")
    with pytest.raises(SandyqError) as err:
        read_spec(p)
    assert err.value.problems[0].file == str(p)
    assert err.value.problems[0].row is not None


def test_missing_spec_file() -> None:
    with pytest.raises(SandyqError, match="cannot read"):
        read_spec("/nonexistent/index.yaml")


def test_data_not_matching_the_structure(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("uCode,a,b\nX,1,oops\nY,2,3\n")
    spec = spec_from_dict(
        {
            "data": {"file": "d.csv"},
            "structure": {
                "indicators": [
                    {"code": "a", "parent": "I"},
                    {"code": "b", "parent": "I"},
                    {"code": "c", "parent": "I"},
                ],
                "aggregates": [{"code": "I"}],
            },
            "steps": [{"aggregate": {}}],
        },
        source="s.yaml",
        base_dir=tmp_path,
    )
    with pytest.raises(LoadError) as err:
        CompositeIndex.from_spec(spec)
    assert [(p.column, p.message) for p in err.value.problems] == [("c", "column not found")]
    (tmp_path / "d.csv").write_text("uCode,a,b,c\nX,1,oops,2\nY,2,3,4\n")
    with pytest.raises(LoadError) as err:
        CompositeIndex.from_spec(spec)
    assert (err.value.problems[0].row, err.value.problems[0].column) == (2, "b")


def test_structure_errors_are_reported() -> None:
    spec = spec_from_dict(
        {
            "data": {"file": "d.csv"},
            "structure": {
                "indicators": [{"code": "a", "parent": "P"}, {"code": "b", "parent": "Q"}],
                "aggregates": [{"code": "P", "parent": "I"}, {"code": "I"}],
            },
            "steps": [{"aggregate": {}}],
        },
        source="s.yaml",
    )
    with pytest.raises(SandyqError) as err:
        CompositeIndex.from_spec(spec)
    assert any("'Q' is not defined" in p.message for p in err.value.problems)


def test_spec_is_immutable_and_changes_give_copies() -> None:
    spec = read_spec(ASEM / "asem.yaml")
    with pytest.raises(ValidationError):
        spec.name = "other"
    changed = spec.with_step_param("normalise", method="zscore", mean_sd=(10, 2))
    assert spec.step("normalise").method == "minmax"  # type: ignore[union-attr]
    assert changed.step("normalise").method == "zscore"  # type: ignore[union-attr]
    with pytest.raises(SandyqError) as err:
        spec.with_step_param("treat", winmax=-1)
    assert err.value.problems[0].path == "steps[3].treat.winmax"  # treat is the fourth step of asem.yaml


def test_adding_and_removing_steps_keeps_the_canonical_order() -> None:
    spec = IndexSpec.model_validate({**BASE, "steps": [{"normalise": {}}, {"aggregate": {}}]})
    added = spec.with_step_param("treat", winmax=3)
    assert [s.kind for s in added.steps] == ["treat", "normalise", "aggregate"]
    assert [s.kind for s in added.without_step("normalise").steps] == ["treat", "aggregate"]
    with pytest.raises(SandyqError):
        spec.without_step("aggregate")
