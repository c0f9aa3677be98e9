"""bench.soak's table: medians, ranges and the two ratios (to idle and to the control)."""

from bench import soak


def test_a_row_is_the_median_with_its_range():
    assert soak.spread([9.0, 4.0, 5.0]) == {"other_s": 5.0, "range": "4.00-9.00"}
    assert soak.spread([4.2]) == {"other_s": 4.2, "range": ""}
    assert soak.spread([]) == {"other_s": None, "range": ""}


def test_a_row_gives_its_ratio_to_idle_and_to_the_control(capsys):
    soak.show({"case": "x", "said": "ok", "rss": 300.0, **soak.spread([8.0, 10.0, 12.0])}, 5.0, 8.0)
    line = capsys.readouterr().out
    assert "10.00" in line and "8.00-12.00" in line and " 2.00 " in line and " 1.25 " in line
    soak.show({"case": "memory", "said": "", "rss": 300.0, "other_s": None}, 5.0)
    assert capsys.readouterr().out.count("—") == 3
