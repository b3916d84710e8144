"""Column types that keep money and dates exact across SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.types import TypeDecorator


class Fixed(TypeDecorator):
    """A Decimal with a fixed number of places.

    SQLite has no decimal type (SQLAlchemy's Numeric goes through float there), so on SQLite
    the value is stored as a scaled integer (satang for money); elsewhere as NUMERIC.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2):
        super().__init__()
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)
        self._factor = 10**scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def _quantize(self, value) -> Decimal:
        return Decimal(str(value)).quantize(self._quantum, rounding=ROUND_HALF_UP)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        q = self._quantize(value)
        return int(q.scaleb(self.scale)) if dialect.name == "sqlite" else q

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / self._factor).quantize(self._quantum)
        return self._quantize(value)


def Money() -> Fixed:  # noqa: N802 - reads like a type in column declarations
    return Fixed(14, 2)


def Percent() -> Fixed:  # noqa: N802
    return Fixed(5, 2)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes, stored naive-UTC (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
