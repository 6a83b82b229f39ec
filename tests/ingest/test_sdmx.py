"""SDMX-CSV 1.0/2.0 and SDMX-ML: an export loaded back gives the same observations; bad files load nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sdmx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sandyq
from sandyq import load_file
from sandyq.errors import LoadError
from sandyq.framework import Framework, dims_key
from sandyq.ingest import read_sdmx, sdmx_version
from sandyq.outputs.export import build_structure, select, write
from sandyq.store import STAGED_COLUMNS, Store

KEY = ["indicator", "geo", "period", "dims", "source"]
COMPARED = [*KEY, "value", "unit", "status", "note"]

# indicator -> (unit, largest value the unit allows in this test)
INDICATORS = {
    "17-8-1": ("PT", 100.0),
    "IT.CEL.SETS.P2": ("PER_100", 250.0),
    "ict_specialists": ("PERSONS", 1e7),
    "EGDI": ("INDEX_0_1", 1.0),
    "kz.ict_costs": (None, 1e9),
}
NOTE_CHARS = st.characters(whitelist_categories=("L", "N", "P", "Zs"), max_codepoint=0x4FF)


@st.composite
def observations(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        ind = draw(st.sampled_from(sorted(INDICATORS)))
        year = draw(st.integers(1995, 2030))
        period = draw(
            st.sampled_from([f"{year}", f"{year}-Q{draw(st.integers(1, 4))}", f"{year}-{draw(st.integers(1, 12)):02d}"])
        )
        dims = {
            k: draw(st.sampled_from(["", *vals]))
            for k, vals in (("sex", ["F", "M"]), ("urbanisation", ["U", "R"]), ("series", ["SE_ACS_INTNT", "_L_KZ_1A"]))
        }
        note = draw(st.one_of(st.none(), st.text(NOTE_CHARS, min_size=1, max_size=30).map(str.strip)))
        rows.append(
            {
                "indicator": ind,
                "geo": draw(st.sampled_from(["KAZ", "KZ-71", "KZ-YUZ", "KZ-10", "UZB", "WLD"])),
                "period": period,
                "dims": dims_key(dims),
                "source": draw(st.sampled_from(["kz-sdg", "wdi", "kz-bns"])),
                "value": draw(st.floats(0.0, INDICATORS[ind][1], allow_nan=False, allow_infinity=False)),
                "status": draw(st.sampled_from([None, "E", "P", "B", "F", "I"])),
                "note": note or None,
            }
        )
    frame = pd.DataFrame(rows).drop_duplicates(KEY)
    return frame


def _stored(store: Store) -> pd.DataFrame:
    return _norm(store.observations(dims=None))


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[COMPARED].astype({"value": "float64"}).astype({c: "object" for c in COMPARED if c != "value"})
    out = out.where(out.notna(), None)
    return out.sort_values(KEY).reset_index(drop=True)


@pytest.mark.parametrize(("fmt", "version"), [("sdmx-csv", "1.0"), ("sdmx-csv", "2.0"), ("sdmx-ml", "")])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=observations())
def test_export_read_back_gives_the_same_observations(
    framework: Framework, tmp_path: Path, fmt: str, version: str, frame: pd.DataFrame
) -> None:
    frame = frame.assign(unit=frame["indicator"].map(lambda i: framework.indicator(i).unit))
    with sandyq.Monitor(Store(), framework) as m:
        m.store.load_frame(frame[list(STAGED_COLUMNS)], file="generated", format="tidy", vintage="2024-10-24")
        path = tmp_path / f"round.{'xml' if fmt == 'sdmx-ml' else 'csv'}"
        write(select(m), path, fmt, sdmx_version=version or "2.0")
        assert sdmx_version(path) == (version or "ml")
        batch = read_sdmx(path, framework)
        assert batch.format == (f"sdmx-csv-{version}" if version else "sdmx-ml")
        pd.testing.assert_frame_equal(_norm(batch.staged), _stored(m.store))
        pd.testing.assert_frame_equal(_norm(batch.staged), _norm(frame))


@pytest.mark.parametrize(("fmt", "name"), [("sdmx-csv", "kz.csv"), ("sdmx-ml", "kz.xml")])
def test_export_loaded_into_a_store(framework: Framework, tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / name
    with _sample(framework) as m:
        write(select(m), path, fmt)
        (again,) = load_file(m.store, path, framework, vintage="2024-10-24")
        assert again.unchanged == 3  # nothing new
        before = _stored(m.store)
    fresh = Store()
    (report,) = load_file(fresh, path, framework, vintage="2025-01-01")
    assert report.added == 3 and fresh.loads()["format"].tolist() == ["sdmx-ml" if fmt == "sdmx-ml" else "sdmx-csv-2.0"]
    pd.testing.assert_frame_equal(_stored(fresh), before)


def _sample(framework: Framework) -> sandyq.Monitor:
    m = sandyq.Monitor(Store(), framework)
    rows = pd.DataFrame(
        {
            "indicator": ["17-8-1", "17-8-1", "5-b-1"],
            "geo": ["KZ-71", "KAZ", "KAZ"],
            "period": ["2023", "2023", "2023"],
            "dims": ["", "sex=F", "sex=F"],
            "source": "kz-sdg",
            "value": [97.4, 94.3, 92.2],
            "unit": "PT",
            "status": None,
            "note": None,
        }
    )
    m.store.load_frame(rows, file="t", format="tidy", vintage="2024-10-24")
    return m


def test_sdmx1_reads_the_export_with_its_structure(framework: Framework, tmp_path: Path) -> None:
    with _sample(framework) as m:
        sel = select(m)
        write(sel, tmp_path / "kz.csv", "sdmx-csv")
        flow = build_structure(sel).dataflow
    assert (tmp_path / "kz.structure.xml").exists()
    msg = sdmx.read_sdmx(tmp_path / "kz.csv", structure=flow)
    assert isinstance(msg, sdmx.message.DataMessage)
    obs = {
        (o.key["INDICATOR"].value, o.key["REF_AREA"].value, o.key["SEX"].value): float(o.value) for o in msg.data[0].obs
    }
    assert obs == {("17-8-1", "KZ-71", "_T"): 97.4, ("17-8-1", "KAZ", "F"): 94.3, ("5-b-1", "KAZ", "F"): 92.2}
    structure = sdmx.read_sdmx(tmp_path / "kz.structure.xml")
    assert isinstance(structure, sdmx.message.StructureMessage)
    astana = structure.codelist["CL_REF_AREA"]["KZ-71"]
    assert {lang: str(astana.name.localizations[lang]) for lang in ("kk", "ru", "en")} == {
        "kk": framework.geography.name("KZ-71", "kk"),
        "ru": "г. Астана",
        "en": "Astana",
    }


HEAD1 = "DATAFLOW,INDICATOR,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS"
HEAD2 = "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE"
GOOD1 = "SANDYQ:DF_SANDYQ(1.0),17-8-1,KZ-71,_T,2023,97.4,PT,"
GOOD2 = "dataflow,SANDYQ:DF_SANDYQ(1.0),I,17-8-1,KZ-71,2023,97.4,PT"

# (name, file name, text, expected row, column, words of the message)
BAD = [
    (
        "not SDMX-CSV",
        "a.csv",
        "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n17-8-1,KZ-71,2023,97.4\n",
        1,
        "INDICATOR",
        "first column must be DATAFLOW",
    ),
    (
        "2.0 without STRUCTURE_ID",
        "a.csv",
        "STRUCTURE,ID,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n",
        1,
        "ID",
        "second column must be STRUCTURE_ID",
    ),
    ("ragged row", "a.csv", f"{HEAD1}\n{GOOD1}\n{GOOD1},extra,cells\n", None, None, "malformed CSV"),
    (
        "delete action",
        "a.csv",
        f"{HEAD2}\n{GOOD2}\n{GOOD2.replace(',I,', ',D,')}\n",
        3,
        "ACTION",
        "ACTION D (delete) is not supported",
    ),
    ("unknown action", "a.csv", f"{HEAD2}\n{GOOD2.replace(',I,', ',Q,')}\n", 2, "ACTION", "unknown ACTION 'Q'"),
    (
        "bad STRUCTURE",
        "a.csv",
        f"{HEAD2}\n{GOOD2.replace('dataflow', 'table')}\n",
        2,
        "STRUCTURE",
        "STRUCTURE must be dataflow",
    ),
    ("unit multiplier", "a.csv", f"{HEAD1},UNIT_MULT\n{GOOD1},3\n", 2, "UNIT_MULT", "UNIT_MULT '3' is not supported"),
    (
        "unknown area",
        "a.csv",
        f"{HEAD1}\n{GOOD1.replace('KZ-71', 'KZ-99')}\n",
        2,
        "REF_AREA",
        "unknown geography code 'KZ-99'",
    ),
    ("not a number", "a.csv", f"{HEAD1}\n{GOOD1.replace('97.4', 'n/a')}\n", 2, "OBS_VALUE", "not a number"),
    (
        "no TIME_PERIOD",
        "a.csv",
        "DATAFLOW,INDICATOR,REF_AREA,OBS_VALUE\nX,17-8-1,KZ-71,97.4\n",
        1,
        "TIME_PERIOD",
        "missing required column",
    ),
    (
        "broken XML",
        "a.xml",
        '<?xml version="1.0"?>\n<mes:StructureSpecificData xmlns:mes="urn:x">\n<Obs A="1">\n',
        None,
        None,
        "malformed XML",
    ),
    (
        "structure, not data",
        "a.xml",
        '<?xml version="1.0"?>\n<mes:Structure xmlns:mes="urn:x"/>\n',
        2,
        None,
        "not an SDMX-ML data message",
    ),
]


@pytest.mark.parametrize(("name", "file", "text", "row", "column", "message"), BAD, ids=[b[0] for b in BAD])
def test_malformed_file_is_refused_and_nothing_loaded(
    store: Store,
    framework: Framework,
    tmp_path: Path,
    name: str,
    file: str,
    text: str,
    row: int | None,
    column: str | None,
    message: str,
) -> None:
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework, format="sdmx-ml" if file.endswith(".xml") else "sdmx-csv")
    assert any(message in p.message or message in info.value.summary for p in info.value.problems), [
        str(p) for p in info.value.problems
    ]
    if row is not None or column is not None:
        assert any(p.row == row and p.column == column for p in info.value.problems), [
            str(p) for p in info.value.problems
        ]
    assert "nothing was loaded" in info.value.summary or "malformed" in info.value.summary
    assert store.count() == 0 and store.loads().empty


def test_labels_totals_and_message_columns(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    path.write_text(
        "DATAFLOW,FREQ: Frequency,INDICATOR: Indicator,REF_AREA: Reference area,SEX: Sex,URBANISATION,"
        "TIME_PERIOD: Time,OBS_VALUE,DECIMALS,COMMENT_OBS\n"
        'ESTAT:X(1.0),A: Annual,17-8-1: Internet users,KZ-71: Astana,_T: Total,_Z,2023,97.4,1,"from: survey"\n'
        "ESTAT:X(1.0),A: Annual,17-8-1: Internet users,KAZ: Kazakhstan,F: Female,_T,2023,94.3,1,\n",
        encoding="utf-8",
    )
    (report,) = load_file(store, path, framework, source="kz-sdg", vintage="2024-10-24")
    obs = store.observations("17-8-1", dims=None).set_index(["geo", "dims"])
    assert report.added == 2 and obs.loc[("KZ-71", ""), "value"] == 97.4 and obs.loc[("KAZ", "sex=F"), "value"] == 94.3
    assert obs.loc[("KZ-71", ""), "note"] == "from: survey"
    assert store.loads()["format"].tolist() == ["sdmx-csv-1.0"]


def test_store_sources_count_as_known(store: Store, framework: Framework, tmp_path: Path) -> None:
    from sandyq.framework import Source

    office = Source.model_validate(
        {
            "id": "regional-office",
            "name": "Regional statistics office",
            "publisher": "Akimat",
            "licence": "reuse with attribution",
            "citation": "Regional statistics office",
        }
    )
    path = tmp_path / "office.csv"
    path.write_text(
        f"{HEAD1},SOURCE\nX,IT.CEL.SETS.P2,KAZ,_T,2023,127.115,PER_100,,regional-office\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match="unknown source"):
        load_file(store, path, framework)
    store.register_sources([office])
    (report,) = load_file(store, path, framework)
    assert report.added == 1


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("DATAFLOW,A\n", "1.0"),
        ("\ufeffSTRUCTURE,STRUCTURE_ID\n", "2.0"),
        ("STRUCTURE[;],STRUCTURE_ID\n", "2.0"),
        ("<?xml version='1.0'?><message:GenericData xmlns:message='x'/>", "ml"),
        ("INDICATOR,REF_AREA\n", None),
        ("<html></html>", None),
    ],
)
def test_version_is_told_by_content(tmp_path: Path, text: str, version: str | None) -> None:
    path = tmp_path / "f.txt"
    path.write_text(text, encoding="utf-8")
    assert sdmx_version(path) == version


@pytest.mark.parametrize(
    ("head", "row", "moved"),
    [(HEAD1, GOOD1, ("DATAFLOW",)), (HEAD2, GOOD2, ("STRUCTURE", "STRUCTURE_ID"))],
    ids=["1.0", "2.0"],
)
def test_message_columns_not_first_are_refused_naming_row_1(
    store: Store, framework: Framework, tmp_path: Path, head: str, row: str, moved: tuple[str, ...]
) -> None:
    """Moved last, DATAFLOW/STRUCTURE would load as disaggregations (with their _T codes): refused, as sdmx1 does."""
    n = len(moved)
    names, cells = head.split(","), row.split(",")
    path = tmp_path / "moved.csv"
    path.write_text(",".join(names[n:] + names[:n]) + "\n" + ",".join(cells[n:] + cells[:n]) + "\n", encoding="utf-8")
    assert sdmx_version(path) is None
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework, source="kz-sdg")
    assert sorted((p.row, p.column) for p in info.value.problems) == [(1, c) for c in sorted(moved)]
    assert "nothing was loaded" in info.value.summary
    assert store.count() == 0 and store.loads().empty


def test_sdmx_ml_component_names_are_nfkc_normalised(store: Store, framework: Framework, tmp_path: Path) -> None:
    """``ＲＥＦ_ＡＲＥＡ`` in SDMX-ML is ``REF_AREA``, as in a CSV header: the same observation loads."""
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<mes:StructureSpecificData xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">'
        '<mes:DataSet><Obs INDICATOR="17-8-1" ＲＥＦ_ＡＲＥＡ="KZ-71" ＴＩＭＥ_PERIOD="２０２３" ＯＢＳ_VALUE="97.4" '
        'UNIT_MEASURE="PT" SOURCE="kz-sdg"/></mes:DataSet></mes:StructureSpecificData>\n'
    )
    path = tmp_path / "wide.xml"
    path.write_text(text, encoding="utf-8")
    load_file(store, path, framework, vintage="2024-10-24")
    obs = store.observations()
    assert obs[["indicator", "geo", "period", "value"]].values.tolist() == [["17-8-1", "KZ-71", "2023", 97.4]]
