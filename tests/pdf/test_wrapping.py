"""Thai wraps only between words (pythainlp newmm), measured with shaped widths."""

from __future__ import annotations

import itertools
import re

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Table

from app.exchange.pdf import ThaiParagraph, cell, clusters, sheet_styles
from app.thai import break_words
from tests.pdf.helpers import build, pdftotext, text_lines

ACTIVITY = (
    "ร่วมกับกลุ่ม กศ. วิเคราะห์สาเหตุและปัญหาของสหกรณ์ที่กรณีการดำเนินงานไม่ผ่านมาตรฐานสหกรณ์"
    "ในปีที่ผ่านมา และกำหนดแนวทางในการผลักดันเพื่อให้สหกรณ์ผ่านมาตรฐานสหกรณ์"
)
COLUMN = 5 * cm


@pytest.fixture(scope="module")
def styles():
    return sheet_styles()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def word_starts(text: str) -> set[int]:
    return set(itertools.accumulate((len(t) for t in break_words(text)), initial=0))


def test_narrow_column_breaks_between_words(styles):
    para = ThaiParagraph(ACTIVITY, styles["body"])
    lines = para.layout(COLUMN)
    assert len(lines) >= 4
    assert all(line.width <= COLUMN + 1e-6 for line in lines)
    assert all(line.start in word_starts(ACTIVITY) for line in lines)
    assert all(ACTIVITY[line.start:].startswith(line.text) for line in lines)
    assert squeeze("".join(line.text for line in lines)) == squeeze(ACTIVITY)
    # Greedy: the next line's first word would not have fitted.
    for line, after in zip(lines, lines[1:]):
        first = after.runs[0][2]
        assert line.width + para.text_width(" ") * (ACTIVITY[after.start - 1] == " ") + first > COLUMN


def test_wrapped_lines_extract_as_whole_words(tmp_path, styles):
    para = ThaiParagraph(ACTIVITY, styles["body"])
    pdf = build(tmp_path / "wrap.pdf", [Table([[para]], colWidths=[COLUMN + 12])])  # 6 pt padding
    expected = [line.text for line in para.layout(COLUMN)]
    for mode in ([], ["-raw"], ["-layout"]):
        lines = text_lines(pdftotext(pdf, *mode))
        assert lines == expected, mode
    starts = word_starts(ACTIVITY)
    pos = 0
    for line in lines:  # every extracted line is a run of whole newmm words
        pos = ACTIVITY.index(line, pos)
        assert pos in starts and pos + len(line) in starts | {len(ACTIVITY)}
    assert squeeze("".join(lines)) == squeeze(ACTIVITY)


@pytest.mark.parametrize("width", [2 * cm, 3 * cm, 4 * cm, 7 * cm, 12 * cm])
def test_no_line_wider_than_column(styles, width):
    for style in ("body", "body_bold", "title", "small"):
        lines = ThaiParagraph(ACTIVITY * 2, styles[style]).layout(width)
        assert all(line.width <= width + 1e-6 for line in lines)


def test_long_word_splits_between_clusters_only(tmp_path, styles):
    word = "ผู้ใหญ่" * 4 + "น้ำค้าง" * 4 + "กตัญญู" * 4
    para = ThaiParagraph(word, styles["body"])
    lines = para.layout(2 * cm)
    assert len(lines) > 2
    assert all(line.width <= 2 * cm for line in lines)
    assert "".join(line.text for line in lines) == word
    boundaries = set(itertools.accumulate((len(c) for c in clusters(word)), initial=0))
    assert all(line.start in boundaries for line in lines)
    # No line starts with a mark or a following vowel (ะ า ำ) or ends with a leading vowel.
    assert not [line.text for line in lines if line.text[0] in "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"]
    assert not [line.text for line in lines if line.text[-1] in "เแโใไ"]
    assert text_lines(pdftotext(build(tmp_path / "long.pdf", [Table([[para]], colWidths=[2 * cm + 12])]), "-raw")) == [
        line.text for line in lines
    ]


def test_clusters_keep_marks_and_vowels_with_their_consonant():
    assert clusters("ผู้ใหญ่") == ["ผู้", "ให", "ญ่"]
    assert clusters("น้ำ") == ["น้ำ"]
    assert clusters("เกี่ยวข้อง") == ["เกี่", "ย", "ว", "ข้", "อ", "ง"]
    assert clusters("กา") == ["กา"]
    assert clusters("abc") == ["a", "b", "c"]


def test_abbreviations_numbers_and_repeat_marks_stay_whole(styles):
    text = "ประชุม กศ. งบ 12,250.00 บาท เด็กๆ กรุงเทพฯ (ครั้งที่ ๑/๒๕๖๗)"
    wholes = ("กศ.", "12,250.00", "เด็กๆ", "กรุงเทพฯ", "(ครั้ง", "๑/๒๕๖๗)")
    para = ThaiParagraph(text, styles["body"])
    widest = max(para.text_width(w) for w in wholes + ("ประชุม",))
    for width in (widest + 0.5, widest + 8, 2.5 * cm, 4 * cm):
        texts = [line.text for line in ThaiParagraph(text, styles["body"]).layout(width)]
        assert len(texts) > 1
        for whole in wholes:
            assert any(whole in t for t in texts), (whole, texts)


def test_hard_line_breaks_and_blank_lines(styles):
    para = ThaiParagraph("บรรทัดแรก\n\nบรรทัดที่สาม", styles["body"])
    assert [line.text for line in para.layout(10 * cm)] == ["บรรทัดแรก", "", "บรรทัดที่สาม"]
    assert para.wrap(10 * cm, 100)[1] == 3 * styles["body"].leading


def test_alignment_and_indents_stay_inside_the_column(styles):
    base = styles["body"]
    style = ParagraphStyle("indented", parent=base, leftIndent=10, rightIndent=20, firstLineIndent=30)
    para = ThaiParagraph(ACTIVITY, style)
    lines = para.layout(COLUMN + 30)
    assert lines[0].indent == 30 and all(line.indent == 0 for line in lines[1:])
    assert lines[0].width <= COLUMN - 30 + 1e-6
    assert all(line.width <= COLUMN + 1e-6 for line in lines)


def test_split_across_pages_keeps_every_word_once(tmp_path, styles):
    text = " ".join([ACTIVITY] * 40)
    pdf = build(tmp_path / "pages.pdf", [ThaiParagraph(text, styles["body"])])
    out = pdftotext(pdf, "-raw")
    assert out.count("\f") >= 2  # at least two pages
    assert squeeze(out) == squeeze(text)


def test_split_parts_rewrap_identically(styles):
    para = ThaiParagraph("ย่อหน้า\n" + ACTIVITY, ParagraphStyle("i", parent=styles["body"], firstLineIndent=20))
    whole = [line.text for line in para.layout(COLUMN)]
    for fit in range(1, len(whole)):
        head, rest = para.split(COLUMN, fit * para.style.leading + 0.5)
        assert [line.text for line in head.layout(COLUMN)] + [line.text for line in rest.layout(COLUMN)] == whole
        assert rest.layout(COLUMN)[0].indent == (20 if whole[fit] == ACTIVITY[: len(whole[fit])] else 0)
    assert para.split(COLUMN, para.style.leading - 1) == []


def test_min_width_is_the_widest_unbreakable_word(styles):
    para = cell("งบดำเนินงาน 12,250.00 บาท", styles["body"])
    assert para.minWidth() == pytest.approx(max(para.text_width(w) for w in ("งบ", "ดำเนินงาน", "12,250.00", "บาท")))
