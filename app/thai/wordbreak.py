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
# ๆ and ฯ belong to the word before them: never let a line start with one.
_NO_BREAK_BEFORE = "ๆฯ"


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


def _is_thai_letter(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


@functools.lru_cache(maxsize=4096)  # UI labels repeat: table headers, combo items
def insert_zwsp(text: str) -> str:
    """Put U+200B between adjacent Thai words so Qt can wrap the text.

    Existing U+200B are dropped first, so applying it twice changes nothing.
    """
    tokens = break_words(text.replace(ZWSP, ""))
    out = tokens[:1]
    for prev, token in zip(tokens, tokens[1:]):
        if _is_thai_letter(prev[-1]) and _is_thai_letter(token[0]) and token[0] not in _NO_BREAK_BEFORE:
            out.append(ZWSP)
        out.append(token)
    return "".join(out)
