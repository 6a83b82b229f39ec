"""Terminology: the statistical and programme terms sandyq uses, in Kazakh, Russian and English.

A status, a vintage, a prediction interval or a Gini index must be called the same
thing on every page and in every message, in each language.  The terms live in
``content/framework/terms.yaml`` with a definition and a reference; their
``forms`` are regular expressions (stems, so that inflected Kazakh and Russian
forms match) by which a test checks that the message catalogs use them.

>>> t = terms()["vintage"]
>>> t.name.get("ru"), t.name.get("kk")
('Версия публикации', 'Жариялану нұсқасы')
>>> t.uses("ru", "с единицей измерения, источником и версией публикации")
True
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

from pydantic import Field, field_validator

from ..errors import FrameworkError, Problem
from ._models import Text, _Model
from ._yaml import read_yaml

__all__ = ["Term", "terms"]


class Term(_Model):
    """A term: its name and definition in three languages, how to find it in a sentence, and a reference."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Text
    definition: Text
    forms: Text
    reference: str = Field(min_length=1)

    @field_validator("forms")
    @classmethod
    def _forms_compile(cls, value: Text) -> Text:
        for lang in ("kk", "ru", "en"):
            re.compile(value.get(lang))
        return value

    def uses(self, language: str, sentence: str) -> bool:
        """Whether ``sentence`` (in ``language``) names the term in the glossary's form."""
        return re.search(self.forms.get(language), sentence, re.IGNORECASE) is not None


def _terms_path() -> Path:
    return Path(str(resources.files("sandyq") / "content" / "framework" / "terms.yaml"))


@functools.cache
def terms() -> dict[str, Term]:
    """The bundled terms by id, in file order.  Raises :class:`~sandyq.errors.FrameworkError` if the file is invalid."""
    path = _terms_path()
    problems: list[Problem] = []
    data = read_yaml(path, problems)
    if not isinstance(data, list):
        problems.append(Problem(str(path), "expected a list of terms at the top level"))
        raise FrameworkError("the terminology file is invalid", problems)
    found: dict[str, Term] = {}
    for i, item in enumerate(data):
        try:
            term = Term.model_validate(item)
        except ValueError as exc:
            problems.append(Problem(str(path), str(exc).splitlines()[0], path=f"[{i}]"))
            continue
        if term.id in found:
            problems.append(Problem(str(path), f"duplicate term {term.id!r}", path=f"[{i}]"))
        found[term.id] = term
    if problems:
        raise FrameworkError("the terminology file is invalid", problems)
    return found
