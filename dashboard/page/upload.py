"""Analysts' own files: the upload panel, the mapping form for a table in no known format,
the choice of data shown and the report of what happened to every record."""

from __future__ import annotations

import re
import time
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.config import RECORD
from dashboard.geo.regions import Regions
from dashboard.i18n import outcome_label
from dashboard.ingest import datasets, dates, formats, isolated
from dashboard.ingest.budget import cut
from dashboard.ingest.events import FORMAT_CHOICES, settle_heap
from dashboard.ingest.tables import ENCODING_CHOICES, encoding_label
from dashboard.ingest.textsafe import md_escape, strip_bidi
from dashboard.page import session
from dashboard.render.csv import safe_csv_bytes
from dashboard.state.choices import DATA

ENCODING_OPTIONS = ("auto", *ENCODING_CHOICES)

DATE_ORDER_OPTIONS = ("auto", *dates.ORDERS)


def upload_panel(regions: Regions, T) -> datasets.Upload | None:
    """Sidebar: load an events file into this session only. Returns the upload, if any.

    The file is read into strings once per (file, encoding); the format, date order and a
    mapped table's fields are applied to that, so changing them costs no re-read."""
    st.header(T("your_data"))
    limit = datasets.max_upload_mb(int(st.get_option("server.maxUploadSize")))
    fmt = st.selectbox(
        T("format"), FORMAT_CHOICES, format_func=lambda f: T(f"fmt_{f}"), key="upload_format"
    )
    file = st.file_uploader(
        T("upload", limit=limit),
        type=list(datasets.UPLOAD_TYPES),
        key="upload",
        max_upload_size=limit,
        help=T("upload_help"),
    )
    with st.expander(T("read_options")):
        encoding = st.selectbox(
            T("encoding"),
            ENCODING_OPTIONS,
            format_func=lambda e: T("enc_auto") if e == "auto" else encoding_label(e),
            key="upload_encoding",
        )
        order = st.selectbox(
            T("date_order"),
            DATE_ORDER_OPTIONS,
            format_func=lambda o: T(f"order_{o}"),
            key="upload_date_order",
            help=T("date_order_help"),
        )
    if file is None:
        cancel_reading()
        session.drop("_upload", "_upload_raw", "_mapping_raw")
        return None
    encoding = None if encoding == "auto" else encoding
    order = None if order == "auto" else order
    raw_token = (file.file_id, file.name, file.size, encoding)
    held = session.value("_upload_raw")
    known = held[1] if held is not None and held[0] == raw_token else None
    mapping = None
    if known is not None and known.needs_mapping(fmt):
        mapping = current_mapping(known)
    token = (raw_token, fmt, order, mapping)
    cached = session.value("_upload")
    if cached is None or cached[0] != token:
        if mapping is not None and not mapping.complete:
            # Nothing to load until a date and a place are mapped: say why, as for a file
            # that cannot be used, and let the form do the rest.
            message = formats.no_format_message(known.columns)
            upload = datasets.Upload(known.name, known.size, None, message, known.count)
        else:
            read = read_elsewhere(token, file, encoding, limit, regions, fmt, order, mapping, T)
            if known is None:  # a new file: the mapping form starts from the same guess
                session.put("_upload_raw", (raw_token, read.raw))
                reset_mapping(read.raw)
                known = read.raw
            token = (raw_token, fmt, order, read.mapping)
            upload = read.upload
            if upload is None:
                message = formats.no_format_message(known.columns)
                upload = datasets.Upload(known.name, known.size, None, message, known.count)
        session.put("_upload", (token, upload))
        settle_heap()
    if known is not None and known.table is not None and known.needs_mapping(fmt):
        session.put("_mapping_raw", known)  # the mapping form above the map shows its columns
    else:
        session.drop("_mapping_raw")
    return session.value("_upload")[1]


def read_elsewhere(token, file, encoding, limit, regions, fmt, order, mapping, T):
    """The file read and loaded in a process of its own (``ingest.isolated``), this run
    waiting with a line that counts the seconds: other visitors are not kept waiting, and a
    newer file, or the session's end, kills the reading. A run that is interrupted (the user
    clicked meanwhile) leaves it running; the next run takes it up."""
    job = session.value("_upload_job")
    if job is not None and job.key != token:
        job.cancel()
        job = None
    if job is None:
        ctx = get_script_run_ctx()
        args = (file.name, file.getvalue(), encoding, limit, regions, fmt, order, mapping)
        job = isolated.Job(token, datasets.read_and_load, args, ctx.session_id if ctx else None)
        session.put("_upload_job", job)
    name = md_escape(cut(strip_bidi(file.name)))
    line, shown = st.empty(), -1
    while not job.poll(0.25):
        seconds = int(time.monotonic() - job.started)
        if seconds != shown:  # once a second; each one is a point where the run may stop
            line.caption(T("reading_for", name=name, seconds=f"{seconds:,}"))
            shown = seconds
    line.empty()
    session.drop("_upload_job")
    try:
        return job.result()
    except isolated.JobFailed as exc:
        failed = datasets.RawUpload(file.name, file.size, None, str(exc))
        return datasets.Read(failed, datasets.Upload(file.name, file.size, None, str(exc)), None)


def cancel_reading() -> None:
    job = session.value("_upload_job")
    if job is not None:
        job.cancel()
        session.drop("_upload_job")


def reset_mapping(raw: datasets.RawUpload) -> None:
    """A new file: the mapping form starts from guesses from its column names."""
    guess = formats.guess_mapping(raw.columns)
    for name in formats.MAP_FIELDS:
        session.put(f"map_{name}", guess.get(name))


