"""The PNG bar chart of suite scores: it opens, has its size, and its bars are as tall as the scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from assistant.evaluation import chart
from assistant.evaluation.chart import score_chart


def _bars(image: Image.Image) -> list[tuple[int, int, tuple[int, int, int]]]:
    """(left x, height in px, colour) of each bar, left to right: bar-coloured runs on the 0 % line's row above."""
    geometry = chart.layout(1)
    row = geometry.plot_bottom - 1
    pixels = image.convert("RGB").load()
    assert pixels is not None
    bars: list[tuple[int, int, tuple[int, int, int]]] = []
    x = 0
    while x < image.width:
        colour = pixels[x, row]
        if colour in chart.BAR_COLORS:
            left = x
            while x < image.width and pixels[x, row] == colour:
                x += 1
            middle = (left + x) // 2
            height = 0
            while pixels[middle, row - height] == colour:
                height += 1
            bars.append((left, height, colour))
        x += 1
    return bars


def test_the_png_opens_with_the_chart_size(tmp_path: Path) -> None:
    path = tmp_path / "scores.png"
    score_chart({"diagnosis": 0.9, "agent": 0.5}, path, "shipmate eval · offline")
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (chart.WIDTH, chart.HEIGHT)
        image.verify()


def test_bars_are_as_tall_as_the_scores_in_order_and_coloured_by_band(tmp_path: Path) -> None:
    scores = {"diagnosis": 0.92, "diagnosis-holdout": 0.71, "agent": 0.25, "safety": 1.0, "generation": 0.5}
    path = tmp_path / "scores.png"
    score_chart(scores, path, "title")
    geometry = chart.layout(len(scores))
    with Image.open(path) as image:
        bars = _bars(image)
    assert [left for left, _, _ in bars] == [geometry.bar_left(i) for i in range(len(scores))]
    heights = [height for _, height, _ in bars]
    assert heights == [round(s * geometry.plot_height) for s in scores.values()]
    assert heights[3] == geometry.plot_height  # 100 % reaches the top grid line
    assert heights[0] > heights[1] > heights[4] > heights[2]
    assert [colour for *_, colour in bars] == [chart.GOOD, chart.FAIR, chart.POOR, chart.GOOD, chart.FAIR]


def test_a_zero_score_has_no_bar_and_out_of_range_scores_are_clamped(tmp_path: Path) -> None:
    path = tmp_path / "scores.png"
    score_chart({"a": 0.0, "b": 1.7, "c": -0.2, "d": 0.4}, path, "clamped")
    geometry = chart.layout(4)
    with Image.open(path) as image:
        bars = _bars(image)
    assert [(left, height) for left, height, _ in bars] == [
        (geometry.bar_left(1), geometry.plot_height),
        (geometry.bar_left(3), round(0.4 * geometry.plot_height)),
    ]


def test_each_suite_is_labelled_under_its_bar(tmp_path: Path) -> None:
    path = tmp_path / "scores.png"
    score_chart({"diagnosis": 0.5, "a-very-long-suite-name-for-the-chart": 0.5}, path, "labels")
    geometry = chart.layout(2)
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        for index in range(2):
            left = round(geometry.plot_left + index * geometry.slot)
            band = rgb.crop((left, geometry.plot_bottom + 4, round(left + geometry.slot), image.height))
            dark = sum(band.convert("L").histogram()[:100])
            assert dark > 20, index  # text drawn in the suite's own slot


def test_many_suites_widen_the_chart(tmp_path: Path) -> None:
    path = tmp_path / "many.png"
    scores = {f"suite-{n}": n / 20 for n in range(20)}
    score_chart(scores, path, "many")
    with Image.open(path) as image:
        assert image.size == (chart.LEFT + chart.RIGHT + 20 * chart.MIN_SLOT, chart.HEIGHT)
        assert len(_bars(image)) == 19  # suite-0 scores 0


def test_no_scores_still_writes_a_chart(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    score_chart({}, path, "nothing ran")
    with Image.open(path) as image:
        assert image.size == (chart.WIDTH, chart.HEIGHT)
        assert _bars(image) == []


def test_a_missing_folder_raises_oserror_for_the_cli_to_report(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        score_chart({"a": 0.5}, tmp_path / "missing" / "scores.png", "t")
