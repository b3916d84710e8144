"""Undo steps of the plan grid. Each one calls the model's primitive changes (the `_set`,
`_insert`, `_remove`, `_move` methods), which are the only code that changes its rows, so
whatever the user did — a typed cell, a paste, Delete, adding, moving or indenting rows —
undoes the same way. A paste that also adds rows is one macro on the stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.rules.plan import PlanActivity

if TYPE_CHECKING:
    from ui.models.plan_grid_model import PlanGridModel, Stated

KEEP_COLUMN = -1  # focus_requested: put the cursor on this row, in the column it is in


class ChangeRows(QUndoCommand):
    """Rows replaced by edited copies, and/or the totals row's stated figures changed."""

    def __init__(self, model: PlanGridModel, before: tuple[dict[int, PlanActivity], Stated],
                 after: tuple[dict[int, PlanActivity], Stated], text: str, focus: tuple[int, int]) -> None:
        super().__init__(text)
        self.model, self.before, self.after, self.focus = model, before, after, focus
        self._pushed = False

    def redo(self) -> None:
        self.model._set(*self.after)
        if self._pushed:  # the first redo is the edit itself: the cursor is already there
            self.model.focus_requested.emit(*self.focus)
        self._pushed = True

    def undo(self) -> None:
        self.model._set(*self.before)
        self.model.focus_requested.emit(*self.focus)


class InsertRows(QUndoCommand):
    def __init__(self, model: PlanGridModel, position: int, rows: list[PlanActivity], text: str) -> None:
        super().__init__(text)
        self.model, self.position, self.rows = model, position, rows

    def redo(self) -> None:
        self.model._insert(self.position, self.rows)
        self.model.focus_requested.emit(self.position, KEEP_COLUMN)

    def undo(self) -> None:
        self.model._remove(self.position, len(self.rows))
        self.model.focus_requested.emit(max(0, self.position - 1), KEEP_COLUMN)


class RemoveRows(QUndoCommand):
    def __init__(self, model: PlanGridModel, position: int, count: int, text: str) -> None:
        super().__init__(text)
        self.model, self.position, self.count = model, position, count
        self.removed: list[PlanActivity] = []

    def redo(self) -> None:
        self.removed = self.model._remove(self.position, self.count)
        self.model.focus_requested.emit(self.position, KEEP_COLUMN)

    def undo(self) -> None:
        self.model._insert(self.position, self.removed)
        self.model.focus_requested.emit(self.position, KEEP_COLUMN)


class MoveRows(QUndoCommand):
    """A block of `count` rows starting at `first` moved `delta` places (up is negative)."""

    def __init__(self, model: PlanGridModel, first: int, count: int, delta: int, text: str) -> None:
        super().__init__(text)
        self.model, self.first, self.count, self.delta = model, first, count, delta

    def redo(self) -> None:
        self.model._move(self.first, self.count, self.delta)
        self.model.focus_requested.emit(self.first + self.delta, KEEP_COLUMN)

    def undo(self) -> None:
        self.model._move(self.first + self.delta, self.count, -self.delta)
        self.model.focus_requested.emit(self.first, KEEP_COLUMN)
