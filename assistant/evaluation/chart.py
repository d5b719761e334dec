"""A PNG bar chart of the suite scores (`shipmate eval --chart`), drawn with Pillow (imported lazily)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import ImageDraw, ImageFont

WIDTH = 800
HEIGHT = 480
MIN_SLOT = 90  # px per suite; with more suites than fit in WIDTH the chart grows wider
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 64, 72  # margins around the plot area
BACKGROUND = (255, 255, 255)
GRID = (225, 228, 232)
AXIS = (90, 96, 104)
TEXT = (36, 41, 47)
GOOD, FAIR, POOR = (46, 160, 67), (219, 151, 0), (207, 34, 46)  # >= 80 %, >= 50 %, below
BAR_COLORS = (GOOD, FAIR, POOR)


@dataclass(frozen=True)
class Layout:
    """Where the plot area and each suite's bar sit, in pixels."""

    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int  # the 0 % line: bars stand on it, rows plot_top..plot_bottom-1 hold 0..100 %
    slot: float  # horizontal room of one suite
    bar_width: int

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top

    def bar_left(self, index: int) -> int:
        return round(self.plot_left + index * self.slot + (self.slot - self.bar_width) / 2)

    def bar_height(self, score: float) -> int:
        return round(clamp(score) * self.plot_height)


def clamp(score: float) -> float:
    """A score as a share in 0..1 (NaN counts as 0)."""
    return 0.0 if math.isnan(score) else min(1.0, max(0.0, score))


def layout(count: int) -> Layout:
    """The geometry of a chart of `count` suites."""
    width = max(WIDTH, LEFT + RIGHT + max(count, 1) * MIN_SLOT)
    slot = (width - LEFT - RIGHT) / max(count, 1)
    return Layout(
        width=width,
        height=HEIGHT,
        plot_left=LEFT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        slot=slot,
        bar_width=max(8, min(72, round(slot * 0.6))),
    )


def bar_color(score: float) -> tuple[int, int, int]:
    share = clamp(score)
    return GOOD if share >= 0.8 else FAIR if share >= 0.5 else POOR


def score_chart(scores: dict[str, float], path: Path, title: str) -> None:
    """Write a PNG bar chart of `scores` (suite -> share of 0..1, drawn as 0..100 %) to `path`.

    One labelled bar per suite, in the order given, its percentage above it; grid lines every 25 %.
    """
    from PIL import Image, ImageDraw

    from tools.atomic import write_atomically

    geometry = layout(len(scores))
    image = Image.new("RGB", (geometry.width, geometry.height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font, font, small = _font(18), _font(13), _font(11)

    draw.text((geometry.width / 2, TOP / 2 - 4), title, fill=TEXT, font=title_font, anchor="mm")
    right = geometry.width - RIGHT
    for percent in (0, 25, 50, 75, 100):
        y = geometry.plot_bottom - round(percent / 100 * geometry.plot_height)
        draw.line([(geometry.plot_left, y), (right, y)], fill=AXIS if percent == 0 else GRID, width=1)
        draw.text((geometry.plot_left - 8, y), f"{percent}%", fill=AXIS, font=small, anchor="rm")
    if not scores:
        draw.text(
            (geometry.width / 2, (geometry.plot_top + geometry.plot_bottom) / 2),
            "no suite ran",
            fill=AXIS,
            font=font,
            anchor="mm",
        )
    for index, (suite, score) in enumerate(scores.items()):
        left = geometry.bar_left(index)
        height = geometry.bar_height(score)
        centre = left + geometry.bar_width / 2
        if height:  # rows plot_bottom-height .. plot_bottom-1: exactly `height` pixels tall
            draw.rectangle(
                [
                    (left, geometry.plot_bottom - height),
                    (left + geometry.bar_width - 1, geometry.plot_bottom - 1),
                ],
                fill=bar_color(score),
            )
        draw.text(
            (centre, geometry.plot_bottom - height - 6),
            f"{clamp(score) * 100:.0f}%",
            fill=TEXT,
            font=font,
            anchor="md",
        )
        for row, line in enumerate(_label_lines(draw, suite, font, geometry.slot - 6)):
            draw.text((centre, geometry.plot_bottom + 10 + row * 16), line, fill=TEXT, font=font, anchor="mt")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    write_atomically(path, buffer.getvalue())


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _label_lines(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, room: float
) -> list[str]:
    """The suite's name in at most two lines that fit `room` px (split after - _ / . or a space)."""

    def fits(candidate: str) -> bool:
        return draw.textlength(candidate, font=font) <= room

    if fits(text):
        return [text]
    cuts = [i + 1 for i, char in enumerate(text) if char in "-_/. "]
    for cut in reversed(cuts):
        head, tail = text[:cut].rstrip(), text[cut:].lstrip()
        if fits(head):
            return [head, _shorten(tail, fits)]
    return [_shorten(text, fits)]


def _shorten(text: str, fits: Callable[[str], bool]) -> str:
    """`text`, or as much of it as fits followed by an ellipsis."""
    if fits(text):
        return text
    while len(text) > 1 and not fits(text + "…"):
        text = text[:-1]
    return text + "…"
