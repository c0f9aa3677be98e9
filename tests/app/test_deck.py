"""AppTest: a briefing deck made in the page (views added as slides, texts edited, reordered,
duplicated, deleted), presented slide by slide (each slide's whole view applied, the link
following), opened from a link at a slide, and hostile or broken decks never breaking the page."""

from datetime import date

from dashboard.page import session
from dashboard.state import deck as decks
from dashboard.state import permalink
from dashboard.state.view_state import ViewState
from tests.app.test_briefing import link_of, notices, open_link

HOSTILE = '<img src=x onerror="window.__xss=1">'


def deck_of(app) -> decks.Deck | None:
    return session.view(app.session_state).deck


def drawn(app):
    return session.drawn(app.session_state).view


def day_of(app) -> date:
    return drawn(app).date.date()


def press(app, key: str) -> None:
    app.button(key=key).click().run()
    assert not app.exception, app.exception


def add_view(app, day: date, window: str | None = None) -> None:
    app.slider(key="date").set_value(day).run()
    if window is not None:
        app.radio(key="window").set_value(window).run()
    press(app, "deck_add")


def test_views_become_slides_that_are_edited_reordered_and_presented_in_order():
    app = open_link("date=2022-09-05&window=7")
    assert "No deck is open" in " ".join(c.value for c in app.caption)
    press(app, "deck_add")
    add_view(app, date(2022, 9, 10))
    add_view(app, date(2022, 9, 30), window="cumulative")
    deck = deck_of(app)
    assert [s.view.date for s in deck.slides] == [
        date(2022, 9, 5),
        date(2022, 9, 10),
        date(2022, 9, 30),
    ]
    assert [s.view.window for s in deck.slides] == [7, 7, None]
    assert deck.slides[1].title == decks.Text()  # untitled: its card shows its date
    assert all(not s.view.present and s.view.deck is None for s in deck.slides)

    # edit slide 2's texts (the editor opens on the slide just added: choose slide 2)
    press(app, "deck_edit_1")
    app.text_input(key="deck_title_en").input("Balakliia and Izium retaken")
    app.text_area(key="deck_caption_en").input(f"Ukraine's forces enter Izium. {HOSTILE}")
    app.text_area(key="deck_notes_en").input("Source: Reuters, 10 Sep.")
    app.button(key="FormSubmitter:deck_texts-Save the slide's texts").click().run()
    slide = deck_of(app).slides[1]
    assert slide.title.en == "Balakliia and Izium retaken"
    assert slide.caption.en.endswith(HOSTILE)  # kept as text; escaped where it is shown
    assert slide.notes.en == "Source: Reuters, 10 Sep."

    # reorder, duplicate, delete
    press(app, "deck_up_1")
    assert deck_of(app).slides[0].title.en == "Balakliia and Izium retaken"
    press(app, "deck_copy_0")
    assert len(deck_of(app)) == 4 and deck_of(app).slides[1] == deck_of(app).slides[0]
    press(app, "deck_delete_1")
    press(app, "deck_down_0")
    titles = [s.title.en for s in deck_of(app).slides]
    assert titles == ["", "Balakliia and Izium retaken", ""]
    assert deck_of(app).slides[2].view.date == date(2022, 9, 30)

    # present: slide 1's view; next applies slide 2's whole view, and the link follows
    press(app, "deck_present")
    view = session.view(app.session_state)
    assert view.present and view.slide == 1 and day_of(app) == date(2022, 9, 5)
    press(app, "deck_next")
    view = session.view(app.session_state)
    assert view.slide == 2 and day_of(app) == date(2022, 9, 10)
    assert drawn(app).window_days == 7
    banner = " ".join(h.proto.body for h in app.get("html"))
    assert "Balakliia and Izium retaken" in banner and "Slide 2 of 3" in banner
    assert HOSTILE not in banner and "&lt;img src=x" in banner
    press(app, "deck_next")
    assert day_of(app) == date(2022, 9, 30) and drawn(app).window_days is None
    assert app.button(key="deck_next").disabled
    link = link_of(app)
    assert link["slide"] == "3" and link["present"] == "1" and link["date"] == "2022-09-30"
    reopened, problems = permalink.parse(link)
    assert problems == [] and reopened.deck == deck_of(app)
    press(app, "deck_prev")
    assert day_of(app) == date(2022, 9, 10)
    # the twins outside the date fragment that the keys, a clicker and the bar's buttons press
    # in the browser (relay.twins) step the same way, and stop at either end
    press(app, "relay_next")
    assert session.view(app.session_state).slide == 3 and day_of(app) == date(2022, 9, 30)
    assert app.button(key="relay_next").disabled and not app.button(key="relay_prev").disabled
    press(app, "relay_prev")
    press(app, "relay_prev")
    assert session.view(app.session_state).slide == 1 and day_of(app) == date(2022, 9, 5)
    assert app.button(key="relay_prev").disabled
    press(app, "relay_exit")
    assert not session.view(app.session_state).present
    keys = {b.key for b in app.button}
    assert not keys & {"relay_exit", "relay_prev", "relay_next"}
    assert {"relay_play", "relay_back", "relay_forward"} <= keys  # the page's own twins


