from hypothesis import given, settings
from hypothesis import strategies as st

from app.thai import ZWSP, break_words, insert_zwsp


def test_break_words():
    assert break_words("สวัสดีครับ") == ["สวัสดี", "ครับ"]
    assert break_words("") == []
    text = "แผนปฏิบัติงาน  ปีงบประมาณ ๒๕๖๗\nกลุ่มส่งเสริมสหกรณ์ 1 (CPS)\t"
    tokens = break_words(text)
    assert "".join(tokens) == text
    assert "  " in tokens and "\n" in tokens


def test_insert_zwsp():
    assert insert_zwsp("สวัสดีครับ") == f"สวัสดี{ZWSP}ครับ"
    assert insert_zwsp("abc def") == "abc def"
    assert insert_zwsp("") == ""
    # never before ๆ: a line must not start with it
    assert f"{ZWSP}ๆ" not in insert_zwsp("ต่างๆนานา")
    # nothing next to spaces or Latin
    spaced = insert_zwsp("สหกรณ์ abc การเกษตร")
    assert f" {ZWSP}" not in spaced and f"{ZWSP} " not in spaced and f"{ZWSP}a" not in spaced


text_strategy = st.text(
    alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.sampled_from(" \n\tab1,.-\u200b"),
    max_size=40,
)


@settings(max_examples=60, deadline=None)  # the first call loads the dictionary
@given(text_strategy)
def test_join_equals_input(text):
    assert "".join(break_words(text)) == text
    with_zwsp = insert_zwsp(text)
    assert with_zwsp.replace(ZWSP, "") == text.replace(ZWSP, "")
    assert insert_zwsp(with_zwsp) == with_zwsp
