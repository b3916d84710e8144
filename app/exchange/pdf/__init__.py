"""Printed sheets (reportlab): Thai text that is shaped, searchable and wrapped at words.

Every sheet builds its text through this package: ``ThaiParagraph`` for paragraphs,
``cell``/``money_cell`` for table cells (a plain string in a Table is never shaped),
``sheet_styles()`` for the named styles. See text.py for why.
"""

from app.exchange.pdf.document import PagedCanvas, binary_streams
from app.exchange.pdf.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, SEMIBOLD, register_sarabun
from app.exchange.pdf.styles import sheet_styles
from app.exchange.pdf.text import Line, ThaiParagraph, cell, clusters, money_cell

__all__ = [
    "BOLD",
    "BOLD_ITALIC",
    "ITALIC",
    "REGULAR",
    "SEMIBOLD",
    "PagedCanvas",
    "Line",
    "ThaiParagraph",
    "binary_streams",
    "cell",
    "clusters",
    "money_cell",
    "register_sarabun",
    "sheet_styles",
]
