"""The Sarabun family (OFL, shipped in resources/fonts) registered with reportlab."""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import fonts_dir

# Stable reportlab font names; styles and later sheets refer to these.
REGULAR = "Sarabun"
BOLD = "Sarabun-Bold"
ITALIC = "Sarabun-Italic"
BOLD_ITALIC = "Sarabun-BoldItalic"
SEMIBOLD = "Sarabun-SemiBold"

_FILES = {
    REGULAR: "Sarabun-Regular.ttf",
    BOLD: "Sarabun-Bold.ttf",
    ITALIC: "Sarabun-Italic.ttf",
    BOLD_ITALIC: "Sarabun-BoldItalic.ttf",
    SEMIBOLD: "Sarabun-SemiBold.ttf",
}

_lock = threading.Lock()
_done = False


def register_sarabun() -> str:
    """Register the Sarabun faces once per process; returns the family name."""
    global _done
    if _done:
        return REGULAR
    with _lock:
        if _done:
            return REGULAR
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name in registered:
                continue
            path = fonts_dir() / filename
            if not path.is_file():
                raise FileNotFoundError(f"Thai font missing: {path}")
            font = TTFont(name, str(path))
            # Without uharfbuzz reportlab silently prints Thai unshaped (tone marks lost
            # under upper vowels); never produce such a sheet.
            if not font.shapable:
                raise RuntimeError("uharfbuzz is not installed: Thai text cannot be shaped")
            pdfmetrics.registerFont(font)
        # <b>/<i> inside reportlab markup map to the right faces.
        for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
            addMapping(REGULAR, bold, italic, name)
        _done = True
    return REGULAR
