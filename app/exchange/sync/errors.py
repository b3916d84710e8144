"""Why a sync package was refused: one code per reason, one Thai sentence per code.

The sentences are Thai source strings translated through `app.i18n._` when the error is
raised; `{name}` placeholders are filled from the keyword arguments of `SyncError`. A
placeholder the raiser did not supply shows as "?" rather than failing, so a missing value
never hides the real error. docs/sync-format.md lists every code with an English gloss.
"""

from __future__ import annotations

import string

from app.errors import CoopDeskError
from app.i18n import _

# Codes raised by the container (app.exchange.sync.container / keys) -------------------------
CODES: dict[str, str] = {
    "E_CONTAINER": "ไฟล์นี้ไม่ใช่แพ็กเกจซิงค์ของ CoopDesk หรือไฟล์เสียหายหรือถูกแก้ไขหลังจากสร้าง "
                   "กรุณาขอให้สำนักงานต้นทางส่งแพ็กเกจใหม่",
    "E_UNSAFE_PATH": "แพ็กเกจมีชื่อไฟล์ภายในที่ไม่ปลอดภัย ({entry}) จึงไม่ได้นำเข้า "
                     "กรุณาแจ้งผู้ดูแลระบบและขอแพ็กเกจใหม่จากสำนักงานต้นทาง",
    "E_DUPLICATE_ENTRY": "แพ็กเกจมีไฟล์ภายในชื่อ {entry} ซ้ำกัน แสดงว่าไฟล์ถูกแก้ไข "
                         "กรุณาขอแพ็กเกจใหม่จากสำนักงานต้นทาง",
    "E_UNEXPECTED_ENTRY": "ไฟล์ภายในแพ็กเกจไม่ตรงตามรูปแบบ ({entry}) กรุณาขอแพ็กเกจใหม่จากสำนักงานต้นทาง",
    "E_TOO_LARGE": "{entry} มีขนาดเกินที่โปรแกรมรับได้ ({limit} ไบต์) "
                   "กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง แล้วแจ้งผู้ดูแลระบบ",
    "E_MANIFEST": "ข้อมูลกำกับแพ็กเกจ (manifest) อ่านไม่ได้หรือไม่ครบถ้วน กรุณาขอแพ็กเกจใหม่จากสำนักงานต้นทาง",
    "E_UNSUPPORTED_FORMAT": "แพ็กเกจนี้สร้างจาก CoopDesk รุ่นที่ใหม่กว่าโปรแกรมนี้ "
                            "กรุณาปรับปรุงโปรแกรมเป็นรุ่นล่าสุดแล้วนำเข้าอีกครั้ง",
    "E_SCHEMA": "แพ็กเกจนี้ใช้โครงสร้างข้อมูลรุ่น {revision} ซึ่งโปรแกรมนี้ไม่รู้จัก "
                "กรุณาปรับปรุงโปรแกรมทั้งสองฝั่งให้เป็นรุ่นเดียวกันแล้วส่งแพ็กเกจใหม่",
    "E_SIGNATURE": "ลายมือชื่อดิจิทัลของแพ็กเกจไม่ถูกต้อง ไฟล์อาจถูกแก้ไขหรือไม่ได้มาจากสำนักงานที่ระบุ "
                   "จึงไม่ได้นำเข้า กรุณาโทรสอบถามสำนักงานต้นทางและขอแพ็กเกจใหม่",
    "E_UNKNOWN_SIGNER": "ไม่รู้จักกุญแจที่ใช้ลงนามแพ็กเกจของสำนักงาน {source} (รหัสกุญแจ {key_id}) "
                        "กรุณานำเข้าไฟล์กุญแจสาธารณะของสำนักงานนั้นและยืนยันลายนิ้วมือกุญแจทางโทรศัพท์ก่อน",
    "E_READ": "อ่านไฟล์แพ็กเกจไม่ได้ ไฟล์อาจถูกย้ายหรือลบ หรือไม่มีสิทธิ์อ่าน "
              "กรุณาตรวจสอบไฟล์และแฟลชไดรฟ์แล้วลองอีกครั้ง",
    "E_KEY_FILE": "ไฟล์กุญแจสาธารณะอ่านไม่ได้หรือถูกแก้ไข กรุณาขอไฟล์กุญแจ (.coopkey) ใหม่จากสำนักงานต้นทาง",
    "E_HASH": "ข้อมูลในไฟล์ {entry} ของแพ็กเกจไม่ตรงกับที่สำนักงานต้นทางลงนามไว้ "
              "ไฟล์อาจเสียหายระหว่างคัดลอก กรุณาคัดลอกใหม่หรือขอแพ็กเกจใหม่",
    "E_COUNT": "จำนวนรายการใน {entry} ไม่ตรงกับที่ระบุในข้อมูลกำกับแพ็กเกจ กรุณาขอแพ็กเกจใหม่จากสำนักงานต้นทาง",
    "E_RECORD": "ข้อมูลบรรทัดที่ {line} ของ {entry} ในแพ็กเกจอ่านไม่ได้ กรุณาขอแพ็กเกจใหม่จากสำนักงานต้นทาง",
    # Codes raised by the export/import services ---------------------------------------------
    "E_FORK": "แพ็กเกจลำดับที่ {seq} จากสำนักงาน {source} ไม่ต่อเนื่องกับแพ็กเกจที่นำเข้าไว้ก่อนหน้า "
              "(ข้อมูลแยกสาย) จึงไม่ได้นำเข้า กรุณาติดต่อผู้ดูแลระบบของทั้งสองสำนักงาน",
    "E_MISSING_PREREQUISITE": "แพ็กเกจลำดับที่ {seq} จากสำนักงาน {source} อ้างถึงข้อมูลอ้างอิงที่เครื่องนี้ยังไม่มี "
                              "({what}) จึงไม่ได้นำเข้า กรุณาปรับปรุงโปรแกรมให้เป็นรุ่นเดียวกับต้นทางแล้วนำเข้าอีกครั้ง",
    "E_APPLY": "นำเข้าแพ็กเกจไม่ได้เพราะข้อมูลขัดกับข้อกำหนดของฐานข้อมูล ({what}) ไม่มีข้อมูลใดถูกบันทึก "
               "กรุณาแจ้งผู้ดูแลระบบพร้อมไฟล์แพ็กเกจนี้",
    "E_WRONG_TARGET": "แพ็กเกจนี้ส่งถึงสำนักงาน {target} ไม่ใช่สำนักงานนี้ ({here}) "
                      "กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้อง",
    "E_STALE": "แพ็กเกจลำดับที่ {seq} จากสำนักงาน {source} เก่ากว่าข้อมูลที่นำเข้าแล้ว "
               "(ล่าสุดลำดับที่ {last}) จึงไม่ได้นำเข้า กรุณาใช้แพ็กเกจล่าสุดจากสำนักงานต้นทาง",
    "E_ALREADY_IMPORTED": "แพ็กเกจลำดับที่ {seq} จากสำนักงาน {source} นำเข้าไว้แล้ว ไม่ต้องนำเข้าซ้ำ",
}

