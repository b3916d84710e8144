"""Thai word breaking for line wrapping.

Neither reportlab nor Qt (without the system libthai, absent on Windows) can find
Thai word boundaries, so we find them with pythainlp's "newmm" dictionary
tokenizer. pythainlp costs ~0.5-1 s on first use, so it is imported on the first
call, never at app start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

ZWSP = "\u200b"


@functools.cache
def _tokenize() -> Callable[[str], list[str]]:
    from pythainlp.tokenize import word_tokenize

    return functools.partial(word_tokenize, engine="newmm", keep_whitespace=True)


def break_words(text: str) -> list[str]:
    """Words and the runs of whitespace/other text between them; ''.join(result) == text."""
    if not text:
        return []
    tokens = _tokenize()(text)
    # The join is what callers rely on; never hand back tokens that lost characters.
    return tokens if "".join(tokens) == text else [text]


def _ends_thai(token: str) -> bool:
    return "\u0e01" <= token[-1] <= "\u0e4e"  # Thai letters and marks, not digits


def _starts_syllable(token: str) -> bool:
    # A consonant (ก-ฮ) or a leading vowel (เ-ไ); never a mark, ๆ or ฯ, which
    # belong to the word before them and must not start a line.
    ch = token[0]
    return "\u0e01" <= ch <= "\u0e2e" or "\u0e40" <= ch <= "\u0e44"


@functools.lru_cache(maxsize=4096)  # UI labels repeat: table headers, combo items
def insert_zwsp(text: str) -> str:
    """Put U+200B between adjacent Thai words so Qt can wrap the text.

    Existing U+200B are dropped first, so applying it twice changes nothing.
    """
    tokens = break_words(text.replace(ZWSP, ""))
    out = tokens[:1]
    for prev, token in zip(tokens, tokens[1:]):
        if _ends_thai(prev) and _starts_syllable(token):
            out.append(ZWSP)
        out.append(token)
    return "".join(out)
