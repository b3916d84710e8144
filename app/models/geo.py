"""Administrative areas (DOPA codes), shipped reference data loaded from data/geo."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class Province(Base):
    __tablename__ = "province"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_th: Mapped[str] = mapped_column(String(80), nullable=False)
    name_en: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    districts: Mapped[list[District]] = relationship(back_populates="province")


class District(Base):
    __tablename__ = "district"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"), nullable=False, index=True)
    name_th: Mapped[str] = mapped_column(String(80), nullable=False)
    name_en: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(8), nullable=False, default="amphoe")
    province: Mapped[Province] = relationship(back_populates="districts")

    @property
    def label(self) -> str:
        prefix = "เขต" if self.kind == "khet" else "อ."
        return f"{prefix}{self.name_th}"