#: Codes a damaged or forged package file can produce in `open_package` (never a service code).
CONTAINER_CODES = frozenset({
    "E_CONTAINER", "E_UNSAFE_PATH", "E_DUPLICATE_ENTRY", "E_UNEXPECTED_ENTRY", "E_TOO_LARGE", "E_MANIFEST",
    "E_UNSUPPORTED_FORMAT", "E_SCHEMA", "E_SIGNATURE", "E_UNKNOWN_SIGNER", "E_HASH", "E_COUNT", "E_RECORD",
})
#: Codes the export/import services raise (their sentences live here so they are written once).
SERVICE_CODES = frozenset({"E_FORK", "E_MISSING_PREREQUISITE", "E_APPLY", "E_WRONG_TARGET", "E_STALE",
                           "E_ALREADY_IMPORTED"})


def placeholders(code: str) -> list[str]:
    """The {names} the sentence of `code` expects, in order."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(CODES[code]) if name]


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "?"


class SyncError(CoopDeskError):
    """A sync package (or key file) was refused; nothing was imported.

    `code` is a key of CODES; `fmt` keeps the values that filled the sentence (for example
    `line` and `entry` of E_RECORD) so callers and tests can read them back.
    """

    exit_code = 2

    def __init__(self, code: str, message: str | None = None, *, details: str | None = None, **fmt: object):
        if code not in CODES:
            raise ValueError(f"unknown sync error code {code!r}")
        if message is None:
            message = _(CODES[code]).format_map(_Missing(fmt))
        super().__init__(message, details=details)
        self.code = code
        self.fmt = fmt

    def __repr__(self) -> str:
        return f"SyncError({self.code!r}, details={self.details!r})"
