"""``sandyq user``, ``token``, ``submit``, ``review`` and ``trail``: the workflow of issue 16 on the command line.

The store holds the SDG database's 17-8-1 (Internet users, 94.7 % in 2023, published 2024-10-24).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandyq import people
from sandyq.outputs.cli import app
from sandyq.passwords import check_password
from sandyq.store import Store, accounts
from tests.conftest import SDG_RAW

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "flow.duckdb"
    args = ["load", str(SDG_RAW / "indicator_17-8-1.csv"), "--source", "kz-sdg", "--default-geo", "KAZ"]
    result = runner.invoke(app, ["--db", str(path), *args, "--vintage", "2024-10-24"])
    assert result.exit_code == 0, result.output
    return path


def run(db: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_init_made_one_admin_whose_password_is_not_kept(default_db: Path) -> None:
    with Store(default_db, read_only=True) as s:
        [admin] = accounts.accounts(s)
        assert (admin.name, admin.role, admin.active) == ("admin", "admin", True)
        _, stored = accounts.account_named(s, "admin")
    assert stored.startswith("$argon2id$")
    with Store(":memory:") as s:  # a store that has an account gets no second admin
        assert people.ensure_admin(s) is not None and people.ensure_admin(s) is None


def test_users_tokens_submission_review_and_trail(db: Path, tmp_path: Path) -> None:
    code, out, _ = run(db, "user", "add", "ann", "--role", "owner", "-i", "17-8-1")
    assert code == 0 and out.startswith("password: ")
    with Store(db, read_only=True) as s:
        assert check_password(accounts.account_named(s, "ann")[1], out.split(": ", 1)[1].strip())
    assert run(db, "user", "add", "rita", "--role", "reviewer", "--password-stdin", input="s3cret-words\n")[0] == 0
    code, _, err = run(db, "user", "add", "rita", "--role", "reviewer")
    assert code == 2 and "exists already" in err
    assert "ann,owner,17-8-1" in run(db, "user", "list", "--format", "csv")[1]
    assert run(db, "user", "role", "rita", "viewer", "--reason", "on leave")[0] == 0
    assert run(db, "user", "role", "rita", "reviewer")[0] == 0

    code, token, _ = run(db, "token", "create", "ann", "--days", "30")
    assert code == 0 and token.startswith("sqt_")
    figures = tmp_path / "kz.csv"
    figures.write_text(
        "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,SOURCE\n17-8-1,KAZ,2023,95.3,PT,kz-sdg\n",
        encoding="utf-8",
    )
    code, sid, err = run(db, "submit", str(figures), "--token", token.strip())
    assert code == 0, err
    sid = sid.strip()
    shown = run(db, "review", "show", sid, "--format", "csv")[1]
    assert "17-8-1,KAZ,2023,,kz-sdg,95.3,PT,,,revised,94.7," in shown
    code, _, err = run(db, "review", "approve", sid, "-u", "ann")
    assert code == 2 and "may not review" in err
    code, _, err = run(db, "review", "approve", sid, "-u", "rita")
    assert code == 0 and "published: 0 added, 1 revised" in err
    code, _, err = run(db, "review", "approve", sid, "-u", "rita")
    assert code == 2 and "approved already" in err
    code, out, _ = run(db, "show", "17-8-1", "--geo", "KAZ", "--format", "csv")
    assert "95.3" in out

    code, again, _ = run(db, "submit", str(figures), "-u", "ann")
    code, _, err = run(db, "review", "reject", again.strip(), "-u", "rita")
    assert code == 2 and "say why" in err
    assert run(db, "review", "reject", again.strip(), "-u", "rita", "-m", "the same figure")[0] == 0

    token_id = run(db, "token", "list", "--format", "csv")[1].splitlines()[1].split(",")[0]
    assert run(db, "token", "revoke", token_id, "--reason", "left the agency")[0] == 0
    code, _, err = run(db, "submit", str(figures), "--token", token.strip())
    assert code == 2 and "revoked" in err
    assert run(db, "user", "disable", "ann")[0] == 0
    code, _, err = run(db, "submit", str(figures), "-u", "ann")
    assert code == 2 and "disabled" in err

    trail = run(db, "trail", "--format", "csv")[1]
    actions = [line.split(",")[3] for line in trail.splitlines()[1:] if line[:1].isdigit()]
    for action in ("account.add", "token.create", "submission.create", "submission.approve", "publication"):
        assert action in actions
    assert {"submission.reject", "token.revoke", "account.disable", "account.role"} <= set(actions)
    assert "left the agency" in trail and "on leave" in trail


def test_review_show_says_each_warning_in_the_chosen_language(db: Path, tmp_path: Path) -> None:
    assert run(db, "user", "add", "ann", "--role", "owner", "-i", "17-8-1")[0] == 0
    figures = tmp_path / "kz.csv"  # 60 % for 2024 after 94.7 % in 2023: far outside the series' yearly changes
    figures.write_text(
        "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,SOURCE\n17-8-1,KAZ,2024,60,PT,kz-sdg\n",
        encoding="utf-8",
    )
    code, sid, err = run(db, "submit", str(figures), "-u", "ann")
    assert code == 0, err
    russian = run(db, "--language", "ru", "review", "show", sid.strip(), "--format", "csv")[1]
    assert "выброс: 94,7 в 2023 → 60 в 2024 (−34,7): отклонение от типичного изменения ряда" in russian
