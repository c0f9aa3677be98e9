"""Team mode: the sign-in gate, and the sidebar's shared datasets, decks and saved views.

With an ``[auth]`` section in the secrets, every visitor signs in (Streamlit's ``st.login``,
OpenID Connect) before anything else is drawn, and ``team.roles`` gives them a role. With a
database as well (``OEM_DATABASE_URL`` or ``[oem_store] url``), the team's store is used. With
neither, none of this appears and the page is the open single-user app. A store without
sign-in is not used: it would serve the team's data to anyone who reaches the port.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, replace
from datetime import UTC

import pandas as pd
import streamlit as st

from dashboard.config import RECORD
from dashboard.ingest import datasets
from dashboard.ingest.events import LoadResult
from dashboard.ingest.textsafe import md_escape
from dashboard.page import session
from dashboard.state import deck as decks
from dashboard.state import permalink, transitions
from dashboard.team import roles
from dashboard.team.store import SharedDataset, Store, StoreError, database_url

log = logging.getLogger("oblast_events_map")
TEAM_PREFIX = datasets.TEAM_PREFIX  # the label of a shared dataset's rows (i18n.dataset_label)
SAFE_QUERY = re.compile(r"[A-Za-z0-9_.~%=&,:;|+-]*")
LIST_TTL_S = 15  # how long one replica reuses the list of shared things
RETRY_S = 30  # a store that could not be used is tried again after this long
_FAILED: dict[str, tuple[float, str]] = {}  # url -> (when, why) of the last failure


# The link a visitor opened before signing in, kept in the tab's sessionStorage and reopened
# once after the provider's redirect to the bare address (scripts in the page itself: a
# component's sandboxed frame may not navigate the page).
_LINK_KEY = "oem-link-before-sign-in"
KEEP_LINK = f"""<script>
try {{
  const q = window.location.search;
  if (q && q.length < 40000) window.sessionStorage.setItem("{_LINK_KEY}", q);
}} catch (e) {{}}
</script>"""
RESTORE_LINK = f"""<script>
try {{
  const s = window.sessionStorage, q = s.getItem("{_LINK_KEY}");
  s.removeItem("{_LINK_KEY}");
  if (q && q.startsWith("?") && q !== window.location.search)
    window.location.replace(window.location.pathname + q);
}} catch (e) {{}}
</script>"""


# After a replica dies the browser reconnects through the proxy to another one, which has
# no session for it: Streamlit there ignores the page's fragment reruns (the date controls, the
# map's time bar) until a full run. So the page carries a marker only this process serves (a
# tiny image with the process's token, served from its memory under /media/), and a script that,
# when the page's WebSocket is opened again, asks for that marker: gone (404) means another
# process answers, and the page reloads from its link, which holds the whole view.
PROCESS_TOKEN = secrets.token_hex(8)
RECONNECT_WATCH = """<script>
(function () {
  if (window.__oemWatch) { return; }
  window.__oemWatch = true;
  const Native = window.WebSocket;
  function marker() {
    const img = document.querySelector(".st-key-oem_process img");
    return img ? img.getAttribute("src") : null;
  }
  // Installed by a message of the page's first connection: every stream opened after it is
  // a reconnection.
  window.WebSocket = function (url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    const src = String(url).indexOf("/_stcore/stream") >= 0 ? marker() : null;
    if (src) {
      ws.addEventListener("open", function () {
        fetch(src, { cache: "no-store" }).then(function (r) {
          if (r.status === 404) { window.location.reload(); }
        }).catch(function () {});
      });
    }
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) {
    window.WebSocket[k] = Native[k];
  });
})();
</script>"""


def process_marker() -> None:
    """The marker and the watch script (see RECONNECT_WATCH); hidden by PAGE_CSS."""
    with st.container(key="oem_process"):
        st.image(_marker_png(), width=8, output_format="PNG")
        st.html(RECONNECT_WATCH, unsafe_allow_javascript=True)


@functools.cache
def _marker_png() -> bytes:
    """8 grey pixels holding the process's token (lossless PNG: its URL, a hash of the bytes,
    differs from every other process's)."""
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("L", (8, 1), bytes.fromhex(PROCESS_TOKEN)).save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Team:
    """The signed-in visitor: who, with what role, and the store (None: not configured or
    unreachable, ``problem`` says why)."""

    user: str
    role: str
    store: Store | None
    problem: str = ""

    @property
    def editor(self) -> bool:
        return self.role == roles.EDITOR


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - no secrets file, or an unreadable one: open mode
        return {}


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store | str:
    """The store of a URL, migrated once per process; its message when it cannot be used."""
    try:
        store = Store(url)
        store.migrate()
        return store
    except StoreError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - a database error must not take the page down
        log.exception("shared store")
        return f"the shared store cannot be used ({type(exc).__name__})"


