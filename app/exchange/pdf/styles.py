"""Named paragraph styles for printed sheets, all in Sarabun with shaping on."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from app.exchange.pdf.fonts import BOLD, REGULAR, register_sarabun

# Sarabun's own line height (hhea ascent 1.068 + descent 0.232 em) plus a little air, so
# a tone mark over an upper vowel never touches the lower vowel of the line above.
LEADING = 1.35


def sheet_styles(base_size: float = 14) -> dict[str, ParagraphStyle]:
    """body, body_bold, small, title, heading, number (right-aligned), center.

    A new dict on each call: adjust a copy freely. shaping=1 and splitLongWords=0 also
    make these styles safe for a plain reportlab Paragraph holding one short line, but
    Thai that may wrap must go through ThaiParagraph / cell().
    """
    register_sarabun()

    def style(name: str, font: str = REGULAR, size: float = base_size, align: int = TA_LEFT) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=round(size * LEADING, 2),
            alignment=align, shaping=1, splitLongWords=0,
        )

    return {
        "body": style("body"),
        "body_bold": style("body_bold", BOLD),
        "small": style("small", size=round(base_size * 0.85 * 2) / 2),
        "title": style("title", BOLD, base_size + 4, TA_CENTER),
        "heading": style("heading", BOLD, base_size + 2),
        "number": style("number", align=TA_RIGHT),
        "center": style("center", align=TA_CENTER),
    }
