"""The layers as the tree shows them (README "Where things are"): who may import what, where
Streamlit and folium live, and how long a module may grow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.config import PACKAGE_DIR, ROOT

MODULES = sorted(p for p in PACKAGE_DIR.rglob("*.py") if "static" not in p.parts)
MAX_LINES = 450
# Each layer may import only the layers listed (and the shared top-level modules: config,
# settings, i18n). Page is the top: it may use everything.
SHARED = {"config", "settings", "i18n"}
ALLOWED = {
    "geo": {"geo"},
    "ingest": {"ingest", "geo"},
    "state": {"state"},
    "query": {"query", "ingest", "state"},
    "scene": {"scene", "query", "geo", "ingest", "state", "caches"},
    "render": {"render", "scene", "geo"},
    "timebar": {"timebar"},
    "team": {"team"},  # the store and roles know the data's columns (config), nothing else
}


def layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR).parts
    return parts[0] if len(parts) > 1 else path.stem


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "dashboard":
                names |= {f"dashboard.{a.name}" for a in node.names}
    return names


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# The server entry builds Streamlit's ASGI app (st.App must be called in the file `streamlit run`
# is given); it holds no page code.
SERVER_ENTRY = "serve"


def test_streamlit_is_imported_under_the_page_folder_only():
    outside = [
        rel(p)
        for p in MODULES
        if layer(p) not in ("page", SERVER_ENTRY)
        and any(n.split(".")[0] == "streamlit" for n in imports(p))
        or layer(p) != "page"
        and any(n.startswith("streamlit_folium") for n in imports(p))
    ]
    assert outside == []


def test_session_state_and_the_query_string_are_touched_by_the_session_module_only():
    users = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("session_state", "query_params"):
                users.add(rel(path))
    assert users == {"dashboard/page/session.py"}


@pytest.mark.parametrize("folder", ["query", "scene", "state", "ingest", "geo", "timebar"])
def test_no_folium_below_render(folder):
    for path in (PACKAGE_DIR / folder).rglob("*.py"):
        found = {n.split(".")[0] for n in imports(path)} & {"folium", "branca", "jinja2"}
        assert not found, (rel(path), found)


def test_layers_import_only_the_layers_below_them():
    wrong = []
    for path in MODULES:
        mine = layer(path)
        if mine not in ALLOWED:
            continue
        for name in imports(path):
            if not name.startswith("dashboard."):
                continue
            other = name.split(".")[1]
            if other not in ALLOWED[mine] | SHARED:
                wrong.append(f"{rel(path)} imports {name}")
    assert wrong == []


def test_no_module_is_over_450_lines_and_the_entry_file_is_short():
    sources = [*MODULES, *sorted((ROOT / "bench").glob("*.py"))]
    sources += sorted((ROOT / "scripts").glob("*.py"))
    long = {rel(p): n for p in sources if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}
    assert len((PACKAGE_DIR / "app.py").read_text().splitlines()) <= 60
    assert len((PACKAGE_DIR / f"{SERVER_ENTRY}.py").read_text().splitlines()) <= 40


def test_every_count_class_has_a_colour():
    from dashboard.query.view import CLASSES
    from dashboard.scene.palette import COUNT_COLOURS

    assert len(COUNT_COLOURS) == CLASSES


def test_every_basemap_offered_is_one_leaflet_can_draw():
    from dashboard.render.leaflet import TILES
    from dashboard.state.choices import TILES as OFFERED

    assert tuple(TILES) == OFFERED
