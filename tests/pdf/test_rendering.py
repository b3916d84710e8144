"""Look at the pixels: tone marks above upper vowels, no tofu (pdftoppm -r 150 + Pillow)."""

from __future__ import annotations

import pytest
from PIL import ImageChops
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas

from app.exchange.pdf import REGULAR, ThaiParagraph, sheet_styles
from tests.pdf.helpers import ink_rows, render
from tests.pdf.strings import TRICKY

SIZE, LEADING = 48, 64  # large, so a mark is many pixels tall at 150 dpi


@pytest.fixture(scope="module")
def big():
    return ParagraphStyle("big", parent=sheet_styles()["body"], fontSize=SIZE, leading=LEADING)


def draw(tmp_path, name: str, text: str, style, shaped: bool = True):
    """One string on a small page at a fixed baseline; returns the 150 dpi image."""
    path = tmp_path / f"{name}.pdf"
    c = canvas.Canvas(str(path), pagesize=(720, 100))
    if shaped:
        para = ThaiParagraph(text, style)
        para.wrap(700, 100)
        para.drawOn(c, 10, 10)
    else:  # reportlab's plain path: what a Table cell with a plain string prints
        face = ThaiParagraph("", style).font.face
        baseline = 10 + (LEADING - (face.ascent - face.descent) * SIZE / 1000) / 2 - face.descent * SIZE / 1000
        c.setFont(REGULAR, SIZE)
        c.drawString(10, baseline, text)
    c.save()
    (image,) = render(path)
    return image


PAIRS = [("ที่", "ที"), ("กิ่ง", "กิง"), ("ฟื้น", "ฟืน"), ("ปั้น", "ปัน"), ("ซึ่ง", "ซึง"), ("ป้ำ", "ปำ"),
         ("ปี๊", "ปี"), ("ปื๋", "ปื")]


@pytest.mark.parametrize(("marked", "bare"), PAIRS)
def test_tone_mark_is_drawn_above_the_upper_vowel(tmp_path, big, marked, bare):
    with_tone = ink_rows(draw(tmp_path, "tone", marked, big))
    without = ink_rows(draw(tmp_path, "bare", bare, big))
    assert with_tone[-1] == pytest.approx(without[-1], abs=1)  # same baseline
    # The tone mark's ink starts clearly higher than the vowel's top ...
    assert with_tone[0] < without[0] - 10, (with_tone[0], without[0])
    # ... and is a separate stroke: blank rows between it and the vowel below.
    gap = [y for y in range(with_tone[0], without[0]) if y not in with_tone]
    assert len(gap) >= 2


@pytest.mark.parametrize(("marked", "bare"), PAIRS[:2])
def test_unshaped_control_hides_the_tone_mark(tmp_path, big, marked, bare):
    """Control: without shaping the tone mark sits on the vowel, so the check above has teeth."""
    with_tone = ink_rows(draw(tmp_path, "tone", marked, big, shaped=False))
    without = ink_rows(draw(tmp_path, "bare", bare, big, shaped=False))
    assert with_tone[0] > without[0] - 3


def test_body_size_tone_mark_is_above_too(tmp_path):
    body = sheet_styles()["body"]
    assert ink_rows(draw(tmp_path, "a", "ที่", body))[0] < ink_rows(draw(tmp_path, "b", "ที", body))[0] - 2


def notdef(para: ThaiParagraph, width: float) -> list[str]:
    """Characters of the drawn runs whose glyph is .notdef (a tofu box)."""
    cmap = para.font.face.charToGlyph
    return [run[0] for line in para.layout(width) for run in line.runs
            if any(cmap.get(ord(ch), 0) == 0 for ch in run[1])]


def test_no_tofu_in_shaped_runs(big):
    body = sheet_styles()["body"]
    for text in TRICKY + ["ผู้ใหญ่" * 6 + "น้ำค้าง" * 6]:
        for width in (40, 80, 400):  # narrow widths force cluster splits
            assert notdef(ThaiParagraph(text, body), width) == [], text
    assert notdef(ThaiParagraph("漢字", body), 400) == ["漢字"]  # the check sees real tofu


def test_shaped_matches_unshaped_where_nothing_stacks(tmp_path, big):
    """Plain syllables draw identically through the shaped path: no boxes, no drift."""
    text = "สหกรณ์การเกษตร 2567"
    shaped = draw(tmp_path, "s", text, big)
    plain = draw(tmp_path, "p", text, big, shaped=False)
    differing = sum(ImageChops.difference(shaped, plain).histogram()[97:])
    ink = sum(plain.histogram()[:128])
    assert ink > 5000
    assert differing < 0.03 * ink, (differing, ink)
