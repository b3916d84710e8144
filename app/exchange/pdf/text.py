"""Thai text for reportlab: shaped, searchable, wrapped at Thai word boundaries.

reportlab's own Paragraph cannot do all three at once (it splits Thai mid-word into
tofu, ``wordWrap='CJK'`` turns shaping off, U+200B prints as a space), so
``ThaiParagraph`` is a small Flowable that

1. breaks the text into words with ``app.thai.break_words`` (pythainlp newmm) and fills
   lines greedily using the *shaped* advance widths of those words;
2. shapes each unbreakable run with reportlab's own HarfBuzz path (``shapeStr``, the
   one ``Paragraph(shaping=1)`` uses), so tone marks sit over upper vowels, ญ/ฐ lose
   their tails above lower vowels, ำ composes with tone marks;
3. wraps every drawn line in a marked-content span carrying ``/ActualText`` (the line's
   real Unicode text). Why: shaped glyphs that have no cmap entry (ที่'s raised tone
   mark, ญ without tail, ligatures such as ้+ํ in น้ำ) reach the PDF as private-use code
   points, so text extraction gives "ที\\ue000" or "นา"; ActualText tells readers
   (poppler/pdftotext, Acrobat, PDFium) to use the given string for those glyphs.

Table cells must use ``cell()`` / ``money_cell()``: plain strings in a Table are never
shaped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus.flowables import Flowable

from app.exchange.pdf.fonts import register_sarabun
from app.thai import break_words, format_number, to_thai_digits

# Any whitespace run except newline and no-break space prints as one space; zero-width
# and soft-hyphen characters are dropped (the font has no glyph for them: tofu).
_BLANKS = re.compile(r"[^\S\n\u00a0]+")
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u2060\ufeff\u00ad")
# Following vowels that must stay with the consonant before them when a word is cut.
_FOLLOWING_VOWELS = frozenset("\u0e30\u0e32\u0e33\u0e45")
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
_EPS = 1e-6


def _clean(text: object) -> str:
    text = "" if text is None else str(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    return "\n".join(_BLANKS.sub(" ", line).strip(" ") for line in text.split("\n"))


def _ends_thai(token: str) -> bool:
    return "\u0e01" <= token[-1] <= "\u0e4e"  # Thai letters and marks, not digits


def _starts_syllable(token: str) -> bool:
    ch = token[0]  # a consonant or leading vowel; never a mark, ๆ or ฯ
    return "\u0e01" <= ch <= "\u0e2e" or ch in _LEADING_VOWELS


def _can_break(before: str, after: str) -> bool:
    """A line may end between two adjacent (space-less) tokens only between Thai words.

    A lone consonant token is an abbreviation newmm did not know (กศ. -> ก + ศ.): keep it.
    """
    return _ends_thai(before) and _starts_syllable(after) and not (len(before) == 1 and _starts_syllable(before))


def clusters(word: str) -> list[str]:
    """Split a word at grapheme-cluster boundaries, never between a consonant and its
    marks (nor its following vowel ะ า ำ ๅ, nor after a leading vowel เ แ โ ใ ไ)."""
    out: list[str] = []
    lead = ""
    for ch in word:
        attaches = unicodedata.category(ch)[0] == "M" or ch in _FOLLOWING_VOWELS or ch == "\u200d"
        if ch in _LEADING_VOWELS:
            lead += ch
        elif attaches and lead:
            lead += ch
        elif attaches and out:
            out[-1] += ch
        else:
            out.append(lead + ch)
            lead = ""
    if lead:
        out.append(lead)
    return out


@functools.lru_cache(maxsize=65536)
def _shape(font: object, size: float, text: str) -> tuple[ShapedStr, float]:
    """A shaped run and its advance width in points (what is drawn is what is measured)."""
    shaped = shapeStr(text, font.fontName, size, force=True)
    width = sum(sd.x_advance for sd in shaped.__shapeData__) * size / 1000
    return shaped, width


def _actual_text_span(text: str) -> str:
    # UTF-16BE with BOM, hex-encoded: no escaping issues with ( ) \ in the text.
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"


@dataclass(slots=True)
class _Piece:
    start: int  # offset in the paragraph text
    text: str
    space: bool


@dataclass(slots=True)
class Line:
    start: int  # offset of the first drawn character in ThaiParagraph.text
    text: str  # drawn text (== the concatenated ActualText of its runs)
    width: float  # shaped advance width, points
    indent: float  # first-line indent, points
    runs: list[tuple[str, ShapedStr, float]]  # (text, shaped, width): one ActualText span each


class ThaiParagraph(Flowable):
    """A paragraph of plain text (no markup) in one ParagraphStyle.

    Uses the style's fontName, fontSize, leading, alignment (left, center, right;
    justify prints left), textColor, leftIndent, rightIndent, firstLineIndent,
    spaceBefore, spaceAfter. "\\n" forces a line break.
    """

    def __init__(self, text: object, style: ParagraphStyle, *, thai_digits: bool = False, _continued: bool = False):
        super().__init__()
        register_sarabun()
        self.style = style
        self.font = pdfmetrics.getFont(style.fontName)
        if not getattr(self.font, "shapable", False):
            raise ValueError(f"font {style.fontName!r} cannot shape Thai; use a Sarabun style")
        text = _clean(text)
        self.text = to_thai_digits(text) if thai_digits else text
        self._continued = _continued  # a split-off rest: no first-line indent
        self._lines: list[Line] = []
        self._wrapped_for: float | None = None
        self.width = self.height = 0.0

    def __repr__(self) -> str:
        return f"ThaiParagraph({self.text[:40]!r})"

    def getPlainText(self) -> str:  # noqa: N802 - reportlab's name
        return self.text

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.spaceAfter

    # -- measuring -----------------------------------------------------------------

    def text_width(self, text: str) -> float:
        return _shape(self.font, self.style.fontSize, text)[1]

    def _pieces(self, line: str, offset: int) -> list[_Piece]:
        """Unbreakable runs and single spaces, in order; ''.join(texts) == line."""
        pieces: list[_Piece] = []
        pos = offset
        for token in break_words(line):
            is_space = token.isspace() and "\u00a0" not in token
            prev = pieces[-1] if pieces else None
            if prev and not is_space and not prev.space and not _can_break(prev.text, token):
                prev.text += token  # e.g. "12,250.00", "เด็กๆ", "(ครั้ง"
            else:
                pieces.append(_Piece(pos, token, is_space))
            pos += len(token)
        return pieces

    def _run(self, text: str) -> tuple[str, ShapedStr, float]:
        return (text, *_shape(self.font, self.style.fontSize, text))

    def _wrap_line(self, line: str, offset: int, width: float, indent: float) -> list[Line]:
        """Greedy fill. Each word becomes one run (with the space before it, if any), and
        a run is measured exactly as it will be drawn, so no line exceeds the width
        unless a single cluster does."""
        if not line:
            return [Line(offset, "", 0.0, indent, [])]
        lines: list[Line] = []
        runs: list[tuple[str, ShapedStr, float]] = []
        start, used, spaced = offset, 0.0, False
        queue = deque(self._pieces(line, offset))
        while queue:
            piece = queue.popleft()
            if piece.space:
                spaced = bool(runs)  # spaces at a line start are dropped
                continue
            limit = width - indent
            if self.text_width(piece.text) > limit + _EPS and len(parts := clusters(piece.text)) > 1:
                # A word wider than the whole line: let it break between clusters.
                pos = piece.start + len(piece.text)
                for part in reversed(parts):
                    pos -= len(part)
                    queue.appendleft(_Piece(pos, part, False))
                continue
            if runs:
                run = self._run(" " + piece.text if spaced else piece.text)
                if used + run[2] <= limit + _EPS:
                    runs.append(run)
                    used, spaced = used + run[2], False
                    continue
                lines.append(Line(start, "".join(r[0] for r in runs), used, indent, runs))
                runs, indent = [], 0.0
            run = self._run(piece.text)
            runs.append(run)
            start, used, spaced = piece.start, run[2], False
        if runs:
            lines.append(Line(start, "".join(r[0] for r in runs), used, indent, runs))
        return lines

    def layout(self, avail_width: float) -> list[Line]:
        """The lines this paragraph prints in a column avail_width points wide."""
        if self._wrapped_for != avail_width:
            st = self.style
            width = avail_width - st.leftIndent - st.rightIndent
            lines: list[Line] = []
            offset = 0
            if self.text:
                for i, hard in enumerate(self.text.split("\n")):
                    indent = 0.0 if (i == 0 and self._continued) else st.firstLineIndent
                    lines += self._wrap_line(hard, offset, width, indent)
                    offset += len(hard) + 1
            self._lines, self._wrapped_for = lines, avail_width
        return self._lines

    def minWidth(self) -> float:  # noqa: N802 - used by Table to size columns
        widest = max((self.text_width(p.text) for line in self.text.split("\n") if line
                      for p in self._pieces(line, 0) if not p.space), default=0.0)
        return widest + self.style.leftIndent + self.style.rightIndent + self.style.firstLineIndent

    # -- platypus protocol ---------------------------------------------------------

    def wrap(self, availWidth, availHeight):  # noqa: N803
        self.width = availWidth
        self.height = len(self.layout(availWidth)) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        lines = self.layout(availWidth)
        fit = int((availHeight + _EPS) // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(lines):
            return [self]
        cut = lines[fit].start
        head = self.text[:cut]
        head = head[:-1] if head.endswith("\n") else head.rstrip(" ")
        continued = self.text[cut - 1] != "\n"
        return [
            ThaiParagraph(head, self.style, _continued=self._continued),
            ThaiParagraph(self.text[cut:], self.style, _continued=continued),
        ]

    def draw(self):
        canv, st = self.canv, self.style
        size, leading = st.fontSize, st.leading
        ascent = self.font.face.ascent * size / 1000
        descent = -self.font.face.descent * size / 1000
        # Centre the font's ascent+descent box in each line's leading.
        y = self.height - (leading - ascent - descent) / 2 - ascent
        inner = self.width - st.leftIndent - st.rightIndent
        for line in self._lines:
            if line.runs:
                free = inner - line.indent - line.width
                x = st.leftIndent + line.indent
                if st.alignment == TA_RIGHT:
                    x += free
                elif st.alignment == TA_CENTER:
                    x += free / 2
                for text, shaped, w in line.runs:
                    canv.addLiteral(_actual_text_span(text))
                    tx = canv.beginText(x, y)
                    tx.setFont(st.fontName, size, leading)
                    tx.setFillColor(st.textColor)
                    tx.textOut(shaped)
                    canv.drawText(tx)
                    canv.addLiteral("EMC")
                    x += w
            y -= leading


@functools.cache
def _default_styles() -> dict[str, ParagraphStyle]:
    from app.exchange.pdf.styles import sheet_styles

    return sheet_styles()


def cell(text: object, style: ParagraphStyle | None = None, *, thai_digits: bool = False) -> ThaiParagraph:
    """A table cell: always a shaped paragraph (None prints as an empty cell)."""
    return ThaiParagraph(text, style or _default_styles()["body"], thai_digits=thai_digits)


def money_cell(amount: Decimal | int | str | None, *, thai_digits: bool = True, decimals: int = 2,
               style: ParagraphStyle | None = None) -> ThaiParagraph:
    """A right-aligned amount with thousands separators: 12250 -> "๑๒,๒๕๐.๐๐"."""
    return ThaiParagraph(format_number(amount, decimals, thai_digits), style or _default_styles()["number"])
