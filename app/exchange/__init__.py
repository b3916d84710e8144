"""File formats the office exchanges: Excel workbooks (openpyxl), PDFs, sync packages.

Modules here read and write files only; the services decide what the content means for
the database, check permissions and own the transaction.
"""