def gate(T) -> tuple[bool, Team | None]:
    """(may the page go on, the team visitor or None in open mode). A visitor not signed in
    gets the sign-in page, one without a role a page saying so: no data either way."""
    secrets = _secrets()
    if "auth" not in secrets:
        if database_url(secrets):
            st.warning(T("team_store_needs_auth"))
        return True, None
    if not st.user.is_logged_in:
        st.title(T("page_title"))
        st.markdown(T("team_sign_in_why"))
        st.button(T("team_sign_in"), key="team_sign_in", type="primary", on_click=st.login)
        # The provider sends the browser back to the page's bare address: keep the link's
        # view in this tab until then.
        st.html(KEEP_LINK, unsafe_allow_javascript=True)
        return False, None
    if not session.value("_team_link_checked"):
        session.put("_team_link_checked", True)
        st.html(RESTORE_LINK, unsafe_allow_javascript=True)
    process_marker()
    claims = st.user.to_dict()
    name = roles.user_name(claims)
    role = roles.role_of(claims, roles.TeamRoles.of(secrets.get("oem_team")))
    if role == roles.NONE:
        st.title(T("page_title"))
        st.warning(T("team_no_role", user=md_escape(name)))
        st.button(T("team_sign_out"), key="team_sign_out", on_click=st.logout)
        return False, None
    url = database_url(secrets)
    if not url:
        return True, Team(name, role, None)
    failed = _FAILED.get(url)
    if failed and time.monotonic() - failed[0] < RETRY_S:  # do not wait on it every run
        return True, Team(name, role, None, failed[1])
    found = _store(url)
    if isinstance(found, str):
        _store.clear()  # tried again after RETRY_S
        _FAILED[url] = (time.monotonic(), found)
        return True, Team(name, role, None, found)
    _FAILED.pop(url, None)
    return True, Team(name, role, found)


# --- shared datasets ------------------------------------------------------------------------------


@st.cache_data(ttl=LIST_TTL_S, show_spinner=False)
def _datasets(url: str) -> list[SharedDataset]:
    return Store(url).datasets()


@st.cache_resource(show_spinner=False, max_entries=2)
def _shared_result(url: str, dataset_id: int, name: str, version: str) -> LoadResult:
    """A shared dataset's events, read once per replica and version (every session showing it
    shares the frame)."""
    events = Store(url).events(dataset_id)
    events["dataset"] = pd.Categorical([TEAM_PREFIX + name] * len(events))
    rejected = pd.DataFrame({RECORD: pd.Series(dtype="int64"), "reason": pd.Series(dtype=str)})
    return LoadResult(events, rejected, rows=len(events), format="team", variant="shared")


def _listed(team: Team) -> list[SharedDataset]:
    try:
        return _datasets(team.store.url)
    except StoreError as exc:
        st.caption(md_escape(str(exc)))
        return []


def dataset_panel(team: Team | None, upload: datasets.Upload | None, T):
    """Sidebar: who is signed in, and the team's datasets (key ``team``). A chosen shared
    dataset is shown as an upload is, unless a file is uploaded in this session. Returns the
    upload the page shows."""
    if team is None:
        return upload
    st.header(T("team"))
    st.caption(T(f"team_signed_in_{team.role}", user=md_escape(team.user)))
    st.button(T("team_sign_out"), key="team_sign_out", on_click=st.logout)
    if team.store is None:
        if team.problem:
            st.warning(T("team_store_down", error=md_escape(team.problem)))
        return upload
    shared = _listed(team)
    by_id = {d.id: d for d in shared}
    wanted = int(session.value("team", 0) or 0)
    if wanted and wanted not in by_id:
        session.put("team", 0)
        session.apply_page(transitions.add_notice, T("team_missing", id=wanted))
    st.selectbox(
        T("team_datasets"),
        [0, *by_id],
        key="team",
        format_func=lambda i: T("team_none") if not i else _label(by_id[i]),
        on_change=session.touch("team"),
        help=T("team_datasets_help"),
    )
    chosen = by_id.get(int(session.value("team", 0) or 0))
    if chosen is not None:
        st.caption(_about(chosen, T))
        if upload is None:
            version = chosen.shared_at.isoformat()
            try:
                result = _shared_result(team.store.url, chosen.id, chosen.name, version)
            except Exception as exc:  # noqa: BLE001 - the rest of the page goes on
                log.exception("shared dataset %s", chosen.id)
                st.warning(T("team_store_down", error=md_escape(f"{type(exc).__name__}")))
                return upload
            upload = datasets.Upload(TEAM_PREFIX + chosen.name, 0, result)
            token = (("team", chosen.id, version), "team")
            if (session.value("_upload") or (None,))[0] != token:
                session.put("_upload", (token, upload))
    own = upload is not None and upload.result is not None and upload.result.accepted > 0
    if team.editor and own and not upload.name.startswith(TEAM_PREFIX):
        _share_form(team, upload, T)
    return upload


def _label(d: SharedDataset) -> str:
    return f"{d.name} · {d.events:,} · {d.shared_by} · {_utc(d):%Y-%m-%d}"


def _utc(d: SharedDataset):
    return d.shared_at.astimezone(UTC)  # whatever the database's own time zone


