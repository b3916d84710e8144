"""Writing files so that a failure never leaves a half-written file in place of the old one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.errors import CoopDeskError
from app.i18n import tr


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(temp) for a temp file in path's folder, then move it over path in one step."""
    if not path.parent.is_dir():
        raise CoopDeskError(tr("ไม่พบโฟลเดอร์ {folder} จึงบันทึกไฟล์ไม่ได้", folder=path.parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix or ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise CoopDeskError(
            tr("บันทึกไฟล์ {name} ไม่ได้ ไฟล์อาจเปิดอยู่ในโปรแกรมอื่นหรือไม่มีสิทธิ์เขียนในโฟลเดอร์นี้",
               name=path.name),
            details=str(exc),
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
