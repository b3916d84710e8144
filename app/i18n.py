"""One translation system for the whole app (domain messages and Qt pages alike).

Source strings are Thai, the language of the users; English comes from gettext catalogs
(`app/locale/<lang>/*.po`: coopdesk.po, plus one file per later area of the app so that
areas built side by side do not edit one file) read with babel when the English setting
is on, so the default Thai start-up path never loads a catalog.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = {"th": "ไทย", "en": "English"}
_LOCALE_DIR = Path(__file__).parent / "locale"
_catalog: dict[str, str] = {}
_language = "th"


def set_language(lang: str) -> None:
    global _language, _catalog
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _language = lang
    _catalog = {} if lang == "th" else load_catalog(lang)


def language() -> str:
    return _language


def catalog_files(lang: str) -> list[Path]:
    """The language's .po files, coopdesk.po first; a later file wins on a repeated id."""
    folder = _LOCALE_DIR / lang
    return sorted(folder.glob("*.po"), key=lambda p: (p.name != "coopdesk.po", p.name))


def load_catalog(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    out: dict[str, str] = {}
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        out.update((m.id, m.string) for m in catalog if m.id and m.string and not m.fuzzy)
    return out


def _(message: str) -> str:
    """Translate a Thai source string into the current language (unchanged for Thai)."""
    return _catalog.get(message, message) if _catalog else message


def tr(message: str, **values: object) -> str:
    """Translate, then fill {named} placeholders."""
    text = _(message)
    return text.format(**values) if values else text
