"""Links: every parameter survives a round trip; a bad value is dropped with a notice."""

from datetime import date

import pytest

from dashboard.state import deck as decks
from dashboard.state import permalink
from dashboard.state.permalink import clamp_date, from_query, parse, to_params, to_query
from dashboard.state.view_state import ViewState as LinkState

FULL = LinkState(
    data="ucdp",
    team=12,
    date=date(2022, 9, 25),
    window=7,
    cat=("referendum", "strike_on_civilians"),
    oblast=("UA-65", "outside"),
    q="Kupiansk convoy & <b>",
    actor=("Military Forces of Russia (2000-)", "Civilians (Ukraine)"),
    etype=("Explosions/Remote violence",),
    sub=("Shelling/artillery/missile attack", "Air/drone strike"),
    civ=True,
    fmin=1,
    fmax=50,
    range_from=date(2022, 9, 23),
    range_to=date(2022, 10, 5),
    area=((47.1, 35.2), (48.0, 36.0), (47.5, 37.25)),
    density="heat",
    lang="uk",
    present=True,
    lat=47.5,
    lon=36.5,
    zoom=6,
    tiles="carto-light",
    metric="fatalities",
    outside=True,
    step=7,
    speed=0.5,
    loop=True,
    play=True,
    deck=decks.Deck(
        slides=(
            decks.Slide(LinkState(date=date(2022, 9, 10), window=7), decks.Text("Izium", "Ізюм")),
            decks.Slide(LinkState(date=date(2022, 9, 30)), caption=decks.Text("<b>claim</b>")),
        )
    ),
    slide=2,
)


def test_every_parameter_round_trips_through_the_query_string():
    query = to_query(FULL)
    state, notices = from_query(query)
    assert notices == []
    assert state == FULL
    assert list(to_params(FULL)) == list(permalink.ORDER)  # every parameter is written


@pytest.mark.parametrize(
    "field, value",
    [
        ("date", date(2022, 2, 24)),
        ("window", 30),
        ("window", None),
        ("cat", ("battles",)),
        ("oblast", ("UA-09",)),
        ("q", "Izium"),
        ("lang", "uk"),
        ("present", True),
        ("zoom", 9),
        ("tiles", "osm"),
        ("metric", "fatalities"),
        ("outside", True),
        ("step", 7),
        ("speed", 2.0),
        ("loop", True),
        ("play", True),
    ],
)
def test_each_parameter_alone_round_trips(field, value):
    state = LinkState(**{"date": date(2022, 9, 25), field: value})
    again, notices = from_query("?" + to_query(state))
    assert notices == []
    assert again == state


def test_lat_and_lon_round_trip_together():
    state = LinkState(date=date(2022, 9, 25), lat=48.0123, lon=37.8, zoom=7)
    assert from_query(to_query(state)) == (state, [])


def test_the_done_when_link_parses_exactly():
    state, notices = from_query(
        "date=2022-09-25&window=7&present=1&lang=uk&lat=47.5&lon=36.5&zoom=6"
    )
    assert notices == []
    assert (state.date, state.window, state.present, state.lang) == (
        date(2022, 9, 25),
        7,
        True,
        "uk",
    )
    assert (state.lat, state.lon, state.zoom) == (47.5, 36.5, 6)


def test_defaults_are_left_out_but_date_and_window_are_always_written():
    params = to_params(LinkState(date=date(2022, 9, 25)))
    assert params == {"date": "2022-09-25", "window": "0"}
    assert from_query("window=0")[0].window is None


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("date=2022-13-01", "date='2022-13-01': no such date"),
        ("date=25.09.2022", "date='25.09.2022': use YYYY-MM-DD"),
        ("window=-3", "window='-3'"),
        ("window=99999", "more than 3660 days"),
        ("cat=referendum,bogus", "cat='bogus': no such category"),
        ("oblast=UA-99", "oblast='UA-99'"),
        ("lang=de", "lang='de': use en, uk"),
        ("present=yes", "present='yes': use 0 or 1"),
        ("lat=91&lon=36", "lat='91': outside 40..57"),
        ("lat=nan&lon=36", "lat='nan'"),
        ("zoom=6.5", "zoom='6.5': use a whole number, 4..13"),
        ("zoom=30", "zoom='30'"),
        ("tiles=google", "tiles='google'"),
        ("metric=deaths", "metric='deaths'"),
        ("step=3", "step='3'"),
        ("speed=10", "speed='10': outside 0.5..2"),
        ("loop=2", "loop='2'"),
        ("play=true", "play='true'"),
        ("lat=47.5", "lat: needs both lat and lon"),
        ("colour=red", "colour: unknown parameter"),
    ],
)
def test_invalid_values_are_ignored_with_a_notice(query, fragment):
    state, notices = from_query(query)
    assert any(fragment in n for n in notices), notices
    # what was wrong falls back to the default; the rest of the link still applies
    good, _ = from_query(query + "&lang=uk")
    assert good.lang == "uk" or "lang=" in query


def test_bad_values_do_not_spoil_good_ones():
    state, notices = from_query("date=2022-09-25&zoom=99&lang=uk&cat=referendum,nope")
    assert state.date == date(2022, 9, 25) and state.lang == "uk"
    assert state.zoom is None and state.cat == ("referendum",)
    assert len(notices) == 2


def test_codes_are_normalised_and_duplicates_dropped():
    state, notices = from_query("oblast=ua-65,UA-65,Outside&cat=Referendum,referendum")
    assert notices == []
    assert state.oblast == ("UA-65", "outside") and state.cat == ("referendum",)


