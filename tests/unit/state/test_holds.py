"""state.holds: a value the server wrote is put back when the browser sends its stale copy,
and only then."""

from datetime import date

from dashboard.state import holds

D27, D28, D29 = date(2022, 9, 27), date(2022, 9, 28), date(2022, 9, 29)


def moved(ss: dict, now: float = 100.0) -> dict:
    ss["date"] = D29  # the callback's write: Forward from 28 September
    holds.hold(ss, holds.MOVED, now, {"date": (D29, D28)}, ack="7")
    ss[holds.ACK] = "7"  # the page writes it in the hidden box after the slider
    return ss


def stale(ss: dict) -> dict:
    """A request the browser made before it had the Forward's widgets."""
    ss.update({"date": D28, holds.ACK: "6"})
    return ss


def test_the_stale_copy_is_put_back_again_and_again_within_the_hold():
    ss = moved({})
    for later in (100.5, 102.0, 109.9):  # runs the browser asked for before it had 29
        holds.keep(stale(ss), later)
        assert ss["date"] == D29


def test_once_the_browser_has_the_step_the_date_before_is_the_users():
    """Forward, then ← on the slider: the request sends the box's "7" back."""
    ss = moved({})
    ss["date"] = D28
    holds.keep(ss, 100.5)
    assert ss["date"] == D28 and holds.MOVED not in ss


def test_any_other_date_is_the_users_and_ends_the_hold():
    ss = stale(moved({}))
    ss["date"] = D27
    holds.keep(ss, 101.0)
    assert ss["date"] == D27
    holds.keep(stale(ss), 101.5)  # now the user's too: the hold for the date has ended
    assert ss["date"] == D28


def test_after_the_hold_the_previous_date_is_the_users():
    ss = stale(moved({}))
    holds.keep(ss, 100.0 + holds.SECONDS[holds.MOVED] + 0.1)
    assert ss["date"] == D28 and holds.MOVED not in ss


def test_a_fragment_run_keeps_the_date_and_its_own_keys_only():
    ss = {"date": D29, "window": "30", "lang": "uk"}
    holds.hold(
        ss, holds.SHOWN, 0.0, {"date": (D29, D28), "window": ("30", "7"), "lang": ("uk", "en")}
    )
    ss.update(date=D28, window="7", lang="en")
    holds.keep(ss, 1.0, keys=("window", "step"))
    assert (ss["date"], ss["window"], ss["lang"]) == (D29, "30", "en")
    holds.keep(ss, 1.0)  # a full run: every key
    assert ss["lang"] == "uk"


def test_a_slide_and_a_step_are_held_side_by_side():
    ss = {"date": D29, "window": "30"}
    holds.hold(ss, holds.SHOWN, 0.0, {"window": ("30", "7")})
    stale(moved(ss, now=1.0))
    ss["window"] = "7"
    holds.keep(ss, 2.0)
    assert (ss["date"], ss["window"]) == (D29, "30")
