"""The action plan as an Excel workbook in the official layout (seed 004).

- write.py   write_plan(): the printable sheet, totals as formulas, plus a hidden marker
- read.py    read_plan(): the app's own export (back to the identical PlanDocument) or an
             official sheet made by hand (best effort, with findings for what does not add up)
- header.py  the parts around the table: title lines, fields, targets/budget/KPIs, signatures
- layout.py  where the parts sit and the words that mark them, shared by writer and reader
- marker.py  the hidden "coopdesk" sheet: row keys, levels, revision (what print cannot show)
"""

from app.exchange.plan_xlsx.read import PlanRead, read_plan
from app.exchange.plan_xlsx.write import write_plan

__all__ = ["PlanRead", "read_plan", "write_plan"]
