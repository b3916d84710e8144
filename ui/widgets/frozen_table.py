"""A table whose first columns stay put while the rest scroll sideways (Excel's "freeze
panes"): a plan is 31 columns wide, and a row's figures mean nothing once its activity
has scrolled out of sight.

Done as in Qt's "Frozen Column" example: a second view over the same model and selection
model lies on top of the left edge and shows only the frozen columns. It never takes the
keyboard: the main view keeps focus, so arrows, Tab and typing behave the same on both
sides. A frozen cell is edited in the main view, with the cover lifted for that time
(scrolled fully left the main view shows the very same cells underneath).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget

SEPARATOR = "QTableView#frozenColumns { border: none; border-right: 2px solid #9aa7ba; }"


class FrozenColumnsTable(QTableView):
    def __init__(self, frozen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen_count = frozen
        self.cover = QTableView(self)
        self.cover.setObjectName("frozenColumns")
        self.cover.setStyleSheet(SEPARATOR)
        self.cover.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cover.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cover.verticalHeader().hide()
        self.cover.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cover.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cover.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.cover)
        self.cover.viewport().installEventFilter(self)
        self.cover.doubleClicked.connect(self._edit_from_cover)
        self.verticalScrollBar().valueChanged.connect(self.cover.verticalScrollBar().setValue)
        self.cover.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)

    # -- wiring the cover to the same model ---------------------------------------------------

    def setModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        self.cover.setModel(model)
        self.cover.setSelectionModel(self.selectionModel())
        for column in range(model.columnCount()):
            self.cover.setColumnHidden(column, column >= self.frozen_count)
        model.columnsInserted.connect(self._hide_unfrozen)

    def setHorizontalHeader(self, header: QHeaderView) -> None:  # noqa: N802 - Qt override
        super().setHorizontalHeader(header)
        header.sectionResized.connect(self._section_resized)
        self.cover.raise_()  # a header made after the cover would otherwise paint over it

    def set_cover_header(self, header: QHeaderView) -> None:
        """The cover's own header (the same kind as the main one, so they line up)."""
        self.cover.setHorizontalHeader(header)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._hide_unfrozen()

    def setItemDelegate(self, delegate: QAbstractItemDelegate) -> None:  # noqa: N802 - Qt override
        super().setItemDelegate(delegate)
        # An instance of its own: a delegate tells every view it serves about every editor's
        # commit, and the cover would warn about editors that are not its own.
        self.cover.setItemDelegate(type(delegate)(self.cover))

    def set_row_height(self, height: int) -> None:
        for view in (self, self.cover):
            view.verticalHeader().setMinimumSectionSize(height)
            view.verticalHeader().setDefaultSectionSize(height)

    def _hide_unfrozen(self) -> None:
        model = self.model()
        if model is not None:
            for column in range(model.columnCount()):
                self.cover.setColumnHidden(column, column >= self.frozen_count)
                if column < self.frozen_count:
                    self.cover.setColumnWidth(column, self.columnWidth(column))
        self._place_cover()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.frozen_count:
            self.cover.setColumnWidth(column, new)
            self._place_cover()

    def frozen_width(self) -> int:
        return sum(self.columnWidth(c) for c in range(self.frozen_count))

    def _place_cover(self) -> None:
        frame = self.frameWidth()
        self.cover.setGeometry(self.verticalHeader().width() + frame, frame, self.frozen_width() + 2,
                               self.viewport().height() + self.horizontalHeader().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_cover()

    def updateGeometries(self) -> None:  # noqa: N802 - Qt override
        super().updateGeometries()
        self._place_cover()

    # -- keeping the current cell in sight beside the cover ---------------------------------

    def scrollTo(self, index: QModelIndex, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802
        if not index.isValid():
            return
        across = self.horizontalScrollBar().value()
        super().scrollTo(index, hint)
        if index.column() < self.frozen_count:
            self.horizontalScrollBar().setValue(across)  # frozen cells are always in sight
            return
        hidden = self.frozen_width() - self.visualRect(index).left()
        if hidden > 0:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - hidden)

    # -- editing a frozen cell ------------------------------------------------------------------

    def edit(self, index: QModelIndex, trigger=QAbstractItemView.EditTrigger.AllEditTriggers, event=None) -> bool:
        lift = (index.isValid() and index.column() < self.frozen_count and self.state() != self.State.EditingState
                and bool(index.flags() & Qt.ItemFlag.ItemIsEditable))
        if lift:
            self.horizontalScrollBar().setValue(0)
            self.cover.hide()
        opened = super().edit(index, trigger, event)
        if lift and not opened:
            self.cover.show()
        return opened

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        super().closeEditor(editor, hint)
        if self.cover.isHidden():
            self.cover.show()

    def _edit_from_cover(self, index: QModelIndex) -> None:
        self.setFocus()
        self.edit(index)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        # A click on the cover puts the keyboard back on the main view.
        if watched is self.cover.viewport() and event.type() == QEvent.Type.MouseButtonPress:
            self.setFocus()
        return super().eventFilter(watched, event)

    def select_cell(self, row: int, column: int) -> None:
        index = self.model().index(row, column)
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
