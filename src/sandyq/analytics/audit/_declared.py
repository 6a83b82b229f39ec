"""Declared rules: what a statistician says must hold between published figures, and values not assessed.

Two rules:

* ``declared_rule``: each validation rule of the framework (:class:`sandyq.framework.Rule`,
  ``rules/*.yaml``) evaluated on every key (geography, period, disaggregation, source) in its
  scope where both sides can be computed; a finding names the rule, the figures on both
  sides, the difference and the tolerance, at the rule's own severity, with its kk/ru/en text.
  Each source is evaluated on its own (a published identity holds within one publication);
  a side with a missing input is not evaluated (a gap is not a departure).
* ``not_assessed``: values a source marks as not assessed (set aside at load by the
  ``not_assessed`` option, never loaded as zeros), at warning level: a reader must know the
  gap is not a score; and figures that break a rule declared with ``not_assessed: true``
  (``EGDI > 0``), at the rule's severity: placeholders that were loaded as figures.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...framework import Binary, Call, Expression, Negate, Number, Over, Ref, Rule, Weighted, parse_dims, references
from ._data import AuditData, empty_findings, file_name, fmt

__all__ = ["check_declared", "evaluate"]

_KEY = ["source", "geo", "period", "dims"]


def _with_key(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index(_KEY)


def _over(node: Over, obs: pd.DataFrame) -> pd.Series:
    """``mean/sum/min/max`` of one indicator over its regions (by parent) or over one disaggregation."""
    rows = obs[obs["indicator"] == node.indicator]
    if node.dimension == "regions":
        rows = rows[(rows["kind"] == "region") & rows["parent"].notna()].assign(geo=lambda f: f["parent"])
    else:
        parsed = [parse_dims(d) if d else {} for d in rows["dims"]]
        has = np.array([node.dimension in p for p in parsed], dtype=bool)
        rest = [";".join(f"{k}={v}" for k, v in sorted(p.items()) if k != node.dimension) for p in parsed]
        rows = rows.assign(dims=rest)[has]
    if rows.empty:
        return pd.Series(dtype=float)
    return rows.groupby(_KEY)["value"].agg(node.function).astype(float)


def evaluate(node: Expression, wide: pd.DataFrame, obs: pd.DataFrame) -> pd.Series:
    """The value of ``node`` on every key of ``wide`` (one column per indicator); NaN where an input is missing.

    >>> wide = pd.DataFrame({"A": [0.25, 0.5], "B": [0.75, np.nan]})
    >>> from sandyq.framework import parse_expression
    >>> evaluate(parse_expression("mean(A, B) * 10"), wide, pd.DataFrame()).tolist()
    [5.0, nan]
    """
    if isinstance(node, Number):
        return pd.Series(node.value, index=wide.index, dtype=float)
    if isinstance(node, Ref):
        return wide[node.indicator] if node.indicator in wide else pd.Series(np.nan, index=wide.index)
    if isinstance(node, Negate):
        return -evaluate(node.operand, wide, obs)
    if isinstance(node, Binary):
        a, b = evaluate(node.left, wide, obs), evaluate(node.right, wide, obs)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[node.op]
        return out.replace([np.inf, -np.inf], np.nan)
    if isinstance(node, Call):
        parts = pd.concat([evaluate(a, wide, obs) for a in node.args], axis=1)
        return parts.agg(node.function, axis=1, skipna=False).astype(float)
    if isinstance(node, Weighted):
        weights = np.array([w for _, w in node.terms], dtype=float)
        parts = pd.concat([evaluate(t, wide, obs) for t, _ in node.terms], axis=1)
        return (parts * weights).sum(axis=1, skipna=False) / weights.sum()
    return _over(node, obs).reindex(wide.index)


def _scoped(rule: Rule, obs: pd.DataFrame) -> pd.DataFrame:
    """The observations a rule reads: its indicators, years and source."""
    scope = rule.scope
    keep = obs["indicator"].isin(rule.indicators())
    if scope.first_year is not None:
        keep &= obs["year"] >= scope.first_year
    if scope.last_year is not None:
        keep &= obs["year"] <= scope.last_year
    if scope.source is not None:
        keep &= obs["source"] == scope.source
    return obs[keep]


def _violated(rule: Rule, diff: pd.Series, allowed: pd.Series, slack: pd.Series) -> pd.Series:
    """Where ``left − right`` (``diff``) breaks the rule's operator beyond ``allowed``.

    A strict inequality is broken by equality too: ``a > b`` fails when ``a ≤ b − allowed``.
    ``slack`` absorbs the error of binary floating point (0.05 is not exactly 0.05): figures
    that equal their bound in decimal count as equal.
    """
    return {
        "==": diff.abs() > allowed + slack,
        "<=": diff > allowed + slack,
        "<": diff >= allowed - slack,
        ">=": -diff > allowed + slack,
        ">": -diff >= allowed - slack,
    }[rule.operator]


def _rule_findings(rule: Rule, where: str, obs: pd.DataFrame) -> pd.DataFrame:
    rows = _scoped(rule, obs)
    if rows.empty:
        return empty_findings()
    wide = rows.pivot_table(index=_KEY, columns="indicator", values="value", aggfunc="first")
    printed = rows.pivot_table(index=_KEY, columns="indicator", values="decimals", aggfunc="first")
    left_node, right_node = rule.left_expression(), rule.right_expression()
    if rule.scope.dims == "total":
        wide = wide[wide.index.get_level_values("dims") == ""]
    if rule.scope.geos:
        wide = wide[wide.index.get_level_values("geo").isin(rule.scope.geos)]
    left, right = evaluate(left_node, wide, rows), evaluate(right_node, wide, rows)
    both = left.notna() & right.notna()
    if not both.any():
        return empty_findings()
    left, right = left[both], right[both]
    used = [i for i in rule.indicators() if i in printed]
    decimals = printed.reindex(left.index)[used].min(axis=1).fillna(4).astype(int)
    allowed = pd.Series(
        [rule.tolerance.allowed(a, b, d) for a, b, d in zip(left, right, decimals, strict=True)], index=left.index
    )
    diff = left - right
    slack = 1e-9 * np.maximum(1.0, np.maximum(left.abs(), right.abs()))
    bad = _violated(rule, diff, allowed, slack)
    if not bad.any():
        return empty_findings()
    return _frame(rule, where, left[bad], right[bad], allowed[bad], wide.loc[bad[bad].index, used])


def _frame(
    rule: Rule, where: str, left: pd.Series, right: pd.Series, allowed: pd.Series, inputs: pd.DataFrame
) -> pd.DataFrame:
    out = left.index.to_frame(index=False)
    diff = (left - right).to_numpy()
    lhs = references(rule.left_expression())
    out["rule"], out["severity"] = ("not_assessed" if rule.not_assessed else "declared_rule"), rule.severity
    out["indicator"] = lhs[0] if lhs else rule.indicators()[0]
    out["sources"] = out["source"].map(lambda s: (s,))
    out["expected"], out["found"] = right.to_numpy(), left.to_numpy()
    only_absolute = rule.tolerance.relative is None and not rule.tolerance.rounding()
    out["tolerance"] = [rule.tolerance.describe() + ("" if only_absolute else f" (±{a:.4g})") for a in allowed]
    out["message"] = (
        f"rule {rule.id}: {rule.left} = "
        + fmt(left.to_numpy())
        + f" but {rule.right} = "
        + fmt(right.to_numpy())
        + "; difference "
        + fmt(diff)
        + f" breaks {rule.left} {rule.operator} {rule.right} ("
        + rule.text.en
        + ")"
    )
    texts = rule.text.model_dump()
    out["figures"] = [
        {
            "rule": rule.id,
            "statement": rule.statement(),
            "left": a,
            "right": b,
            "difference": d,
            "inputs": {k: v for k, v in row.items() if pd.notna(v)},
            "text": texts,
            "declared_in": where,
        }
        for a, b, d, row in zip(left, right, diff, inputs.to_dict(orient="records"), strict=True)
    ]
    out["related"] = [tuple(i for i in rule.indicators() if i != out["indicator"].iloc[0])] * len(out)
    return out


def _not_assessed(data: AuditData) -> pd.DataFrame:
    issues = data.issues
    if issues.empty:
        return empty_findings()
    rows = issues[issues["kind"] == "not_assessed"].copy()
    if rows.empty:
        return empty_findings()
    rows["dims"] = rows["dims"].fillna("")
    rows["rule"], rows["severity"] = "not_assessed", "warning"
    rows["sources"] = [(s,) if isinstance(s, str) else () for s in rows["load_source"]]
    rows["expected"], rows["found"] = np.nan, np.nan
    rows["tolerance"] = "none: the source's own mark"
    row = rows["row_number"].astype("Int64").astype(str)
    rows["message"] = (
        "not assessed by the source (printed "
        + fmt(rows["value"])
        + " as a placeholder): missing, not a score of "
        + fmt(rows["value"])
        + " ("
        + file_name(rows["file"])
        + ", row "
        + row
        + ", column "
        + rows["column_name"].astype(str)
        + ")"
    )
    rows["figures"] = [
        {"printed": v, "file": f, "row": r}
        for v, f, r in zip(rows["value"], rows["file"], rows["row_number"], strict=True)
    ]
    rows["related"] = [()] * len(rows)
    return rows


def check_declared(data: AuditData, only: Mapping[str, Rule] | None = None) -> pd.DataFrame:
    """Findings of the declared rules of the framework (or ``only`` these) and of values not assessed."""
    rules = data.framework.rules if only is None else only
    frames = [
        _rule_findings(rule, str(data.framework.rule_origins.get(rule_id, "")), data.obs)
        for rule_id, rule in rules.items()
    ]
    frames = [f for f in (*frames, _not_assessed(data)) if len(f)]
    if not frames:
        return empty_findings()
    return pd.concat(frames, ignore_index=True)
