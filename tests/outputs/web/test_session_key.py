"""The dashboard reads the store's session key and writes nothing: a store without one is refused, clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandyq.errors import StoreError
from sandyq.outputs.web import create_app
from sandyq.store import Store, accounts


def _keyless(tmp_path: Path) -> Path:
    path = tmp_path / "keyless.duckdb"
    with Store(path) as s:  # a store of schema 4 has its key from creation ...
        assert accounts.session_secret(s)
        s.con.execute("DELETE FROM meta WHERE key = 'session_secret'")  # ... unless it was removed
    return path


def test_a_store_without_a_session_key_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = _keyless(tmp_path)
    with pytest.raises(StoreError, match="keeps no key to sign session cookies; run `sandyq init`") as info:
        create_app(path, language="en")
    assert "SANDYQ_SESSION_SECRET" in str(info.value)
    with Store(path, read_only=True) as s:
        assert accounts.session_secret(s) is None  # the dashboard wrote nothing


def test_a_key_given_in_the_setting_serves_a_store_without_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _keyless(tmp_path)
    from sandyq.outputs.web._accounts import _secret

    monkeypatch.setenv("SANDYQ_SESSION_SECRET", "a-key-the-operator-keeps-elsewhere")
    assert _secret(str(path)) == "a-key-the-operator-keeps-elsewhere"
    monkeypatch.delenv("SANDYQ_SESSION_SECRET")
    with Store(path) as s:  # `sandyq init` gives the store a key again (a writer makes it)
        made = accounts.session_secret(s)
    assert made and _secret(str(path)) == made