def current_mapping(raw: datasets.RawUpload) -> formats.Mapping:
    """The fields as the mapping form's boxes say (their values persist between runs)."""
    pairs = {}
    for name in formats.MAP_FIELDS:
        column = session.value(f"map_{name}") or ""
        if column in raw.columns:
            pairs[name] = column
    return formats.Mapping.of(pairs)


def mapping_form(upload: datasets.Upload | None, T) -> None:
    """Above the map, for a table in no known format: one box per field, pre-filled by
    guesses, a preview of the first rows and the count the mapping gives (each change reruns
    the page, so the count is live). Every box is a native select: keyboard operable."""
    raw = session.value("_mapping_raw")
    if raw is None or raw.table is None:
        return
    mapping = current_mapping(raw)
    with st.container(border=True, key="mapping_form"):
        st.subheader(T("map_title", name=md_escape(raw.name)))
        if session.value("upload_format") != "mapped":
            why = formats.no_format_message(raw.columns)
            near = why.startswith("not in the")  # names the missing columns of a near format
            st.info(md_escape(why[0].upper() + why[1:]) if near else T("map_why"))
        st.caption(T("map_help", args=md_escape(mapping.as_args() or "--map start_date=…")))
        options = ["", *raw.columns]
        cols = st.columns(4)
        for i, name in enumerate(formats.MAP_FIELDS):
            with cols[i % 4]:
                st.selectbox(
                    T(f"field_{name}"),
                    options,
                    format_func=lambda c: c if c else T("map_none"),
                    key=f"map_{name}",
                )
        result = upload.result if upload is not None else None
        if not mapping.complete:
            st.info(T("map_needs"))
        elif result is not None:
            st.markdown(
                T("map_count", accepted=f"{result.accepted:,}", rows=f"{result.rows:,}"),
                help=None,
            )
        st.caption(T("map_preview"))
        preview = raw.table.frame.drop(columns=[RECORD]).head(5)
        st.dataframe(preview, hide_index=True, width="stretch", key="map_preview")


def data_choice(upload: datasets.Upload | None, T) -> str:
    """The data select (key ``data``): the bundled datasets, and an upload with events alone
    or beside the curated timeline. A file newly loaded is shown at once."""
    usable = upload is not None and upload.result is not None and upload.result.accepted > 0
    offered = tuple(c for c in DATA if usable or not datasets.needs_upload(c))
    token = session.value("_upload")[0][0] if usable else None  # the file, not its options
    if token is not None and session.value("_data_upload") != token:
        session.put("_data_upload", token)
        session.choose_data(datasets.UPLOAD)
    session.settle_data(offered)
    # An option's label is plain text (no Markdown: an escape would show as a backslash).
    name = cut(strip_bidi(upload.name)) if upload is not None else ""
    if datasets.is_team(upload):  # a team's shared dataset in the upload's place
        name = cut(strip_bidi(upload.name[len(datasets.TEAM_PREFIX) :]))
        words = {"upload": "data_team", "upload_curated": "data_team_curated"}
    else:
        words = {}
    return st.selectbox(
        T("data"),
        offered,
        key="data",
        format_func=lambda c: T(words.get(c, f"data_{c}"), name=name),
        on_change=session.touch("data"),
        help=T("data_help"),
    )


REPORT_ROWS = 20  # rejected records listed in the page


def human_size(n: int) -> str:
    """Bytes as KB or MB (decimal units, as the browser's upload limit)."""
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB"


def validation_report(upload: datasets.Upload, lang: str, T) -> None:
    """What happened to every record of the uploaded file."""
    result = upload.result
    name = md_escape(upload.name)
    if result is None:
        st.error(
            T("cannot_use", name=name, error=md_escape(upload.error))
            + (T("none_loaded", rows=upload.rows) if upload.rows else "")
            + T("still_bundled")
        )
        return
    rejected = len(result.rejected)
    title = T(
        "report_title",
        name=name,
        accepted=f"{result.accepted:,}",
        rows=f"{result.rows:,}",
        rejected=f"{rejected:,}",
    )
    if result.accepted == 0:
        st.warning(T("no_usable", name=name))
    elif rejected:
        st.warning(T("some_rejected", rejected=f"{rejected:,}", rows=f"{result.rows:,}", name=name))
    with st.expander(title, expanded=False):
        st.caption(
            T(
                "read_as",
                variant=result.variant,
                read_as=result.read_as,
                size=human_size(upload.size),
            )
        )
        for decision in result.dates:
            st.caption(
                T(
                    "report_dates",
                    column=md_escape(decision.column),
                    explanation=md_escape(decision.explanation),
                )
            )
        if result.near_border:
            st.caption(T("report_near_border", n=f"{result.near_border:,}"))
        outcomes = result.outcomes()
        for col, (label, n) in zip(st.columns(len(outcomes)), outcomes.items(), strict=True):
            label = outcome_label(label, lang)
            col.metric(label[0].upper() + label[1:], f"{n:,}")
        if not rejected:
            return
        reasons = result.reasons().rename_axis(T("reason")).reset_index(name=T("records"))
        st.dataframe(reasons, hide_index=True, width="stretch", key="report_reasons")
        st.markdown(T("first_rejected", n=min(REPORT_ROWS, rejected)))
        st.dataframe(
            result.rejected.head(REPORT_ROWS),
            hide_index=True,
            width="stretch",
            key="report_rejected",
        )
        st.download_button(
            T("download_rejected", n=f"{rejected:,}"),
            # made when clicked, not on every run: 300,000 rejected records are seconds of CSV
            data=lambda: safe_csv_bytes(result.rejected),
            file_name=f"rejected-{re.sub(r'[^A-Za-z0-9._-]+', '_', Path(upload.name).stem)}.csv",
            mime="text/csv",
            key="download_rejected",
        )
