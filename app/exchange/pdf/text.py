"""Thai text for reportlab: shaped, searchable, wrapped at Thai word boundaries.

reportlab's own Paragraph cannot do all three at once (it splits Thai mid-word into
tofu, ``wordWrap='CJK'`` turns shaping off, U+200B prints as a space), so
``ThaiParagraph`` is a small Flowable that

1. breaks the text into words with ``app.thai.break_words`` (pythainlp newmm) and fills
   lines greedily using the *shaped* advance widths of those words;
2. shapes each unbreakable run with reportlab's own HarfBuzz path (``shapeStr``, the
   one ``Paragraph(shaping=1)`` uses), so tone marks sit over upper vowels, ญ/ฐ lose
   their tails above lower vowels, ำ composes with tone marks;
3. wraps the drawn text in marked-content spans carrying ``/ActualText`` (the real
   Unicode text, one span per space-separated group of words on a line). Why: shaped
   glyphs without a cmap entry (ที่'s raised tone mark, ญ without its tail, the ํ+้
   ligature of น้ำ) reach the PDF as private-use code points, and HarfBuzz splits ำ into
   ํ + า, so extraction gives "ที\\ue000", "น\\ue002า", "ทํา". A per-glyph ToUnicode map
   cannot undo that (one า glyph serves both า and ำ; a ligature stands for two
   characters). ActualText gives readers the exact string; poppler's pdftotext honours
   it (tests/pdf check every mode), as does Acrobat; a reader that ignores it (pdf.js
   today) falls back to the glyphs, i.e. to reportlab's default.

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
MIN_SHRINK = 0.5


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


@functools.lru_cache(maxsize=16384)  # words repeat across a sheet's cells
def _shape(font: object, size: float, text: str) -> tuple[ShapedStr, float]:
    """A shaped run and its advance width in points (what is drawn is what is measured)."""
    shaped = shapeStr(text, font.fontName, size, force=True)
    width = sum(sd.x_advance for sd in shaped.__shapeData__) * size / 1000
    return shaped, width


def _spans(runs: list[tuple[str, ShapedStr, float]]):
    """Group a line's runs into ActualText spans that end after a space.

    Why not one span per word: poppler takes a span's right edge from its *last glyph*,
    and a Thai word often ends in a zero-width mark drawn left of the pen (ปี่), so the
    next span seemed to start after a gap and pdftotext inserted a space ("ปี่ ง"). A
    span ending in a space glyph (or at the line end) has no such gap.
    """
    group: list[tuple[str, ShapedStr, float]] = []
    for run in runs:
        group.append(run)
        if run[0] == " ":
            yield _joined(group)
            group = []
    if group:
        yield _joined(group)


def _joined(runs: list[tuple[str, ShapedStr, float]]) -> tuple[str, ShapedStr, float]:
    if len(runs) == 1:
        return runs[0]
    shape_data = [sd for r in runs for sd in r[1].__shapeData__]
    shaped = ShapedStr("".join(r[1] for r in runs), shapeData=shape_data)
    return "".join(r[0] for r in runs), shaped, sum(r[2] for r in runs)


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
    runs: list[tuple[str, ShapedStr, float]]  # (text, shaped, width) per word or space


class ThaiParagraph(Flowable):
    """A paragraph of plain text (no markup) in one ParagraphStyle.

    Uses the style's fontName, fontSize, leading, alignment (left, center, right;
    justify prints left), textColor, leftIndent, rightIndent, firstLineIndent,
    spaceBefore, spaceAfter. "\\n" forces a line break.

    shrink=True: if a word (an amount) is wider than the column, print the paragraph
    smaller (down to half size) rather than cut the word, like a spreadsheet's
    "shrink to fit". money_cell uses it: "1,75" over "0" would be misread.
    """

    def __init__(self, text: object, style: ParagraphStyle, *, thai_digits: bool = False, shrink: bool = False,
                 _continued: bool = False):
        super().__init__()
        register_sarabun()
        self.style = style
        self.font = pdfmetrics.getFont(style.fontName)
        if not getattr(self.font, "shapable", False):
            raise ValueError(f"font {style.fontName!r} cannot shape Thai; use a Sarabun style")
        text = _clean(text)
        self.text = to_thai_digits(text) if thai_digits else text
        self.shrink = shrink
        self.font_size = style.fontSize  # smaller after layout() if shrink had to
        self._continued = _continued  # a split-off rest: no first-line indent
        self._lines: list[Line] = []
        self._wrapped_for: float | None = None
        self.width = self.height = 0.0

    def __repr__(self) -> str:
        return f"ThaiParagraph({self.text[:40]!r})"

    def getPlainText(self, identify: bool | None = None) -> str:  # noqa: N802 - reportlab's name
        # reportlab's "too large on page" error path calls getPlainText(identify=1).
        return self.text

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.spaceAfter

    # -- measuring -----------------------------------------------------------------

    def text_width(self, text: str) -> float:
        return _shape(self.font, self.font_size, text)[1]

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
        return (text, *_shape(self.font, self.font_size, text))

    def _wrap_line(self, line: str, offset: int, width: float, indent: float) -> list[Line]:
        """Greedy fill, one run per word or space. Runs are shaped once and measured as
        drawn, so no line exceeds the width unless a single cluster does."""
        if not line:
            return [Line(offset, "", 0.0, indent, [])]
        lines: list[Line] = []
        runs: list[tuple[str, ShapedStr, float]] = []
        start, used, space = offset, 0.0, None
        queue = deque(self._pieces(line, offset))
        while queue:
            piece = queue.popleft()
            if piece.space:
                space = self._run(" ") if runs else None  # no space at a line start
                continue
            word = self._run(piece.text)
            limit = width - indent
            if word[2] > limit + _EPS and len(parts := clusters(piece.text)) > 1:
                # A word wider than the whole line: let it break between clusters.
                pos = piece.start + len(piece.text)
                for part in reversed(parts):
                    pos -= len(part)
                    queue.appendleft(_Piece(pos, part, False))
                continue
            if runs:
                extra = word[2] + (space[2] if space else 0.0)
                if used + extra <= limit + _EPS:
                    runs += [space, word] if space else [word]
                    used, space = used + extra, None
                    continue
                lines.append(Line(start, "".join(r[0] for r in runs), used, indent, runs))
                runs, indent = [], 0.0
            runs.append(word)
            start, used, space = piece.start, word[2], None
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
            self.font_size = st.fontSize
            if self.shrink and self.text:
                widest = self._widest_word()
                room = width - max(st.firstLineIndent, 0)
                if widest > room > 0:
                    self.font_size = st.fontSize * max(room / widest, MIN_SHRINK)
            if self.text:
                for i, hard in enumerate(self.text.split("\n")):
                    indent = 0.0 if (i == 0 and self._continued) else st.firstLineIndent
                    lines += self._wrap_line(hard, offset, width, indent)
                    offset += len(hard) + 1
            self._lines, self._wrapped_for = lines, avail_width
        return self._lines

    def _widest_word(self) -> float:
        """Widest unbreakable piece at the style's size."""
        return max((_shape(self.font, self.style.fontSize, p.text)[1] for line in self.text.split("\n") if line
                    for p in self._pieces(line, 0) if not p.space), default=0.0)

    def minWidth(self) -> float:  # noqa: N802 - used by Table to size columns
        st = self.style
        return self._widest_word() + st.leftIndent + st.rightIndent + st.firstLineIndent

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
            ThaiParagraph(head, self.style, shrink=self.shrink, _continued=self._continued),
            ThaiParagraph(self.text[cut:], self.style, shrink=self.shrink, _continued=continued),
        ]

    def draw(self):
        canv, st = self.canv, self.style
        size, leading = self.font_size, st.leading
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
                for text, shaped, w in _spans(line.runs):
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


def cell(text: object, style: ParagraphStyle | None = None, *, thai_digits: bool = False,
         shrink: bool = False) -> ThaiParagraph:
    """A table cell: always a shaped paragraph (None prints as an empty cell)."""
    return ThaiParagraph(text, style or _default_styles()["body"], thai_digits=thai_digits, shrink=shrink)


def money_cell(amount: Decimal | int | str | None, *, thai_digits: bool = True, decimals: int = 2,
               style: ParagraphStyle | None = None) -> ThaiParagraph:
    """A right-aligned amount with thousands separators: 12250 -> "๑๒,๒๕๐.๐๐".

    Shrinks (down to half size) in a narrow column rather than cut the amount.
    """
    text = format_number(amount, decimals, thai_digits)
    return ThaiParagraph(text, style or _default_styles()["number"], shrink=True)
