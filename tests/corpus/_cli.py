"""Cases of the command line: every command with bad options (dates, formats, ids, numbers, files, ``--runs``).

A refusal is an exit status other than 0, no traceback, and a message naming the option, value or file; the
store (a scratch copy of a small real store) is unchanged.  Commands that would reach the network run with
``--offline`` and an empty cache, behind a proxy that goes nowhere.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ._framework import IND_FILE, PROG_FILE, mini_framework, write_folder
from ._framework import duplicate_key as _duplicate_key
from ._model import Case, CliCall, Either, Expectation, Loads, Refused
from ._opensdg import mini as mini_open_sdg
from ._sources import tables

__all__ = ["CLI_FAMILY", "cli_cases"]

CLI_FAMILY = "cli"
ASEM = Path(__file__).resolve().parents[2] / "examples" / "coinr-asem" / "asem.yaml"
Setup = Callable[[Path], None]


def _refused(*names: str) -> Refused:
    return Refused("SandyqError", names=names)


def _either(*names: str) -> Either:
    """Refused naming ``names``, or accepted (exit status 0): a fix may go either way."""
    return Either(_refused(*names), Loads())


def _seed(folder: Path) -> None:
    t = tables()["seed000"]
    (folder / "seed000.csv").write_bytes(t.csv())


def _sdg(folder: Path) -> None:
    t = tables()["sdg-17-8-1"]
    (folder / t.name).write_bytes(t.csv())


def _bad_geo(folder: Path) -> None:
    t = tables()["seed000"]
    rows = [list(r) for r in t.rows]
    rows[1][t.col("REF_AREA")] = "ZZZ"
    (folder / "bad.csv").write_bytes(t.with_rows(rows).csv())


def _unbounded_1e308(folder: Path) -> None:
    t = tables()["bns"]
    rows = [list(r) for r in t.rows]
    rows[0][t.col("value")] = "1e308"
    (folder / "huge.csv").write_bytes(t.with_rows(rows).csv())


def _truncated_store(folder: Path) -> None:
    (folder / "trunc.duckdb").write_bytes((folder / "scratch.duckdb").read_bytes()[:3000])


def _foreign_store(folder: Path) -> None:
    (folder / "foreign.duckdb").write_bytes(tables()["seed000"].csv())


def _framework(edit: Callable[[dict], None] | None = None, texts: Callable[[dict], dict] | None = None) -> Setup:
    def setup(folder: Path) -> None:
        import copy

        data = copy.deepcopy(mini_framework())
        if edit:
            edit(data)
        root = write_folder(folder, data, texts(data) if texts else None)
        root.rename(folder / "fw")

    return setup


def _target(key: str, value: object) -> Callable[[dict], None]:
    return lambda d: d[PROG_FILE]["directions"][0]["tasks"][0]["targets"][0].__setitem__(key, value)


def _spec(text: str) -> Setup:
    def setup(folder: Path) -> None:
        (folder / "spec.yaml").write_text(text, encoding="utf-8")

    return setup


def _file(name: str, data: bytes = b"x") -> Setup:
    def setup(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return setup


def _folder(name: str) -> Setup:
    return lambda folder: (folder / name).mkdir()


def _open_sdg(folder: Path) -> None:
    mini_open_sdg(folder)


ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 10)}]\n" for k in range(8)
)
_OFF = ("--offline", "--cache", "{dir}/cache")
_DB = ("--db", "{db}")
_Spec = tuple[str, tuple[str, ...], Expectation, Setup | None]
_CASES: tuple[_Spec, ...] = (
    # global options and the store file
    ("global/language-unknown", ("--language", "xx", *_DB, "overview"), _refused("--language"), None),
    ("global/db-in-missing-folder", ("--db", "{dir}/missing/x.duckdb", "overview"), _refused("missing"), None),
    (
        "global/db-truncated",
        ("--db", "{dir}/trunc.duckdb", "show", "17-8-1"),
        _refused("trunc.duckdb"),
        _truncated_store,
    ),
    (
        "global/db-foreign-file",
        ("--db", "{dir}/foreign.duckdb", "show", "17-8-1"),
        _refused("foreign.duckdb"),
        _foreign_store,
    ),
    (
        "global/db-empty-file",
        ("--db", "{dir}/empty.duckdb", "show", "17-8-1"),
        _refused("empty.duckdb"),
        _file("empty.duckdb", b""),
    ),
    ("global/db-is-a-folder", ("--db", "{dir}/afolder", "show", "17-8-1"), _refused("afolder"), _folder("afolder")),
    ("global/unknown-command", (*_DB, "frobnicate"), _refused("frobnicate"), None),
    ("init/db-in-missing-folder", ("--db", "{dir}/nofolder/x.duckdb", "init"), _refused("nofolder"), None),
    ("init/db-foreign-file", ("--db", "{dir}/foreign.duckdb", "init"), _refused("foreign.duckdb"), _foreign_store),
    # load
    ("load/missing-file", (*_DB, "load", "{dir}/missing.csv"), _refused("missing.csv"), None),
    ("load/no-argument", (*_DB, "load"), _refused("FILE"), None),
    ("load/unknown-option", (*_DB, "load", "{dir}/seed000.csv", "--colour", "red"), _refused("--colour"), _seed),
    (
        "load/format-wide-years-on-tidy",
        (*_DB, "load", "{dir}/seed000.csv", "--format", "wide-years"),
        _refused("seed000.csv"),
        _seed,
    ),
    ("load/format-unknown", (*_DB, "load", "{dir}/seed000.csv", "--format", "bogus"), _refused("bogus"), _seed),
    (
        "load/vintage-month-13",
        (*_DB, "load", "{dir}/seed000.csv", "--vintage", "2024-13-45"),
        _refused("2024-13-45"),
        _seed,
    ),
    ("load/vintage-words", (*_DB, "load", "{dir}/seed000.csv", "--vintage", "yesterday"), _refused("yesterday"), _seed),
    (
        "load/vintage-fullwidth",
        (*_DB, "load", "{dir}/seed000.csv", "--vintage", "２０２４-０１-０１"),
        _either("２０２４"),
        _seed,
    ),
    ("load/duplicates-unknown", (*_DB, "load", "{dir}/seed000.csv", "--duplicates", "maybe"), _refused("maybe"), _seed),
    (
        "load/out-of-range-unknown",
        (*_DB, "load", "{dir}/seed000.csv", "--out-of-range", "clip"),
        _refused("clip"),
        _seed,
    ),
    (
        "load/encoding-unknown",
        (*_DB, "load", "{dir}/seed000.csv", "--encoding", "klingon-8"),
        _refused("klingon-8"),
        _seed,
    ),
    ("load/sheet-on-a-csv", (*_DB, "load", "{dir}/seed000.csv", "--sheet", "3"), _either("--sheet"), _seed),
    (
        "load/default-geo-unknown",
        (*_DB, "load", "{dir}/indicator_17-8-1.csv", "--source", "kz-sdg", "--default-geo", "XX"),
        _refused("XX"),
        _sdg,
    ),
    ("load/source-unknown", (*_DB, "load", "{dir}/seed000.csv", "--source", "nope"), _refused("nope"), _seed),
    (
        "load/indicator-unknown",
        (*_DB, "load", "{dir}/indicator_17-8-1.csv", "--default-geo", "KAZ", "--indicator", "nope.x"),
        _refused("nope.x"),
        _sdg,
    ),
    ("load/open-sdg-without-source", (*_DB, "load", "{dir}/open-sdg"), _refused("--source"), _open_sdg),
    ("load/empty-folder", (*_DB, "load", "{dir}/empty", "--source", "kz-sdg"), _refused("empty"), _folder("empty")),
    ("load/bad-cell-named", (*_DB, "load", "{dir}/bad.csv"), _refused("bad.csv", "row 3", "REF_AREA", "ZZZ"), _bad_geo),
    (
        "load/value-1e308-unbounded-unit",
        (*_DB, "load", "{dir}/huge.csv", "--source", "kz-bns", "--default-geo", "KAZ"),
        _refused("huge.csv", "1e308"),
        _unbounded_1e308,
    ),
    # indicators, show
    ("indicators/programme-unknown", (*_DB, "indicators", "--programme", "nope"), _refused("nope"), None),
    ("indicators/format-unknown", (*_DB, "indicators", "--format", "yaml"), _refused("--format"), None),
    ("show/indicator-unknown", (*_DB, "show", "nope.x"), _refused("nope.x"), None),
    ("show/indicator-with-escape-codes", (*_DB, "show", "17-8-1\x1b[2J"), _refused("unknown indicator"), None),
    ("show/indicator-10000-chars", (*_DB, "show", "x" * 10_000), _refused("unknown indicator"), None),
    ("show/geo-unknown", (*_DB, "show", "17-8-1", "--geo", "XX"), _refused("XX"), None),
    ("show/as-of-february-30", (*_DB, "show", "17-8-1", "--as-of", "2024-02-30"), _refused("--as-of"), None),
    ("show/as-of-words", (*_DB, "show", "17-8-1", "--as-of", "tomorrow"), _refused("--as-of"), None),
    ("show/as-of-fullwidth", (*_DB, "show", "17-8-1", "--as-of", "２０２４-０１-０１"), _either("--as-of"), None),
    ("show/from-words", (*_DB, "show", "17-8-1", "--from", "abc"), _refused("--from"), None),
    ("show/from-huge", (*_DB, "show", "17-8-1", "--from", "99999999999999999999999"), _either("--from"), None),
    ("show/to-negative", (*_DB, "show", "17-8-1", "--to", "-5"), _either("--to"), None),
    ("show/format-unknown", (*_DB, "show", "17-8-1", "--format", "xml"), _refused("--format"), None),
    # validate
    ("validate/missing-path", (*_DB, "validate", "{dir}/missing"), _refused("missing"), None),
    (
        "validate/framework-unknown-indicator",
        (*_DB, "validate", "{dir}/fw", "--standalone"),
        _refused("mini.yaml", "no.such"),
        _framework(_target("indicator", "no.such")),
    ),
    (
        "validate/framework-duplicate-key",
        (*_DB, "validate", "{dir}/fw", "--standalone"),
        _refused("mini.yaml"),
        _framework(texts=_duplicate_key(IND_FILE, "unit:", "unit: PER_100")),
    ),
    (
        "validate/framework-target-nan",
        (*_DB, "validate", "{dir}/fw", "--standalone"),
        _refused("mini.yaml", "value"),
        _framework(_target("value", float("nan"))),
    ),
    (
        "validate/framework-alias-bomb",
        (*_DB, "validate", "{dir}/fw", "--standalone"),
        _refused("mini.yaml"),
        _framework(texts=lambda d: {IND_FILE: ALIAS_BOMB + "x: *i\n"}),
    ),
    ("validate/format-unknown", (*_DB, "validate", "{dir}/seed000.csv", "--format", "bogus"), _refused("bogus"), _seed),
    (
        "validate/bad-cell-named",
        (*_DB, "validate", "{dir}/bad.csv"),
        _refused("bad.csv", "row 3", "REF_AREA"),
        _bad_geo,
    ),
    # overview, progress, assess, backtest
    ("overview/programme-unknown", (*_DB, "overview", "--programme", "nope"), _refused("nope"), None),
    ("progress/programme-unknown", (*_DB, "progress", "--programme", "nope"), _refused("nope"), None),
    ("progress/as-of-february-30", (*_DB, "progress", "--as-of", "2024-02-30"), _refused("2024-02-30"), None),
    ("progress/format-unknown", (*_DB, "progress", "--format", "yaml"), _refused("--format"), None),
    ("assess/values-garbage", ("assess", "--values", "garbage"), _refused("garbage"), None),
    ("assess/values-not-a-number", ("assess", "--values", "2004:abc,2016:17"), _refused("abc"), None),
    ("assess/values-empty", ("assess", "--values", ""), _refused("values"), None),
    ("assess/values-infinite", ("assess", "--values", "2004:1e308,2016:inf"), _refused("inf"), None),
    ("assess/values-nan", ("assess", "--values", "2004:nan,2016:17"), _refused("nan"), None),
    ("assess/values-same-year-twice", ("assess", "--values", "2004:8.5,2004:9,2016:17"), _refused("2004"), None),
    ("assess/values-fullwidth", ("assess", "--values", "２００４:８.５,２０１６:１７"), _either("values"), None),
    (
        "assess/target-without-year",
        ("assess", "--values", "2004:8.5,2016:17", "--target", "50"),
        _refused("--target-year"),
        None,
    ),
    (
        "assess/target-nan",
        ("assess", "--values", "2004:8.5,2016:17", "--target", "nan", "--target-year", "2030"),
        _refused("--target"),
        None,
    ),
    (
        "assess/target-infinite",
        ("assess", "--values", "2004:8.5,2016:17", "--target", "inf", "--target-year", "2030"),
        _refused("--target"),
        None,
    ),
    (
        "assess/target-year-negative",
        ("assess", "--values", "2004:8.5,2016:17", "--target", "50", "--target-year", "-5"),
        _refused("--target-year"),
        None,
    ),
    (
        "assess/target-year-huge",
        ("assess", "--values", "2004:8.5,2016:17", "--target", "50", "--target-year", "99999999999"),
        _refused("--target-year"),
        None,
    ),
    ("assess/polarity-unknown", ("assess", "--values", "2004:8.5,2016:17", "--polarity", "up"), _refused("up"), None),
    ("assess/kind-unknown", ("assess", "--values", "2004:8.5,2016:17", "--kind", "vibes"), _refused("vibes"), None),
    ("assess/unit-unknown", ("assess", "--values", "2004:8.5,2016:17", "--unit", "FURLONG"), _refused("FURLONG"), None),
    ("assess/format-csv", ("assess", "--values", "2004:8.5,2016:17", "--format", "csv"), _refused("--format"), None),
    ("backtest/format-unknown", (*_DB, "backtest", "--format", "xml"), _refused("--format"), None),
    # table, audit, regions, relate
    ("table/name-unknown", (*_DB, "table", "table9"), _refused("table9"), None),
    ("table/xlsx-without-output", (*_DB, "table", "2", "--format", "xlsx"), _refused("--output"), None),
    ("table/format-unknown", (*_DB, "table", "2", "--format", "pdf"), _refused("--format"), None),
    (
        "table/output-in-missing-folder",
        (*_DB, "table", "2", "--output", "{dir}/nofolder/t.csv", "--format", "csv"),
        _refused("nofolder"),
        None,
    ),
    ("audit/severity-unknown", (*_DB, "audit", "--severity", "loud"), _refused("loud"), None),
    ("audit/tolerance-above-1", (*_DB, "audit", "--tolerance", "5"), _refused("--tolerance"), None),
    ("audit/tolerance-nan", (*_DB, "audit", "--tolerance", "nan"), _refused("--tolerance"), None),
    ("audit/tolerance-negative", (*_DB, "audit", "--tolerance", "-0.1"), _refused("--tolerance"), None),
    ("audit/source-unknown", (*_DB, "audit", "--source", "nope"), _refused("nope"), None),
    ("audit/as-of-february-30", (*_DB, "audit", "--as-of", "2024-02-30"), _refused("2024-02-30"), None),
    ("audit/fail-on-unknown", (*_DB, "audit", "--fail-on", "sometimes"), _refused("--fail-on"), None),
    ("audit/rule-unknown", (*_DB, "audit", "--rule", "nonsense"), _refused("nonsense"), None),
    ("audit/indicator-unknown", (*_DB, "audit", "--indicator", "nope.x"), _refused("nope.x"), None),
    ("audit/geo-unknown", (*_DB, "audit", "--geo", "XX"), _refused("XX"), None),
    ("audit/format-unknown", (*_DB, "audit", "--format", "xml"), _refused("--format"), None),
    ("regions/indicator-unknown", (*_DB, "regions", "nope.x"), _refused("nope.x"), None),
    ("regions/year-without-data", (*_DB, "regions", "17-8-1", "--year", "1800"), _refused("1800"), None),
    ("regions/country-unknown", (*_DB, "regions", "17-8-1", "--country", "XX"), _refused("XX"), None),
    ("regions/dims-malformed", (*_DB, "regions", "17-8-1", "--dims", "sex=F;=x"), _refused("dims"), None),
    ("regions/source-unknown", (*_DB, "regions", "17-8-1", "--source", "nope"), _refused("nope"), None),
    ("regions/format-unknown", (*_DB, "regions", "17-8-1", "--format", "xml"), _refused("--format"), None),
    ("relate/indicator-unknown", (*_DB, "relate", "nope.x", "17-8-1"), _refused("nope.x"), None),
    (
        "relate/time-with-two-geos",
        (*_DB, "relate", "17-8-1", "4-4-1-1", "--mode", "time", "--geo", "KAZ", "--geo", "KZ-71"),
        _refused("--geo"),
        None,
    ),
    (
        "relate/cross-section-without-year",
        (*_DB, "relate", "17-8-1", "4-4-1-1", "--mode", "cross-section"),
        _refused("--year"),
        None,
    ),
    ("relate/geo-unknown", (*_DB, "relate", "17-8-1", "4-4-1-1", "--geo", "XX"), _refused("XX"), None),
    ("relate/mode-unknown", (*_DB, "relate", "17-8-1", "4-4-1-1", "--mode", "sideways"), _refused("--mode"), None),
    # export
    ("export/format-unknown", (*_DB, "export", "--format", "bad"), _refused("--format"), None),
    ("export/xlsx-without-output", (*_DB, "export", "--format", "xlsx"), _refused("--output"), None),
    ("export/as-of-february-30", (*_DB, "export", "--as-of", "2024-02-30"), _refused("--as-of"), None),
    ("export/indicator-unknown", (*_DB, "export", "--indicator", "nope.x"), _refused("nope.x"), None),
    ("export/geo-unknown", (*_DB, "export", "--geo", "XX"), _refused("XX"), None),
    ("export/source-unknown", (*_DB, "export", "--source", "nope"), _refused("nope"), None),
    (
        "export/sdmx-version-unknown",
        (*_DB, "export", "--format", "sdmx-csv", "--sdmx-version", "3.0", "--output", "{dir}/x.csv"),
        _refused("3.0"),
        None,
    ),
    (
        "export/output-in-missing-folder",
        (*_DB, "export", "--format", "xlsx", "--output", "{dir}/nofolder/x.xlsx"),
        _refused("nofolder"),
        None,
    ),
    (
        "export/datapackage-onto-a-file",
        (*_DB, "export", "--format", "datapackage", "--output", "{dir}/afile.txt"),
        _refused("afile.txt"),
        _file("afile.txt"),
    ),
    # serve, build-site (every case fails before a server would start)
    ("serve/port-zero", (*_DB, "serve", "--port", "0"), _refused("port"), None),
    ("serve/port-too-large", (*_DB, "serve", "--port", "70000"), _refused("70000"), None),
    ("serve/port-words", (*_DB, "serve", "--port", "abc"), _refused("--port"), None),
    ("serve/port-negative", (*_DB, "serve", "--port", "-1"), _refused("port"), None),
    ("build-site/onto-a-file", (*_DB, "build-site", "{dir}/afile.txt"), _refused("afile.txt"), _file("afile.txt")),
    (
        "build-site/store-missing",
        ("--db", "{dir}/missing.duckdb", "build-site", "{dir}/site"),
        _refused("missing.duckdb"),
        None,
    ),
    # index
    ("index/spec-unknown", (*_DB, "index", "build", "nope-spec"), _refused("nope-spec"), None),
    (
        "index/spec-invalid-yaml",
        (*_DB, "index", "build", "{dir}/spec.yaml"),
        _refused("spec.yaml"),
        _spec("name: [unclosed\n"),
    ),
    ("index/spec-a-list", (*_DB, "index", "build", "{dir}/spec.yaml"), _refused("spec.yaml"), _spec("- a\n- b\n")),
    (
        "index/spec-alias-bomb",
        (*_DB, "index", "build", "{dir}/spec.yaml"),
        _refused("spec.yaml"),
        _spec(ALIAS_BOMB + "name: *i\n"),
    ),
    ("index/year-without-data", (*_DB, "index", "build", str(ASEM), "--year", "1800"), _refused("1800"), None),
    (
        "index/format-unknown",
        (*_DB, "index", "build", "digital-development", "--format", "xml"),
        _refused("--format"),
        None,
    ),
    ("index/audit-spec-unknown", (*_DB, "index", "audit", "nope-spec"), _refused("nope-spec"), None),
    ("index/runs-zero", (*_DB, "index", "uncertainty", str(ASEM), "--runs", "0"), _refused("runs"), None),
    ("index/runs-negative", (*_DB, "index", "uncertainty", str(ASEM), "--runs", "-5"), _refused("runs"), None),
    (
        "index/seed-negative",
        (*_DB, "index", "uncertainty", str(ASEM), "--runs", "10", "--seed", "-1"),
        _either("--seed"),
        None,
    ),
    (
        "index/runs-beyond-int64",
        (*_DB, "index", "uncertainty", str(ASEM), "--runs", "99999999999999999999"),
        _either("--runs"),
        None,
    ),
    ("index/runs-one-billion", (*_DB, "index", "uncertainty", str(ASEM), "--runs", "1000000000"), Loads(), None),
    # fetch (offline, empty cache)
    ("fetch/wdi-offline-empty-cache", (*_DB, "fetch", "wdi", "IT.NET.USER.ZS", *_OFF), _refused("offline"), None),
    (
        "fetch/wdi-refresh-and-offline",
        (*_DB, "fetch", "wdi", "IT.NET.USER.ZS", "--refresh", *_OFF),
        _refused("--refresh"),
        None,
    ),
    ("fetch/wdi-code-unknown", (*_DB, "fetch", "wdi", "NOT.A.CODE", *_OFF), _refused("NOT.A.CODE"), None),
    (
        "fetch/wdi-country-unknown",
        (*_DB, "fetch", "wdi", "IT.NET.USER.ZS", "--countries", "XX", *_OFF),
        _refused("XX"),
        None,
    ),
    (
        "fetch/wdi-from-words",
        (*_DB, "fetch", "wdi", "IT.NET.USER.ZS", "--from", "abc", *_OFF),
        _refused("--from"),
        None,
    ),
    ("fetch/taldau-id-words", (*_DB, "fetch", "taldau", "abc", *_OFF), _refused("index_ids"), None),
    (
        "fetch/taldau-period-unknown",
        (*_DB, "fetch", "taldau", "703651", "--period", "decade", *_OFF),
        _refused("decade"),
        None,
    ),
    (
        "fetch/taldau-indicator-for-two",
        (*_DB, "fetch", "taldau", "703651", "19096214", "--indicator", "x", *_OFF),
        _refused("--indicator"),
        None,
    ),
)
#: Cases run in a forked process: (memory budget in bytes, seconds, still running at the limit is fine).
_ISOLATED: dict[str, tuple[int, float, bool]] = {
    "index/runs-one-billion": (2 << 30, 8.0, True),
    "index/runs-beyond-int64": (2 << 30, 8.0, True),
    "index/spec-alias-bomb": (1 << 30, 20.0, False),
    "validate/framework-alias-bomb": (1 << 30, 20.0, False),
}


def _case(name: str, args: tuple[str, ...], expect: Expectation, setup: Setup | None) -> Case:
    def make(folder: Path) -> CliCall:
        shutil.rmtree(folder / "cache", ignore_errors=True)
        (folder / "cache").mkdir()
        if setup is not None:
            setup(folder)
        return CliCall(args)

    memory, seconds, bounded = _ISOLATED.get(name, (None, 20.0, False))
    return Case(f"{CLI_FAMILY}/{name}", make, expect, isolate=memory, seconds=seconds, bounded=bounded)


def cli_cases() -> list[Case]:
    """Every command-line case."""
    return [_case(*spec) for spec in _CASES]
