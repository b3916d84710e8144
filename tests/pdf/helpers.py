"""Build small PDFs with the pdf package and read them back with poppler and Pillow."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate


def tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:  # installed by the project's setup: a missing tool is a broken setup
        pytest.fail(f"{name} (poppler-utils) is not installed; run the project's setup")
    return exe


def build(path: Path, story: list, pagesize=A4) -> Path:
    SimpleDocTemplate(str(path), pagesize=pagesize, leftMargin=40, rightMargin=40,
                      topMargin=40, bottomMargin=40).build(story)
    return path


def pdftotext(path: Path, *options: str) -> str:
    done = subprocess.run([tool("pdftotext"), *options, str(path), "-"], capture_output=True,
                          check=True)
    return done.stdout.decode("utf-8")


def text_lines(text: str) -> list[str]:
    """Non-empty lines, inner whitespace runs collapsed (layout mode pads with spaces)."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.replace("\f", "\n").split("\n"))
    return [line for line in lines if line]


def render(path: Path, dpi: int = 150) -> list[Image.Image]:
    out = path.with_suffix("")
    subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-png", str(path), str(out)], check=True,
                   capture_output=True)
    pages = sorted(path.parent.glob(f"{out.name}-*.png"))
    return [Image.open(p).convert("L") for p in pages]


def ink_rows(image: Image.Image, threshold: int = 128) -> list[int]:
    """Pixel rows (top = 0) holding any dark pixel."""
    w, h = image.size
    px = image.load()
    return [y for y in range(h) if any(px[x, y] < threshold for x in range(w))]
