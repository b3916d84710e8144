import random
import time

from hypothesis import given
from hypothesis import strategies as st

from app.thai import thai_sort_key


def _sorted(words):
    return sorted(words, key=thai_sort_key)


def test_dictionary_order():
    words = ["ไก่", "เกาะ", "กา", "ขา", "โต๊ะ", "แม่", "กก"]
    assert _sorted(words) == ["กก", "กา", "เกาะ", "ไก่", "ขา", "โต๊ะ", "แม่"]
    # pythainlp's own example (Royal Institute order)
    assert _sorted(["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"]) == [
        "กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู",
    ]  # fmt: skip
    # ใ before ไ, and a bare consonant before any vowel
    assert _sorted(["ไจ", "ใจ", "จะ", "จ", "จก"]) == ["จ", "จก", "จะ", "ใจ", "ไจ"]
    # ฤ after ร, before ล
    assert _sorted(["ลม", "ฤดู", "รส"]) == ["รส", "ฤดู", "ลม"]


def test_tone_marks_are_secondary():
    # Tone only breaks ties: ก่า and ก้า come before กาง.
    assert _sorted(["กาง", "ก๋า", "ก้า", "ก๊า", "ก่า", "กา"]) == ["กา", "ก่า", "ก้า", "ก๊า", "ก๋า", "กาง"]
    assert _sorted(["เข้า", "เขา", "ข้าว", "ข่าว", "ขาว"]) == ["ขาว", "ข่าว", "ข้าว", "เขา", "เข้า"]
    assert _sorted(["การ์ด", "การด"]) == ["การด", "การ์ด"]


def test_mixed_scripts():
    words = ["ข้าว", "Banana", "apple", "10", "๒", "สหกรณ์", "3"]
    assert _sorted(words) == ["10", "๒", "3", "apple", "Banana", "ข้าว", "สหกรณ์"]


def test_key_is_injective():
    assert thai_sort_key("เก") != thai_sort_key("กเ")
    assert thai_sort_key("A") != thai_sort_key("a")
    assert thai_sort_key("๑") != thai_sort_key("1")


thai_block = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
thai_text = st.text(alphabet=thai_block | st.sampled_from("aB1 -"))


@given(st.lists(thai_text, max_size=30), st.randoms())
def test_total_order_stable_under_shuffle(words, rnd):
    expected = _sorted(words)
    shuffled = list(words)
    rnd.shuffle(shuffled)
    assert _sorted(shuffled) == expected


@given(thai_text, thai_text)
def test_keys_tie_only_for_equal_strings(a, b):
    assert (thai_sort_key(a) == thai_sort_key(b)) == (a == b)


def test_speed_10k_keys():
    rnd = random.Random(7)
    consonants, vowels = "กขคงจฉชซดตถทนบปผพฟมยรลวสหอฮ", "ะาิีึืุูเแโใไ่้๊๋์็"
    letters = consonants + vowels
    words = ["".join(rnd.choices(letters, k=rnd.randint(2, 12))) for _ in range(10_000)]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for w in words:
            thai_sort_key(w)
        best = min(best, time.perf_counter() - start)
    assert best < 0.1
