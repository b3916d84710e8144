"""Alembic migrations. SCHEMA_HEAD lets start-up skip loading Alembic when the file is current
(a test checks it equals Alembic's head)."""

SCHEMA_HEAD = "0005"
