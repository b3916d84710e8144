"""What every printed sheet's build shares: binary streams for speed, and a canvas that
knows the page count when it draws each footer."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas



@contextlib.contextmanager
def binary_streams():
    """reportlab's pure-Python ASCII85 step took a fifth of the build and only serves 7-bit
    channels (not files, not the GUI's bytes); the setting is reportlab's only switch."""
    before, rl_config.useA85 = rl_config.useA85, 0
    try:
        yield
    finally:
        rl_config.useA85 = before


class PagedCanvas(Canvas):
    """Keeps every page until save() so that each footer can say how many pages there are."""

    def __init__(self, *args, decorate: Callable[[Canvas, int, int], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._kept: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._kept, 1):
            self.__dict__.update(state)
            self._decorate(self, number, len(self._kept))
            super().showPage()
        super().save()
