"""Cases of the JSON API and data files: unknown ids, repeated ids, huge limits, bad dates, languages, paths.

A refusal is a 4xx answer whose body is a JSON error naming the parameter or value; an accepted request is a
200.  The store behind the application (a copy of the corpus's small real store) is unchanged.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from ._model import ApiCall, Case, Either, Expectation, Loads, Refused

__all__ = ["API_FAMILY", "api_cases"]

API_FAMILY = "api"


def _404(*names: str) -> Refused:
    return Refused("SandyqError", names=names, status=404)


def _400(*names: str) -> Refused:
    return Refused("SandyqError", names=names, status=400)


def _4xx(*names: str) -> Refused:
    return Refused("SandyqError", names=names)


def _either(*names: str) -> Either:
    """Refused with 400 naming ``names``, or answered (200): a fix may go either way."""
    return Either(_400(*names), Loads())


_OBS = "/api/observations?indicator=17-8-1"
_MANY_SAME = "/api/observations?" + "&".join(["indicator=17-8-1"] * 500)
_MANY_GEO = _OBS + "&" + "&".join(["geo=KAZ"] * 500)
_MANY_DISTINCT = "/api/observations?indicator=" + ",".join(f"x{k}" for k in range(401))
_LONG = "x" * 30_000
_Spec = tuple[str, str, Expectation, str]
_CASES: tuple[_Spec, ...] = (
    # indicators
    ("indicators/unknown-id", "/api/indicators/nope.x", _404("nope.x"), "GET"),
    ("indicators/lang-unknown", "/api/indicators/17-8-1?lang=xx", _400("lang"), "GET"),
    ("indicators/lang-empty", "/api/indicators?lang=", _400("lang"), "GET"),
    ("indicators/lang-upper-case", "/api/indicators?lang=EN", _either("lang"), "GET"),
    ("indicators/lang-region", "/api/indicators?lang=kk-KZ", _either("lang"), "GET"),
    ("indicators/lang-repeated", "/api/indicators?lang=en&lang=ru", _either("lang"), "GET"),
    ("indicators/lang-path", "/api/indicators?lang=..%2F..%2Fetc", _400("lang"), "GET"),
    ("indicators/programme-unknown", "/api/indicators?programme=nope", _404("nope"), "GET"),
    ("indicators/programme-nul", "/api/indicators?programme=%00", _4xx(), "GET"),
    ("indicators/csv-lang-unknown", "/api/indicators.csv?lang=xx", _400("lang"), "GET"),
    ("indicators/id-nul", "/api/indicators/%00", _404(), "GET"),
    ("indicators/id-crlf", "/api/indicators/x%0D%0ASet-Cookie:%20a=b", _404(), "GET"),
    ("indicators/id-5000-chars", "/api/indicators/" + "x" * 5000, _404(), "GET"),
    # observations
    ("observations/no-indicator", "/api/observations", _400("indicator"), "GET"),
    ("observations/indicator-unknown", "/api/observations?indicator=nope.x", _404("nope.x"), "GET"),
    ("observations/indicator-empty", "/api/observations?indicator=", _400("indicator"), "GET"),
    ("observations/indicator-nul", "/api/observations?indicator=%00", _4xx(), "GET"),
    ("observations/indicator-30-kb", f"/api/observations?indicator={_LONG}", _4xx(), "GET"),
    ("observations/geo-unknown", _OBS + "&geo=XX", _404("XX"), "GET"),
    ("observations/start-words", _OBS + "&start=abc", _400("abc"), "GET"),
    ("observations/start-fullwidth", _OBS + "&start=" + quote("２０２０"), _either("start"), "GET"),
    ("observations/start-after-end", _OBS + "&start=2023&end=2010", _either("start"), "GET"),
    ("observations/start-huge", _OBS + "&start=-99999999999999999999", _either("start"), "GET"),
    ("observations/end-quarter-5", _OBS + "&end=2023-Q5", _400("2023-Q5"), "GET"),
    ("observations/as-of-february-30", _OBS + "&as_of=2024-02-30", _400("2024-02-30"), "GET"),
    ("observations/as-of-words", _OBS + "&as_of=tomorrow", _400("tomorrow"), "GET"),
    ("observations/as-of-fullwidth", _OBS + "&as_of=" + quote("２０２４-０１-０１"), _either("as_of"), "GET"),
    ("observations/dims-without-value", _OBS + "&dims=sex", _400("dims"), "GET"),
    ("observations/dims-empty-pairs", _OBS + "&dims=" + quote("=;="), _400("dims"), "GET"),
    ("observations/dims-key-twice", _OBS + "&dims=" + quote("sex=F;sex=M"), _either("dims"), "GET"),
    ("observations/source-unknown", _OBS + "&source=nope", _404("nope"), "GET"),
    ("observations/lang-unknown", _OBS + "&lang=xx", _400("lang"), "GET"),
    ("observations/indicator-500-times", _MANY_SAME, Loads(), "GET"),  # repeats are counted once
    ("observations/geo-500-times", _MANY_GEO, Loads(), "GET"),  # repeats are counted once
    ("observations/indicator-401-distinct", _MANY_DISTINCT, _4xx("indicator"), "GET"),
    ("observations/indicator-twice", _OBS + "&indicator=17-8-1", Loads(), "GET"),
    ("observations/limit-negative", _OBS + "&limit=-1", _400("limit"), "GET"),
    ("observations/limit-words", _OBS + "&limit=abc", _400("limit"), "GET"),
    ("observations/limit-huge", _OBS + "&limit=1000000000000", _either("limit"), "GET"),
    ("observations/offset-negative", _OBS + "&offset=-5", _400("offset"), "GET"),
    ("observations/csv-indicator-unknown", "/api/observations.csv?indicator=nope.x", _404("nope.x"), "GET"),
    ("observations/csv-as-of-words", "/api/observations.csv?indicator=17-8-1&as_of=tomorrow", _400("tomorrow"), "GET"),
    ("observations/csv-source-unknown", "/api/observations.csv?indicator=17-8-1&source=nope", _404("nope"), "GET"),
    # progress, regions, glossary, programmes
    ("progress/programme-unknown", "/api/progress?programme=nope", _404("nope"), "GET"),
    ("progress/as-of-february-30", "/api/progress?as_of=2024-02-30", _400("2024-02-30"), "GET"),
    ("progress/lang-unknown", "/api/progress?lang=xx", _400("lang"), "GET"),
    ("progress/csv-programme-unknown", "/api/progress.csv?programme=nope", _404("nope"), "GET"),
    ("regions/indicator-unknown", "/api/regions/nope.x", _404("nope.x"), "GET"),
    ("regions/lang-unknown", "/api/regions/17-8-1?lang=xx", _400("lang"), "GET"),
    ("glossary/lang-unknown", "/api/glossary?lang=xx", _400("lang"), "GET"),
    ("glossary/csv-lang-unknown", "/api/glossary.csv?lang=xx", _400("lang"), "GET"),
    ("programmes/lang-unknown", "/api/programmes?lang=xx", _400("lang"), "GET"),
    # geography and files, including paths that try to leave their folder
    ("boundaries/unknown", "/api/boundaries/nope", _404("nope"), "GET"),
    ("boundaries/path-traversal", "/api/boundaries/..%2F..%2F..%2Fetc%2Fpasswd", _404(), "GET"),
    ("files/geo-unknown", "/data/geo/nope.json", _404(), "GET"),
    ("files/geo-path-traversal", "/data/geo/..%2F..%2Fetc%2Fpasswd.json", _404(), "GET"),
    ("files/indicator-csv-unknown", "/data/indicator/nope.x.csv", _404(), "GET"),
    ("files/indicator-xlsx-unknown", "/data/indicator/nope.x.xlsx", _404(), "GET"),
    ("files/indicator-json-unknown", "/data/indicator/nope.x.json", _404(), "GET"),
    ("files/indicator-path-traversal", "/data/indicator/%2e%2e%2f%2e%2e%2fpasswd.csv", _404(), "GET"),
    ("files/progress-csv-unknown", "/data/progress/nope.csv", _404(), "GET"),
    ("files/progress-json-unknown", "/data/progress/nope.json", _404(), "GET"),
    ("files/table-unknown", "/data/nope.csv", _404(), "GET"),
    ("files/static-path-traversal", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", _404(), "GET"),
    ("routes/unknown", "/api/nope", _404(), "GET"),
    # methods the API does not answer
    ("methods/post-indicators", "/api/indicators", _4xx(), "POST"),
    ("methods/delete-observations", "/api/observations?indicator=17-8-1", _4xx(), "DELETE"),
    ("methods/put-data-file", "/data/indicators.csv", _4xx(), "PUT"),
)


def _case(name: str, path: str, expect: Expectation, method: str) -> Case:
    def make(folder: Path) -> ApiCall:
        return ApiCall(path, method)

    return Case(f"{API_FAMILY}/{name}", make, expect, seconds=20.0)


def api_cases() -> list[Case]:
    """Every API case."""
    return [_case(*spec) for spec in _CASES]
