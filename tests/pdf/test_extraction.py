"""Shaped Thai must come back out of the PDF as the exact input text (pdftotext)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from reportlab.platypus import Paragraph, Table

from app.exchange.pdf import ThaiParagraph, cell, money_cell, sheet_styles
from tests.pdf.helpers import build, pdftotext, text_lines
from tests.pdf.strings import TRICKY

PUA = range(0xE000, 0xF900)


@pytest.fixture(scope="module")
def styles():
    return sheet_styles()


@pytest.mark.parametrize("mode", [[], ["-raw"], ["-layout"]], ids=["default", "raw", "layout"])
def test_tricky_strings_extract_exactly(tmp_path, styles, mode):
    pdf = build(tmp_path / "tricky.pdf", [ThaiParagraph(s, styles["body"]) for s in TRICKY])
    text = pdftotext(pdf, *mode)
    assert not [ch for ch in text if ord(ch) in PUA]
    assert text_lines(text) == TRICKY


def test_bold_heading_and_title_styles_extract_exactly(tmp_path, styles):
    names = ["body_bold", "title", "heading", "small", "center", "number"]
    story = [ThaiParagraph(s, styles[name]) for s in TRICKY[:12] for name in names]
    text = pdftotext(build(tmp_path / "styles.pdf", story), "-raw")
    assert text_lines(text) == [s for s in TRICKY[:12] for _ in names]


def test_plain_reportlab_paragraph_does_not_extract(tmp_path, styles):
    """Control: the trap this package exists for. reportlab's own shaped Paragraph
    writes substituted glyphs as private-use code points, so the check above has teeth."""
    pdf = build(tmp_path / "plain.pdf", [Paragraph(s, styles["body"]) for s in ["ที่", "น้ำ", "ทำ"]])
    lines = text_lines(pdftotext(pdf, "-raw"))
    assert lines != ["ที่", "น้ำ", "ทำ"]
    # reportlab numbers substituted glyphs from U+E000 in the order a process first meets
    # them, so which private-use point ที่'s mark gets depends on what was drawn before.
    assert re.search("ที[\ue000-\uf8ff]", lines[0])


def test_table_cells_extract_exactly(tmp_path, styles):
    rows = [[cell(s, styles["body"]), money_cell(Decimal(i) * 1750)] for i, s in enumerate(TRICKY[10:20], 1)]
    pdf = build(tmp_path / "table.pdf", [Table(rows, colWidths=[380, 120])])
    lines = text_lines(pdftotext(pdf, "-layout"))
    from app.thai import format_number

    assert lines == [f"{s} {format_number(Decimal(i) * 1750, thai_digits=True)}" for i, s in enumerate(TRICKY[10:20], 1)]


def test_thai_digits_option(tmp_path, styles):
    story = [
        ThaiParagraph("งบดำเนินงาน 12,250.00 บาท ปี 2567", styles["body"], thai_digits=True),
        ThaiParagraph("งบดำเนินงาน 12,250.00 บาท ปี 2567", styles["body"]),
        Table([[money_cell(Decimal("1234567.005")), money_cell(Decimal("-0.5"), thai_digits=False),
                money_cell(None), money_cell(7, decimals=0)]], colWidths=[120] * 4),
    ]
    lines = text_lines(pdftotext(build(tmp_path / "digits.pdf", story), "-layout"))
    assert lines == [
        "งบดำเนินงาน ๑๒,๒๕๐.๐๐ บาท ปี ๒๕๖๗",
        "งบดำเนินงาน 12,250.00 บาท ปี 2567",
        "๑,๒๓๔,๕๖๗.๐๑ -0.50 ๗",
    ]


def test_money_cell_is_right_aligned(styles):
    para = money_cell(Decimal("12250"))
    assert para.text == "๑๒,๒๕๐.๐๐"
    assert para.style.alignment == styles["number"].alignment == 2  # TA_RIGHT


def test_cell_accepts_none_and_numbers(styles):
    assert cell(None).text == ""
    assert cell(None).wrap(100, 100) == (100, 0)
    assert cell(2567, thai_digits=True).text == "๒๕๖๗"


def test_whitespace_is_normalised(tmp_path, styles):
    para = ThaiParagraph("  ก\tข\u200bค  ง \r\nจ  ", styles["body"])
    assert para.text == "ก ขค ง\nจ"
    assert text_lines(pdftotext(build(tmp_path / "ws.pdf", [para]), "-raw")) == ["ก ขค ง", "จ"]


def test_money_cell_shrinks_instead_of_cutting_the_amount(tmp_path, styles):
    amount = money_cell(Decimal("12345678.90"))  # about 107 pt wide at 14 pt
    lines = amount.layout(60)
    assert len(lines) == 1 and lines[0].width <= 60 + 1e-6
    assert amount.font_size < styles["number"].fontSize
    small = money_cell(Decimal("1.5"))
    assert len(small.layout(50)) == 1 and small.font_size == styles["number"].fontSize
    pdf = build(tmp_path / "shrink.pdf", [Table([[amount, cell("ข้อความ")]], colWidths=[72, 100])])
    assert text_lines(pdftotext(pdf, "-layout")) == ["๑๒,๓๔๕,๖๗๘.๙๐ ข้อความ"]
