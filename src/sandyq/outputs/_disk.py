"""Answers that take seconds, kept on disk by the store's change counter, so a restart does not recompute them.

The progress roll-up, the consistency audit and the composite index take
seconds to compute on the default store; ``sandyq serve`` computes them in the
background when it starts, and ``sandyq build-site`` needs them all.  A
:class:`DiskAnswers` keeps each such answer in a file under the cache folder
(setting ``cache``, ``SANDYQ_CACHE``), named by a hash of what it depends on:
the store file's real path, its change counter (:meth:`~sandyq.store.Store.data_version`,
which grows with every committed change, so equal numbers mean equal data), the
version of sandyq (new code may compute differently) and the answer's key.  A
changed store has a new counter and so new file names: nothing stale is ever
read, and old files are removed when newer ones are written.

Anything that goes wrong on disk (a read-only folder, a full disk, a truncated
file) only means the answer is computed as before: the files are a shortcut,
never a source of truth.

>>> import tempfile
>>> disk = DiskAnswers(tempfile.mkdtemp(), "/tmp/s.duckdb")
>>> disk.get("audit", 7) is None
True
>>> disk.put("audit", 7, [1, 2]); disk.get("audit", 7), disk.get("audit", 8), disk.has("audit", 7)
([1, 2], None, True)
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .._version import __version__

__all__ = ["DiskAnswers"]

log = logging.getLogger(__name__)


class DiskAnswers:
    """Pickled answers under ``folder/web/``, one file per (store, change counter, sandyq version, key)."""

    def __init__(self, folder: str | Path, db: str | Path) -> None:
        self.folder = Path(folder).expanduser() / "web"
        self.store = os.path.realpath(str(db))
        self._prefix = hashlib.sha256(f"{self.store}\0{__version__}".encode()).hexdigest()[:16]

    def _path(self, key: Any, version: int) -> Path:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
        return self.folder / f"{self._prefix}-{version}-{digest}.pickle"

    def has(self, key: Any, version: int) -> bool:
        """Whether an answer is kept for ``key`` at change counter ``version``."""
        return self._path(key, version).is_file()

    def get(self, key: Any, version: int) -> Any:
        """The answer kept for ``key`` at change counter ``version``, or None."""
        path = self._path(key, version)
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or foreign file: compute instead
            log.info("ignoring the kept answer %s: %s", path, exc)
            return None

    def put(self, key: Any, version: int, value: Any) -> None:
        """Keep ``value`` for ``key`` (written whole or not at all); drop this key's files of older counters."""
        path = self._path(key, version)
        tmp = ""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except Exception as exc:  # read-only or full disk: the answer is simply not kept
            log.info("cannot keep an answer in %s: %s", self.folder, exc)
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return
        suffix = path.name.split("-", 2)[2]
        for old in self.folder.glob(f"{self._prefix}-*-{suffix}"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
