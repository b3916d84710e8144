"""Reading the parts of a plan sheet around its table, by their Thai labels.

Above the table: the title lines, the labelled fields ("วัตถุประสงค์ : …"), and the block of
targets, budget by category and KPIs. Below it: the three signature blocks. Sheets made by
hand vary, so this is best effort: what is not found stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.exchange.plan_xlsx import layout as L
from app.exchange.plan_xlsx import numbers
from app.exchange.plan_xlsx.cells import Cells, text_of
from app.rules.plan import split_numbered_title
from app.rules.plan.document import SIGNATORIES, TEXT_FIELDS, BudgetLine, KpiLine, Person, TargetLine

_SPACES = re.compile(r"\s+")
# Field labels, longest first so that no label is taken for a shorter one it starts with.
_FIELD_LABELS = sorted([*TEXT_FIELDS, ("output", "ผลผลิต"), ("responsible", L.RESPONSIBLE_LABEL),
                        ("practitioners", L.PRACTITIONERS_LABEL)], key=lambda f: -len(f[1]))
_CONTINUED = frozenset({"practitioners", "objective"})  # fields that run over several lines
_TITLE_WORDS = ("ปีงบประมาณ", "แผนปฏิบัติงานและงบประมาณ")
_DOTS_ONLY = re.compile(r"[\s.…_]*")
_IN_BRACKETS = re.compile(r"\(([^()]*)\)\s*$")


def _key(text: str) -> str:
    return _SPACES.sub("", text)


def _blank_if_dots(text: str) -> str:
    return "" if _DOTS_ONLY.fullmatch(text) else text.strip()


@dataclass
class HeaderRead:
    """What the rows above the table said (attribute names as PlanHeader's)."""

    title: str = ""
    office_name: str = ""
    revision_label: str = ""
    title_end: int = 0  # last row of the title lines (where the fiscal year is stated)
    fields: dict[str, str] = field(default_factory=dict)
    responsible: Person = field(default_factory=Person)
    practitioners: tuple[Person, ...] = ()
    targets: list[TargetLine] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    kpis: list[KpiLine] = field(default_factory=list)
    budget_total: Decimal | None = None
    budget_total_cell: tuple[int, int] | None = None
    budget_total_text: str = ""  # the total as written when it is not a number


def person(text: str, *, own: bool) -> Person:
    """ "นางสาวอนมร สิงห์พันธ์ ตำแหน่ง จชส.อ." → name and position. Without the word
    ตำแหน่ง a sheet made by hand runs them together ("นาย ก ข ผู้อำนวยการกลุ่ม…"): the name is
    then the first two words, as Thai names are written (title+given name, surname)."""
    text = text.strip()
    if L.POSITION_WORD in text:
        name, position = text.split(L.POSITION_WORD, 1)
        return Person(name.strip(), position.strip())
    words = text.split()
    if own or len(words) < 3:
        return Person(text)
    return Person(" ".join(words[:2]), " ".join(words[2:]))


def _field_of(text: str) -> tuple[str, str] | None:
    """(attribute, value) of a labelled header line, else None."""
    key = _key(text)
    for attr, label in _FIELD_LABELS:
        if key.startswith(_key(label)):
            if ":" in text:
                return attr, text.split(":", 1)[1].strip()
            return attr, text[len(label):].strip() if text.startswith(label) else text.split(None, 1)[-1]
    return None


def _block_kind(text: str, seen: set[str]) -> str | None:
    key = _key(text)
    if "พื้นที่ดำเนินการ" in key or "เป้าหมายดำเนินการ" in key:
        return "targets"
    if "ประเภทรายจ่าย" in key or key.startswith("งบประมาณ"):
        return "budget"
    if "ตัวชี้วัด" in key:
        return "kpi"
    if key.startswith(L.KPI_TARGET_HEADER) and "kpi" in seen:
        return "kpi_target"
    return None


class _HeaderReader:
    def __init__(self, cells: Cells, last_row: int, *, own: bool, title_roles: tuple[str, ...]):
        self.cells, self.last_row, self.own, self.title_roles = cells, last_row, own, title_roles
        self.out = HeaderRead()

    def read(self) -> HeaderRead:
        block = next((r for r in range(1, self.last_row + 1) if self._regions(r)), None)
        end = (block or self.last_row + 1) - 1
        lines = [(r, t[0][1]) for r in range(1, end + 1) if (t := self.cells.texts(r))]
        if self.own and len(lines) > len(self.title_roles):
            first_field = len(self.title_roles)  # the export says how many title lines it wrote
        else:
            first_field = next((i for i, (_r, text) in enumerate(lines) if _field_of(text)), len(lines))
        self._title(lines[:first_field])
        self._fields([text for _r, text in lines[first_field:]])
        if block is not None:
            self._block(block)
        return self.out

    def _title(self, lines: list[tuple[int, str]]) -> None:
        out = self.out
        out.title_end = lines[-1][0] if lines else 0
        texts = [text for _r, text in lines]
        if self.own and len(self.title_roles) == len(texts):
            roles = dict(zip(self.title_roles, texts, strict=True))
            out.title, out.office_name = roles.get("title", ""), roles.get("office", "")
            out.revision_label = roles.get("revision_label", "")
            return
        # By hand: the title states the year, the office line starts with สำนักงาน; a line
        # like "แผนปฏิบัติงานครั้งที่ ๑ (ต.ค. – ธ.ค.)" names the revision.
        for text in texts:
            if not out.title and any(w in _key(text) for w in _TITLE_WORDS):
                out.title = text
            elif not out.office_name and _key(text).startswith("สำนักงาน"):
                out.office_name = text
            elif not out.revision_label and "ครั้งที่" in text:
                out.revision_label = text
        if not out.title and texts:
            out.title = texts[0]

    def _fields(self, texts: list[str]) -> None:
        values: dict[str, list[str]] = {}
        current = None
        for text in texts:
            found = _field_of(text)
            if found is not None:
                current, value = found
                values.setdefault(current, []).append(value)
            elif current in _CONTINUED and ":" not in text:  # a list or a sentence carried over
                values[current].append(text)
            else:
                current = None  # a labelled line the app does not know: skipped with what follows
        for attr, parts in values.items():
            if attr == "practitioners":
                pieces = [p.strip() for p in ",".join(parts).split(",")]
                self.out.practitioners = tuple(person(p, own=self.own) for p in pieces if p)
            elif attr == "responsible":
                self.out.responsible = person(parts[0], own=self.own)
            else:
                self.out.fields.setdefault(attr, " ".join(p for p in parts if p))

    # -- targets, budget, KPIs --------------------------------------------------------------

    def _regions(self, row: int) -> list[tuple[str, int, int]]:
        """(kind, first column, last column) of each part of the block whose header is `row`."""
        starts: list[tuple[str, int]] = []
        seen: set[str] = set()
        for c in range(1, self.cells.n_cols + 1):
            text = text_of(self.cells.filled(row, c))
            kind = _block_kind(text, seen) if text else None
            if kind and kind not in seen:
                starts.append((kind, c))
                seen.add(kind)
        if len(starts) < 2:
            return []
        ends = [c - 1 for _k, c in starts[1:]] + [self.cells.n_cols]
        return [(kind, c, end) for (kind, c), end in zip(starts, ends, strict=True)]

    def _block(self, header_row: int) -> None:
        regions = self._regions(header_row)
        for r in range(header_row + 1, self.last_row + 1):
            parts = {kind: [(c, self.cells.value(r, c)) for c in range(first, last + 1)
                            if text_of(self.cells.value(r, c))] for kind, first, last in regions}
            if parts.get("targets"):
                self._target(parts["targets"])
            if parts.get("budget"):
                self._budget(r, parts["budget"])
            if parts.get("kpi") or parts.get("kpi_target"):
                self.out.kpis.append(KpiLine(" ".join(text_of(v) for _c, v in parts.get("kpi", [])),
                                             " ".join(text_of(v) for _c, v in parts.get("kpi_target", []))))

    def _target(self, cells: list[tuple[int, object]]) -> None:
        label = text_of(cells[0][1])
        if _key(label).startswith(L.TARGETS_TOTAL_LABEL):
            return  # the sum of the lines above
        if not self.own:
            number, rest = split_numbered_title(label)  # "๑. สหกรณ์"
            label = rest if number else label
        quantity, unit = None, ""
        for _c, value in cells[1:]:
            try:
                q, u = numbers.quantity_and_unit(value)
            except numbers.Unreadable:  # no leading number: the unit alone
                q, u = None, text_of(value)
            quantity = quantity if q is None else q
            unit = unit or u
        self.out.targets.append(TargetLine(label, quantity, unit))

    def _budget(self, row: int, cells: list[tuple[int, object]]) -> None:
        cells = [(c, v) for c, v in cells if text_of(v) != L.BAHT_WORD] or cells
        first = text_of(cells[0][1]).lstrip("-–").strip()
        if len(cells) > 1:  # the export: category | amount | บาท
            col, value = cells[1]
            category = first
        else:  # by hand, one text: "- งบบุคลากร ๕๐,๒๐๐.๐๐ บาท"
            col = cells[0][0]
            words = first.removesuffix(L.BAHT_WORD).split()
            category, value = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (first, None)
        is_total = _key(category).startswith(_key(L.BUDGET_TOTAL_LABEL))
        if is_total and self.cells.is_formula(row, col):
            return  # the app's own sum: the plan states no total of its own
        try:
            amount = None if text_of(value) == "-" and not is_total else numbers.baht(value)
        except numbers.Unreadable:
            category, amount = first, None
        if is_total:
            self.out.budget_total, self.out.budget_total_cell = amount, (row, col)
            if amount is None and value is not None:
                self.out.budget_total_text = text_of(value)
        else:
            self.out.budget_lines.append(BudgetLine(category, amount))


def read_header(cells: Cells, last_row: int, *, own: bool, title_roles: tuple[str, ...] = ()) -> HeaderRead:
    """The header in rows 1..last_row (the rows above the table)."""
    return _HeaderReader(cells, last_row, own=own, title_roles=title_roles).read()


def read_signatures(cells: Cells, first_row: int) -> dict[str, Person]:
    """proposer / lead / approver from the blocks below the table: a line naming the role,
    then "(name)" and "ตำแหน่ง …" in the lines under it."""
    found: dict[str, Person] = {}
    roles = {label: attr for attr, label in SIGNATORIES}
    for r in range(first_row, cells.n_rows + 1):
        for c, text in cells.texts(r):
            attr = next((a for label, a in roles.items() if label in _key(text)), None)
            if attr is None or attr in found:
                continue
            name = position = ""
            for below in range(r + 1, min(r + 4, cells.n_rows + 1)):
                line = cells.text(below, c)
                if any(label in _key(line) for label in roles):
                    break
                if m := _IN_BRACKETS.search(line):
                    name = _blank_if_dots(m[1])
                elif line.startswith(L.POSITION_WORD):
                    position = _blank_if_dots(line[len(L.POSITION_WORD):])
            found[attr] = Person(name, position)
    return found