def _count(value, fallback: int) -> str:
    """A count from a stored report (written by this page; anything else is not trusted)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return f"{fallback:,}"


def _about(d: SharedDataset, T) -> str:
    report = d.report if isinstance(d.report, dict) else {}
    text = T(
        "team_about",
        by=md_escape(d.shared_by),
        when=f"{_utc(d):%Y-%m-%d %H:%M} UTC",
        file=md_escape(d.file_name or d.name),
        accepted=_count(report.get("accepted"), d.events),
        rows=_count(report.get("rows"), d.rows_read),
        rejected=_count(report.get("rejected"), 0),
    )
    if d.licence:
        text += "  \n" + T("team_licence", licence=md_escape(d.licence[:500]))
    return text


def _share_form(team: Team, upload: datasets.Upload, T) -> None:
    with st.form("team_share", border=True):
        st.markdown(T("team_share_title"))
        name = st.text_input(
            T("team_share_name"), value=upload.name[:200], max_chars=200, key="team_share_name"
        )
        licence = st.text_area(
            T("team_share_licence"), max_chars=20_000, height=80, key="team_share_licence"
        )
        if not st.form_submit_button(T("team_share"), type="primary"):
            return
    result = upload.result
    report = {
        "rows": result.rows,
        "accepted": result.accepted,
        "rejected": len(result.rejected),
        "reasons": {str(k): int(v) for k, v in result.reasons().head(20).items()},
        "format": result.format,
        "read_as": result.read_as,
        "dates": [d.explanation for d in result.dates],
    }
    events = result.events.drop(columns=["dataset"], errors="ignore")
    try:
        new_id = team.store.share_dataset(
            events,
            name=name or upload.name,
            file_name=upload.name,
            user=team.user,
            licence=licence,
            report=json.loads(json.dumps(report, default=str)),
            rows_read=result.rows,
        )
    except StoreError as exc:
        st.error(md_escape(str(exc)))
        return
    _datasets.clear()
    st.success(T("team_shared", name=md_escape(name or upload.name), id=new_id))


# --- decks and saved views -----------------------------------------------------------------------


def decks_panel(team: Team | None, T) -> None:
    """Sidebar: open a deck the team shared; an editor shares the open deck and saves the view."""
    if team is None or team.store is None:
        return
    try:
        shared, views = _decks_and_views(team.store.url)
    except StoreError as exc:
        st.caption(md_escape(str(exc)))
        return
    with st.expander(T("team_decks_views"), expanded=False):
        if shared:
            by_id = {d.id: d for d in shared}
            pick = st.selectbox(
                T("team_decks"),
                list(by_id),
                key="team_deck_pick",
                format_func=lambda i: f"{by_id[i].title or '—'} · {by_id[i].shared_by}",
            )
            st.button(T("team_deck_open"), key="team_deck_open", on_click=_open_deck,
                      args=(team, pick, T))  # fmt: skip
        else:
            st.caption(T("team_no_decks"))
        deck = session.view().deck
        if team.editor and deck is not None:
            st.button(T("team_deck_share"), key="team_deck_share", on_click=_share_deck,
                      args=(team, T))  # fmt: skip
        if views:
            st.markdown(T("team_views"))
            for v in views[:30]:
                # Only a query the page itself could have written becomes a link.
                query = v.query if SAFE_QUERY.fullmatch(v.query) else ""
                st.markdown(f"- [{md_escape(v.name)}](?{query}) · {md_escape(v.shared_by)}")
        if team.editor:
            st.text_input(T("team_view_name"), key="team_view_name", max_chars=200)
            st.button(T("team_view_save"), key="team_view_save", on_click=_save_view,
                      args=(team, T))  # fmt: skip
        message = session.value("_team_message")
        if message:
            st.caption(md_escape(message))
            session.drop("_team_message")


@st.cache_data(ttl=LIST_TTL_S, show_spinner=False)
def _decks_and_views(url: str):
    store = Store(url)
    return store.decks(), store.views()


def _open_deck(team: Team, deck_id: int, T) -> None:
    from dashboard.page import deck as deck_page

    try:
        body = team.store.deck(int(deck_id))
        deck, problems = decks.from_json(body or "")
    except (StoreError, decks.DeckError) as exc:
        session.put("_team_message", str(exc))
        return
    session.put("_deck_problems", (T("team_deck_label", id=deck_id), tuple(problems), True))
    session.put(session.DECK, deck)
    session.put("_deck_edit", 0)
    deck_page.show_slide(1)


def _share_deck(team: Team, T) -> None:
    deck = session.view().deck
    if deck is None or not team.editor:
        return
    try:
        new_id = team.store.share_deck(decks.to_json(deck), title=deck.title, user=team.user)
    except StoreError as exc:
        session.put("_team_message", str(exc))
        return
    _decks_and_views.clear()
    session.put("_team_message", T("team_deck_shared", id=new_id))


def _save_view(team: Team, T) -> None:
    if not team.editor:
        return
    name = str(session.value("team_view_name", "") or "").strip()
    query = permalink.to_query(replace(session.view(), deck=None, slide=None, present=False))
    try:
        team.store.save_view(name, query, team.user)
    except StoreError as exc:
        session.put("_team_message", str(exc))
        return
    _decks_and_views.clear()
    session.put("_team_message", T("team_view_saved", name=name))
