"""COINr's ASEM example, built once per test module, for the composite-index tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandyq.analytics.composite import CompositeIndex, IndexResult

ASEM = Path(__file__).resolve().parents[3] / "examples" / "coinr-asem"


@pytest.fixture(scope="module")
def index() -> CompositeIndex:
    return CompositeIndex.from_yaml(ASEM / "asem.yaml")


@pytest.fixture(scope="module")
def result(index: CompositeIndex) -> IndexResult:
    return index.build()
