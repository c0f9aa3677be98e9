"""AppTest: team mode. Signed out: the sign-in page and no data; signed in without a role: no
data; a viewer sees what an editor shared in a real PostgreSQL+PostGIS store; an editor shares
an upload. Without [auth] the page stays the open app and a configured store is not used."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import ROOT
from dashboard.team.store import Store
from tests.app.test_page import APP
from tests.app.test_upload import plain

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "oem-test",
    "client_secret": "oem-test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
TEAM = {"editors": ["editor@example.org"], "viewers": ["viewer@example.org"]}
UCDP = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"


def team_page(user: dict | None, url: str = "", auth: bool = True) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    if auth:
        app.secrets["auth"] = AUTH
        app.secrets["oem_team"] = TEAM
    if url:
        app.secrets["oem_store"] = {"url": url}
    app.user = user if user is not None else {"is_logged_in": False}
    app.run()
    app.run()
    assert not app.exception, app.exception
    return app


def texts(app) -> str:
    """What the page says, as a reader sees it (markdown escapes removed)."""
    return plain(
        " ".join(
            [m.value for m in app.markdown]
            + [w.value for w in app.warning]
            + [t.value for t in app.title]
            + [c.value for c in app.caption]
        )
    )


def no_data(app) -> None:
    """Nothing of the data: no map scene, no tables, no data select, no date slider."""
    assert "_scene" not in app.session_state
    assert not app.dataframe
    assert not [s for s in app.selectbox if s.key == "data"]
    assert not app.slider


def test_signed_out_visitors_get_the_sign_in_page_and_no_data():
    app = team_page(None)
    assert [b.label for b in app.button] == ["Sign in"]
    assert "Sign in with your organisation's account" in texts(app)
    no_data(app)


def test_a_signed_in_account_without_a_role_sees_no_data():
    app = team_page({"is_logged_in": True, "email": "stranger@gmail.com", "email_verified": True})
    assert "stranger@gmail.com" in texts(app) and "no access" in texts(app)
    assert [b.label for b in app.button] == ["Sign out"]
    no_data(app)


def test_without_auth_the_page_is_open_and_a_store_is_not_used(database_url):
    app = team_page(None, url=database_url, auth=False)
    assert "Oblast Events Map: Kherson" in app.title[0].value
    assert "sign-in is not" in texts(app)
    assert not [s for s in app.selectbox if s.key == "team"]


@pytest.fixture(scope="module")
def shared(database_url, regions):
    from dashboard.ingest.events import load_events

    store = Store(database_url)
    store.migrate()
    result = load_events(UCDP, regions, dataset="x")
    events = result.events.drop(columns=["dataset"])
    dataset_id = store.share_dataset(
        events,
        name="UCDP <b>May</b> 2023",
        file_name=UCDP.name,
        user="editor@example.org",
        report={"rows": result.rows, "accepted": result.accepted, "rejected": 1},
        rows_read=result.rows,
    )
    return store, dataset_id


def test_a_viewer_sees_a_shared_dataset_and_cannot_share(database_url, shared):
    store, dataset_id = shared
    app = team_page({"is_logged_in": True, "email": "viewer@example.org"}, url=database_url)
    assert "Signed in as viewer@example.org (viewer)" in texts(app)
    box = next(s for s in app.selectbox if s.key == "team")
    assert box.options[0] == "None"
    assert box.options[-1].startswith("UCDP <b>May</b> 2023 · 3,882 · editor@example.org · ")
    box.set_value(dataset_id).run()
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="data").value == "upload"
    caption = texts(app)
    assert "Team dataset: UCDP <b>May</b> 2023" in caption  # as text, escaped
    assert "Shared by editor@example.org" in caption
    assert "3,882 of 3,883 records accepted, 1 rejected" in caption
    assert not [b for b in app.button if b.label == "Share with the team"]
    assert app.query_params.get("team") in ([str(dataset_id)], str(dataset_id))


def test_a_link_names_the_shared_dataset(database_url, shared):
    _, dataset_id = shared
    app = AppTest.from_file(APP, default_timeout=90)
    app.secrets["auth"], app.secrets["oem_team"] = AUTH, TEAM
    app.secrets["oem_store"] = {"url": database_url}
    app.user = {"is_logged_in": True, "email": "viewer@example.org"}
    app.query_params["data"], app.query_params["team"] = "upload", str(dataset_id)
    app.run()
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="team").value == dataset_id
    assert app.selectbox(key="data").value == "upload"


def test_an_editor_shares_an_upload(database_url, shared):
    store, _ = shared
    before = len(store.datasets())
    app = team_page({"is_logged_in": True, "email": "editor@example.org"}, url=database_url)
    app.file_uploader(key="upload").set_value((UCDP.name, UCDP.read_bytes(), "text/csv")).run()
    assert not app.exception, app.exception
    app.text_input(key="team_share_name").set_value("UCDP shared from the page")
    app.text_area(key="team_share_licence").set_value("CC BY 4.0 =cmd|' /C calc'!A0")
    share = next(b for b in app.button if b.label == "Share with the team")
    share.click().run()
    assert not app.exception, app.exception
    assert any("Shared as team dataset" in s.value for s in app.success)
    found = store.datasets()
    assert len(found) == before + 1
    assert found[0].name == "UCDP shared from the page"
    assert found[0].shared_by == "editor@example.org"
    assert found[0].report["rejected"] == 1
    assert found[0].licence == "CC BY 4.0 =cmd|' /C calc'!A0"  # kept as text; shown escaped


def test_an_editor_shares_a_deck_and_a_view_and_a_viewer_opens_them(database_url, shared):
    store, _ = shared
    editor = team_page({"is_logged_in": True, "email": "editor@example.org"}, url=database_url)
    editor.button(key="deck_add").click().run()
    editor.button(key="deck_add").click().run()
    editor.button(key="team_deck_share").click().run()
    assert not editor.exception, editor.exception
    assert store.decks() and len(decks_of(store)) == 2
    editor.text_input(key="team_view_name").set_value("Votes <week>").run()
    editor.button(key="team_view_save").click().run()
    assert store.views()[0].name == "Votes <week>"
    assert store.views()[0].shared_by == "editor@example.org"

    viewer = team_page({"is_logged_in": True, "email": "viewer@example.org"}, url=database_url)
    assert not [b for b in viewer.button if b.key in ("team_deck_share", "team_view_save")]
    viewer.button(key="team_deck_open").click().run()
    assert not viewer.exception, viewer.exception
    deck = viewer.session_state["_deck"]
    assert deck is not None and len(deck.slides) == 2
    assert any("Votes \\<week\\>" in m.value for m in viewer.markdown)  # escaped as text


def decks_of(store):
    from dashboard.state import deck as decks

    return decks.from_json(store.deck(store.decks()[0].id))[0].slides


def test_an_unreachable_store_is_named_and_the_page_still_works(tmp_path):
    url = f"postgresql://oem@/oem?host={tmp_path}&port=1"
    app = team_page({"is_logged_in": True, "email": "viewer@example.org"}, url=url)
    assert "shared datasets and decks are not available" in texts(app)
    assert "cannot be reached" in texts(app)
    assert "Oblast Events Map: Kherson" in app.title[0].value  # the bundled data is shown
    assert app.dataframe