def test_search_text_is_cut_and_control_characters_removed():
    state, notices = from_query("q=" + "a" * 250)
    assert len(state.q) == 200 and "longer than 200" in notices[0]
    state, _ = parse({"q": "x\x00y\ny"})
    assert state.q == "x y y"


def test_notices_quote_hostile_values_shortly():
    _, notices = from_query("lang=" + "<script>" * 20)
    assert len(notices[0]) < 120 and "…" in notices[0]


def test_streamlit_parameters_are_not_ours_to_judge():
    assert from_query("embed=true&embed_options=light_theme") == (LinkState(), [])


def test_a_repeated_key_uses_the_last_value():
    assert parse({"lang": ["en", "uk"]})[0].lang == "uk"


def test_dates_outside_the_data_are_moved_with_a_notice():
    first, last = date(2022, 2, 24), date(2022, 11, 14)
    assert clamp_date(None, first, last) == (last, None)
    assert clamp_date(date(2022, 9, 25), first, last) == (date(2022, 9, 25), None)
    day, note = clamp_date(date(2030, 1, 1), first, last)
    assert day == last and "outside the data" in note
    assert clamp_date(date(2000, 1, 1), first, last)[0] == first


def test_the_data_parameter_names_a_dataset():
    assert from_query("data=both")[0].data == "both"
    assert from_query("data=UCDP")[0].data == "ucdp"
    state, notices = from_query("data=acled-export.csv")
    assert state.data == "curated" and notices[0].startswith("data='acled-export.csv': use ")
    assert to_query(LinkState(data="upload_curated")) == "data=upload_curated"
    assert "data" not in to_params(LinkState())  # the curated timeline is the default


@pytest.mark.parametrize(
    "query, notice, expect",
    [
        ("from=2022-09-23", "from: a range needs both", {"range_from": None}),
        ("to=2022-09-23", "to: a range needs both", {"range_to": None}),
        (
            "from=2022-10-05&to=2022-09-23",
            "from is after to",
            {"range_from": date(2022, 9, 23), "range_to": date(2022, 10, 5)},
        ),
        ("fmin=9&fmax=2", "fmin is above fmax", {"fmin": 2, "fmax": 9}),
        ("fmin=-1", "fmin=", {"fmin": None}),
        ("area=47,35;48,36", "area=", {"area": ()}),
        ("area=47,35;48,36;91,37", "area=", {"area": ()}),
        ("area=47,35;48,36;x,37", "area=", {"area": ()}),
        ("density=blobs", "density=", {"density": "auto"}),
        ("civ=yes", "civ=", {"civ": False}),
    ],
)
def test_a_bad_filter_range_or_area_is_dropped_with_a_notice(query, notice, expect):
    state, notices = from_query(query)
    assert any(notice in n for n in notices), notices
    for field, value in expect.items():
        assert getattr(state, field) == value


def test_list_filters_are_capped_cleaned_and_keep_commas_inside_names():
    many = "|".join(f"Actor {i}, unit" for i in range(80))
    state, notices = from_query("actor=" + many + "&etype=Battles%0A|" + "x" * 500)
    assert len(state.actor) == permalink.MAX_LISTED
    assert state.actor[0] == "Actor 0, unit"  # a comma belongs to the name
    assert state.etype == ("Battles", "x" * permalink.MAX_VALUE)
    assert any("more than" in n for n in notices)
    assert any("cut" in n for n in notices)
    again, _ = from_query(to_query(state))
    assert again == state


def test_a_link_with_only_a_deck_and_its_slide_opens_that_slides_view():
    query = "slide=1&" + to_query(LinkState(deck=FULL.deck)) + "&lang=uk&present=1"
    state, notices = from_query(query)
    assert notices == []
    assert state.date == date(2022, 9, 10) and state.window == 7
    assert (state.slide, state.lang, state.present, state.deck) == (1, "uk", True, FULL.deck)
    # with a view parameter of its own, the link is that whole view
    state, _ = from_query(query + "&date=2022-09-30")
    assert state.date == date(2022, 9, 30) and state.window is None and state.slide == 1


def test_a_bad_deck_or_slide_is_a_notice_and_the_link_still_opens():
    state, notices = from_query("date=2022-09-25&deck=notatoken&slide=2")
    assert state.date == date(2022, 9, 25) and state.deck is None and state.slide is None
    assert notices == [
        "deck: not opened: not a deck token (it was cut or changed)",
        "slide: there is no deck to show it from",
    ]
    token = to_params(LinkState(deck=FULL.deck))["deck"]
    state, notices = from_query(f"deck={token}&slide=9")
    assert state.slide == 2 and notices == ["slide=9: the deck has 2 slides"]
    state, notices = from_query(f"deck={token}&slide=x")
    assert state.slide is None and notices == ["slide='x': use a slide number, 1..60"]


def test_a_link_with_thousands_of_values_costs_no_more_than_one_with_fifty():
    state, notices = from_query("cat=" + ",".join(["nosuch"] * 20_000) + ",referendum")
    assert state.cat == ()  # the 20,001st value is past the first 50
    assert notices[0] == "cat: more than 50 values; the first 50 are read"
    assert len(notices) == permalink.MAX_NOTICES + 1
    assert notices[-1] == f"{51 - permalink.MAX_NOTICES} more values ignored"
    state, notices = from_query("oblast=" + ",".join(["UA-65"] * 50_000))
    assert state.oblast == ("UA-65",) and len(notices) == 1
