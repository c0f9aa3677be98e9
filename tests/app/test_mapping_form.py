"""AppTest: a table in no known format is mapped field by field in the page, with the same
counts as the command line; reading options; a failed upload leaves the view alone."""

import json
from datetime import date

from dashboard.validate import main
from tests.app.test_page import shown
from tests.app.test_upload import page, plain, upload

# An OSINT monitor's table: its own column names, day-first dates with a time, admin-1 names
# as such tables spell them, one row without a place and one without a link.
OSINT = (
    b"date,lat,lon,title,link,province\n"
    b"23/09/2022 10:00,47.0971,37.5434,Shelling reported,https://example.org/a,Donets'ka oblast\n"
    b"05/09/2022 08:30,46.8489,35.3675,Explosion,https://example.org/b,Zaporizhzhya oblast\n"
    b"10/09/2022,49.5,36.9,Village retaken,,Kharkivs'ka oblast\n"
    b"11/09/2022,,,No place given,https://example.org/d,\n"
)
OSINT_ARGS = [
    "--map", "start_date=date", "--map", "lat=lat", "--map", "lon=lon",
    "--map", "title=title", "--map", "source_url=link", "--map", "oblast=province",
]  # fmt: skip


def cli_counts(tmp_path, capsys, *extra) -> tuple[int, int]:
    path = tmp_path / "osint.csv"
    path.write_bytes(OSINT)
    main([str(path), "--json", *OSINT_ARGS, *extra])
    data = json.loads(capsys.readouterr().out)
    return data["accepted"], data["rows"]


def test_the_form_is_prefilled_from_column_names_and_gives_the_cli_counts(tmp_path, capsys):
    app = upload(page(), "osint.csv", OSINT)
    guessed = {f: app.selectbox(key=f"map_{f}").value for f in ("start_date", "lat", "lon")}
    assert guessed == {"start_date": "date", "lat": "lat", "lon": "lon"}
    assert app.selectbox(key="map_source_url").value == "link"
    assert app.selectbox(key="map_oblast").value == "province"
    assert app.selectbox(key="map_title").value == "title"
    accepted, rows = cli_counts(tmp_path, capsys)
    assert (accepted, rows) == (3, 4)
    count = next(m.value for m in app.markdown if "would be accepted" in m.value)
    assert f"{accepted} of {rows} records would be accepted" in plain(count)
    events = shown(app)
    assert set(events["format"]) == {"mapped"}
    assert sorted(events["oblast_code"]) == ["UA-14", "UA-23", "UA-63"]
    # The row with no link is shown without one, never with an invented address.
    assert set(events.loc[events["title"] == "Village retaken", "source_url"]) == {""}


def test_changing_a_field_or_the_date_order_recounts_live(tmp_path, capsys):
    app = upload(page(), "osint.csv", OSINT)
    app.selectbox(key="upload_date_order").set_value("mdy").run()
    # Month-first, 23/09/2022 has no reading: rejected, as the command line says too.
    accepted, rows = cli_counts(tmp_path, capsys, "--date-order", "mdy")
    count = next(m.value for m in app.markdown if "would be accepted" in m.value)
    assert f"{accepted} of {rows} records would be accepted" in plain(count)
    assert accepted == 2
    app.selectbox(key="upload_date_order").set_value("auto").run()
    app.selectbox(key="map_oblast").set_value("").run()
    app.selectbox(key="map_lat").set_value("").run()  # no place mapped: nothing can load
    assert any("a place" in plain(i.value) for i in app.info)


def test_a_failed_upload_leaves_the_date_and_filters_as_they_were():
    app = page()
    app.slider(key="date").set_value(date(2022, 9, 23)).run()
    app.multiselect(key="oblast").set_value(["UA-23"]).run()
    upload(app, "broken.csv", bytes(range(256)) * 8)
    assert "cannot be used" in plain(app.error[0].value)
    assert app.slider(key="date").value == date(2022, 9, 23)
    assert app.multiselect(key="oblast").value == ["UA-23"]
    upload(app, "empty.csv", b"")
    assert app.slider(key="date").value == date(2022, 9, 23)
