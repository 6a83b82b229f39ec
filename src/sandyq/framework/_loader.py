"""Read a framework folder of YAML files and validate it as a whole.

A framework folder holds::

    sources.yaml          a list of sources
    glossary.yaml         a list of glossary terms
    indicators/*.yaml     lists of indicators
    programmes/*.yaml     one programme per file
    rules/*.yaml          lists of declared validation rules (:mod:`._rules`)

Every file is parsed and validated; then references across files are checked
(a task naming an unknown indicator, an unknown glossary tag or source, a
duplicate id).  If anything is wrong nothing is returned: a
:class:`~sandyq.errors.FrameworkError` lists every problem with its file and the
path inside it (``directions[1].tasks[0].targets[2].year``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import FrameworkError, NotFoundError, Problem
from ._geography import Geography, load_geography
from ._models import GlossaryTerm, Indicator, Programme, Source, Target, Task
from ._rules import Rule, RuleOrigin, check_rules, read_rules
from ._yaml import read_yaml

__all__ = ["Framework", "default_framework_path", "load_framework"]

M = TypeVar("M", bound=BaseModel)


def default_framework_path() -> Path:
    """The framework bundled with sandyq (Digital Kazakhstan and its sources)."""
    return Path(str(resources.files("sandyq") / "content" / "framework"))


@dataclass
class Framework:
    """Programmes, indicators, sources, glossary and geography, validated together."""

    programmes: dict[str, Programme] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    geography: Geography = field(default_factory=load_geography)
    rules: dict[str, Rule] = field(default_factory=dict)
    rule_origins: dict[str, RuleOrigin] = field(default_factory=dict)

    def indicator(self, indicator_id: str) -> Indicator:
        try:
            return self.indicators[indicator_id]
        except KeyError:
            raise NotFoundError(f"unknown indicator {indicator_id!r}") from None

    def programme(self, programme_id: str) -> Programme:
        try:
            return self.programmes[programme_id]
        except KeyError:
            known = ", ".join(sorted(self.programmes)) or "none"
            raise NotFoundError(f"unknown programme {programme_id!r} (known: {known})") from None

    def with_indicators(self, bodies: Mapping[str, str], sources: Iterable[Source] = ()) -> Framework:
        """A copy with extra indicators (JSON bodies) and sources; the framework's own entries win.

        Extra entries are validated like the YAML ones; a broken one raises
        :class:`~sandyq.errors.FrameworkError` naming its id.
        """
        problems: list[Problem] = []
        new_sources = dict(self.sources)
        for src in sources:
            new_sources.setdefault(src.id, src)
        new_inds = dict(self.indicators)
        for ind_id, body in bodies.items():
            if ind_id in new_inds:
                continue
            try:
                ind = Indicator.model_validate_json(body)
            except ValidationError as exc:
                problems += [
                    Problem("store", e["msg"], path=f"indicator {ind_id}." + _loc(e["loc"])) for e in exc.errors()
                ]
                continue
            if ind.source not in new_sources:
                problems.append(Problem("store", f"unknown source {ind.source!r}", path=f"indicator {ind_id}.source"))
                continue
            new_inds[ind_id] = ind
        if problems:
            raise FrameworkError("indicator metadata kept in the store is invalid", problems)
        return Framework(
            dict(self.programmes),
            new_inds,
            new_sources,
            dict(self.glossary),
            self.geography,
            dict(self.rules),
            dict(self.rule_origins),
        )

    def source(self, source_id: str) -> Source:
        try:
            return self.sources[source_id]
        except KeyError:
            raise NotFoundError(f"unknown source {source_id!r}") from None


def _loc(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _validate(model: type[M], data: Any, path: Path, prefix: str, problems: list[Problem]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = _loc((prefix, *err["loc"]) if prefix else err["loc"])
            problems.append(Problem(str(path), err["msg"], path=loc or None))
        return None


def _read_list(model: type[M], path: Path, problems: list[Problem]) -> list[tuple[M, str]]:
    data = read_yaml(path, problems)
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(str(path), "expected a list of entries at the top level"))
        return []
    out = []
    for i, item in enumerate(data):
        obj = _validate(model, item, path, f"[{i}]", problems)
        if obj is not None:
            out.append((obj, f"[{i}]"))
    return out


def _add(
    kind: str, store: dict[str, Any], origin: dict[str, str], obj: Any, where: str, problems: list[Problem]
) -> None:
    if obj.id in store:
        problems.append(Problem(where, f"duplicate {kind} id {obj.id!r} (first defined in {origin[obj.id]})"))
        return
    store[obj.id] = obj
    origin[obj.id] = where


def load_framework(*folders: Path | str, include_default: bool = True) -> Framework:
    """Load and validate the framework from the bundled content and ``folders``.

    Raises :class:`~sandyq.errors.FrameworkError` naming every problem found.
    """
    paths = ([default_framework_path()] if include_default else []) + [Path(f) for f in folders]
    problems: list[Problem] = []
    fw = Framework()
    origin: dict[str, str] = {}
    for folder in paths:
        if not folder.is_dir():
            problems.append(Problem(str(folder), "framework folder does not exist"))
            continue
        lists = (("sources.yaml", "source", fw.sources), ("glossary.yaml", "glossary term", fw.glossary))
        for name, kind, target in lists:
            f = folder / name
            if f.exists():
                model: type[BaseModel] = Source if kind == "source" else GlossaryTerm
                for obj, loc in _read_list(model, f, problems):
                    _add(kind, target, origin, obj, f"{f} {loc}", problems)
        for f in sorted((folder / "indicators").glob("*.y*ml")):
            for obj, loc in _read_list(Indicator, f, problems):
                _add("indicator", fw.indicators, origin, obj, f"{f} {loc}", problems)
        for f in sorted((folder / "programmes").glob("*.y*ml")):
            data = read_yaml(f, problems)
            if data is None:
                continue
            prog = _validate(Programme, data, f, "", problems)
            if prog is not None:
                _add("programme", fw.programmes, origin, prog, str(f), problems)
        _read_rules(folder, fw, problems)
    problems += _check_references(fw, origin)
    problems += check_rules(fw.rules, fw.rule_origins, fw.indicators)
    problems += _check_rule_scopes(fw)
    if problems:
        raise FrameworkError(f"the framework is invalid ({len(problems)} problems); nothing was loaded", problems)
    return fw


def _read_rules(folder: Path, fw: Framework, problems: list[Problem]) -> None:
    """The declared validation rules of ``folder/rules/*.yaml`` (a rule id may be declared once)."""
    for f in sorted((folder / "rules").glob("*.y*ml")):
        for rule, where in read_rules(f, problems):
            if rule.id in fw.rules:
                first = fw.rule_origins[rule.id]
                message = f"duplicate rule id {rule.id!r} (first declared in {first})"
                problems.append(Problem(where.file, message, row=where.line))
                continue
            fw.rules[rule.id] = rule
            fw.rule_origins[rule.id] = where


def _check_rule_scopes(fw: Framework) -> list[Problem]:
    """Unknown geographies and sources in the scopes of rules, with the rule's file and line."""
    problems = []
    for rule_id, rule in fw.rules.items():
        where = fw.rule_origins[rule_id]
        unknown = [("geography", g, "scope.geos") for g in rule.scope.geos if fw.geography.resolve(g) is None]
        if rule.scope.source is not None and rule.scope.source not in fw.sources:
            unknown.append(("source", rule.scope.source, "scope.source"))
        for kind, ref, path in unknown:
            message = f"rule {rule_id!r}: unknown {kind} {ref!r}"
            problems.append(Problem(where.file, message, row=where.line_of(path), path=path))
    return problems


def _check_references(fw: Framework, origin: dict[str, str]) -> list[Problem]:
    """Every reference to an unknown source, indicator, glossary term or geography, and duplicate target ids."""
    check = _References(fw)
    for ind in fw.indicators.values():
        check.indicator(ind, origin[ind.id])
    for term in fw.glossary.values():
        check.need("source", term.citation.source, fw.sources, origin[term.id], f"{term.id}.citation.source")
    for prog in fw.programmes.values():
        check.programme(prog, origin[prog.id])
    for cycle in _formula_cycles(fw.indicators):
        path = " → ".join((*cycle, cycle[0]))
        check.problems.append(
            Problem(
                origin[cycle[0]],
                f"formulas form a cycle ({path}): each indicator would be computed from itself",
                path=f"{cycle[0]}.formula",
            )
        )
    return check.problems


def _formula_cycles(indicators: Mapping[str, Indicator]) -> list[tuple[str, ...]]:
    """Every cycle of derived indicators (``A = B/C``, ``B = A×2``), each once, starting at its smallest id.

    A derived indicator is computed from its formula's inputs on read, so a
    cycle would never end.

    >>> from sandyq.framework import Formula, Text
    >>> def ind(i, num, den):
    ...     formula = Formula(numerator=num, denominator=den)
    ...     return Indicator(id=i, name=Text(kk=i, ru=i, en=i), unit="NUMBER", source="s", formula=formula)
    >>> _formula_cycles({"A": ind("A", "B", "C"), "B": ind("B", "A", "C")})
    [('A', 'B')]
    """
    edges = {
        i: [x for x in (ind.formula.numerator, ind.formula.denominator) if x in indicators]
        for i, ind in indicators.items()
        if ind.formula is not None
    }
    cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path: list[str] = [start]
        state[start] = 1
        stack = [iter(edges.get(start, []))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                k = cycle.index(min(cycle))
                cycles.add(tuple(cycle[k:] + cycle[:k]))
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(edges.get(nxt, [])))
    return sorted(cycles)


@dataclass
class _References:
    """The reference checks of one framework, one method per kind of object, collecting problems in order."""

    fw: Framework
    problems: list[Problem] = field(default_factory=list)
    target_ids: dict[str, str] = field(default_factory=dict)  # target id → file, across programmes

    def need(self, kind: str, ref: str, known: Mapping[str, Any] | set[str], file: str, path: str) -> None:
        """A problem if ``ref`` is not among ``known``."""
        if ref not in known:
            self.problems.append(Problem(file, f"unknown {kind} {ref!r}", path=path))

    def indicator(self, ind: Indicator, file: str) -> None:
        """An indicator's source, glossary tags and formula inputs."""
        fw = self.fw
        self.need("source", ind.source, fw.sources, file, f"{ind.id}.source")
        for j, tag in enumerate(ind.tags):
            self.need("glossary tag", tag, fw.glossary, file, f"{ind.id}.tags[{j}]")
        if ind.formula:
            self.need("indicator", ind.formula.numerator, fw.indicators, file, f"{ind.id}.formula.numerator")
            self.need("indicator", ind.formula.denominator, fw.indicators, file, f"{ind.id}.formula.denominator")

    def programme(self, prog: Programme, file: str) -> None:
        """A programme's citations and every task of its directions."""
        if prog.citation:
            self.need("source", prog.citation.source, self.fw.sources, file, "citation.source")
        if prog.superseded_by is not None:
            self.need("programme", prog.superseded_by, self.fw.programmes, file, "superseded_by")
        for k, fact in enumerate(prog.facts):
            self.need("source", fact.citation.source, self.fw.sources, file, f"facts[{k}].citation.source")
        measures: set[str] = set()
        for d, direction in enumerate(prog.directions):
            for t, task in enumerate(direction.tasks):
                self.task(task, file, f"directions[{d}].tasks[{t}]")
                for e, event in enumerate(task.events):  # a measure is reported by programme and id: one id each
                    if event.id in measures:
                        path = f"directions[{d}].tasks[{t}].events[{e}].id"
                        self.problems.append(
                            Problem(file, f"duplicate event id {event.id!r} in the programme", path=path)
                        )
                    measures.add(event.id)

    def task(self, task: Task, file: str, base: str) -> None:
        """A task's indicators, targets, risks and events."""
        fw = self.fw
        for j, ref in enumerate(task.indicators):
            self.need("indicator", ref, fw.indicators, file, f"{base}.indicators[{j}]")
        for g, target in enumerate(task.targets):
            self.target(target, file, f"{base}.targets[{g}]")
        for r, risk in enumerate(task.risks):
            for j, ref in enumerate(risk.indicators):
                self.need("indicator", ref, fw.indicators, file, f"{base}.risks[{r}].indicators[{j}]")
            if risk.citation:
                self.need("source", risk.citation.source, fw.sources, file, f"{base}.risks[{r}].citation.source")
        for e, event in enumerate(task.events):
            if event.citation:
                self.need("source", event.citation.source, fw.sources, file, f"{base}.events[{e}].citation.source")
            if event.agency is not None:
                self.need("agency (a source id)", event.agency, fw.sources, file, f"{base}.events[{e}].agency")

    def target(self, target: Target, file: str, path: str) -> None:
        """A target's indicator, source and geography, and that its id is not used before."""
        self.need("indicator", target.indicator, self.fw.indicators, file, f"{path}.indicator")
        self.need("source", target.citation.source, self.fw.sources, file, f"{path}.citation.source")
        if target.source is not None:
            self.need("source", target.source, self.fw.sources, file, f"{path}.source")
        for k, ref in enumerate(target.references):
            self.need("source", ref.source, self.fw.sources, file, f"{path}.references[{k}].source")
        if self.fw.geography.resolve(target.geo) is None:
            self.problems.append(Problem(file, f"unknown geography {target.geo!r}", path=f"{path}.geo"))
        if target.id in self.target_ids:
            self.problems.append(Problem(file, f"duplicate target id {target.id!r}", path=f"{path}.id"))
        self.target_ids[target.id] = file