def sample_deck() -> decks.Deck:
    one, _ = permalink.from_query("date=2022-09-10&window=7&lat=49.3&lon=37.0&zoom=8")
    two, _ = permalink.from_query("date=2022-09-30&window=30&cat=annexation")
    return decks.Deck(
        slides=(
            decks.Slide(one, decks.Text("Izium", "Ізюм"), decks.Text(HOSTILE)),
            decks.Slide(
                two,
                decks.Text("Annexation claim"),
                notes=decks.Text("Russia's claim"),
                annotations=(
                    decks.Annotation("label", ((48.97, 37.8),), decks.Text("Lyman", "Лиман")),
                ),
            ),
        ),
        title=decks.Text("September 2022"),
    )


def test_a_deck_link_opens_presented_at_its_slide_in_the_rooms_language():
    token = permalink.to_params(ViewState(deck=sample_deck()))["deck"]
    app = open_link(f"deck={token}&slide=2&present=1&lang=uk")
    assert not app.exception
    view = session.view(app.session_state)
    assert view.present and view.slide == 2 and view.lang == "uk"
    assert day_of(app) == date(2022, 9, 30) and drawn(app).window_days == 30
    banner = " ".join(h.proto.body for h in app.get("html"))
    assert "Annexation claim" in banner and "Слайд 2 з 2" in banner
    press(app, "deck_prev")
    assert day_of(app) == date(2022, 9, 10)
    banner = " ".join(h.proto.body for h in app.get("html"))
    assert "Ізюм" in banner and "&lt;img" in banner and HOSTILE not in banner


def test_a_slides_date_survives_the_browser_sending_back_the_previous_one():
    """The next slide's click, then a run the browser asked for before that click's widgets
    reached it (the map ending its flight): the slider comes back at the old slide's date.
    CI saw "Slide 5 of 6" over slide 4's date; the shown slide stays whole."""
    token = permalink.to_params(ViewState(deck=sample_deck()))["deck"]
    app = open_link(f"deck={token}&slide=1&present=1")
    assert day_of(app) == date(2022, 9, 10)
    press(app, "deck_next")
    assert day_of(app) == date(2022, 9, 30)
    app.slider(key="date").set_value(date(2022, 9, 10)).run()  # the stale copy
    view = session.view(app.session_state)
    assert view.slide == 2 and day_of(app) == date(2022, 9, 30)
    banner = " ".join(h.proto.body for h in app.get("html"))
    assert "30 September 2022" in banner and "Slide 2 of 2" in banner
    app.slider(key="date").set_value(date(2022, 9, 20)).run()  # any other date: the user's
    assert day_of(app) == date(2022, 9, 20)


def test_a_broken_deck_link_says_so_and_the_page_still_opens():
    app = open_link("date=2022-09-25&deck=AAAAbroken&slide=2")
    assert not app.exception
    said = notices(app)
    assert "deck: not opened" in said and "slide: there is no deck" in said
    assert day_of(app) == date(2022, 9, 25) and deck_of(app) is None


def test_annotations_are_added_from_the_places_list_and_reach_the_map():
    app = open_link("date=2022-09-10&window=7")
    press(app, "deck_add")
    app.selectbox(key="ann_kind").set_value("label")
    izium = next(o for o in app.selectbox(key="ann_at").options if o.startswith("Izium"))
    app.selectbox(key="ann_at").set_value(izium)
    app.button(key="FormSubmitter:ann_form-Add the annotation").click().run()
    assert "A label needs a text" in " ".join(w.value for w in app.warning)
    assert deck_of(app).slides[0].annotations == ()
    app.text_input(key="ann_text_en").input(HOSTILE)
    app.button(key="FormSubmitter:ann_form-Add the annotation").click().run()
    (label,) = deck_of(app).slides[0].annotations
    assert label.kind == "label" and label.text.en == HOSTILE
    assert abs(label.points[0][0] - 49.2) < 0.1 and abs(label.points[0][1] - 37.25) < 0.1
    app.selectbox(key="ann_kind").set_value("circle")
    app.number_input(key="ann_radius").set_value(15.0)
    app.button(key="FormSubmitter:ann_form-Add the annotation").click().run()
    assert [a.kind for a in deck_of(app).slides[0].annotations] == ["label", "circle"]
    assert deck_of(app).slides[0].annotations[1].radius_km == 15.0
    # the slide shown: its annotations go to the map's client, as text in the payload
    press(app, "deck_show_0")
    marks = session.drawn(app.session_state).layers.payload["ann"]
    assert [m["k"] for m in marks] == ["label", "circle"] and marks[0]["t"] == HOSTILE
    assert marks[1]["r"] == 15000.0
    press(app, "ann_drop_0")
    assert [a.kind for a in deck_of(app).slides[0].annotations] == ["circle"]
