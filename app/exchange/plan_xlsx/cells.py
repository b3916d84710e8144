"""A plan worksheet's cells with its merged ranges known.

Headers are read with merged values spread over their range (a month merged over งาน/งบ
names both columns); figures only from a range's top-left cell, so a number merged over two
cells counts once and a heading merged across the row is not read as month figures.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from app.exchange.xlsx_read import Grid, cell_text


def text_of(value: object) -> str:
    """A cell as text: typed text keeps its inner spacing and line breaks, numbers as shown."""
    return value.strip() if isinstance(value, str) else cell_text(value)


class Cells:
    def __init__(self, ws: Worksheet, formulas: frozenset[tuple[int, int]] = frozenset()):
        self.grid = Grid.from_worksheet(ws)
        self.title = ws.title
        self.formulas = formulas  # (row, col) of formula cells, when the caller asked for them
        self._origin: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        self._origin[(r, c)] = (rng.min_row, rng.min_col)

    @property
    def n_rows(self) -> int:
        return self.grid.n_rows

    @property
    def n_cols(self) -> int:
        return self.grid.n_cols

    def filled(self, row: int, col: int) -> object:
        """The value shown in the cell, merged ranges spread over every cell."""
        return self.grid.value(row, col)

    def value(self, row: int, col: int) -> object:
        """The cell's own value: None inside a merged range but for its top-left cell."""
        return None if (row, col) in self._origin else self.grid.value(row, col)

    def text_down(self, row: int, col: int) -> str:
        """Text of the cell or of a range merged down the same column (a name written once
        for several rows belongs to each of them)."""
        origin = self._origin.get((row, col))
        if origin is not None and origin[1] != col:
            return ""
        return text_of(self.grid.value(row, col))

    def text(self, row: int, col: int) -> str:
        return text_of(self.value(row, col))

    def is_formula(self, row: int, col: int) -> bool:
        return (row, col) in self.formulas

    def texts(self, row: int) -> list[tuple[int, str]]:
        """(column, text) of the row's own non-empty cells, left to right."""
        out = []
        for c in range(1, self.n_cols + 1):
            t = self.text(row, c)
            if t:
                out.append((c, t))
        return out
