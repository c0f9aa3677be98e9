"""Test-only adapters: the map layers of a plain frame of events already in view, and the map
names the tests use, gathered from the modules that define them (``scene.layers``,
``scene.popups``, ``render.leaflet``). The page draws from an ``EventIndex`` instead."""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd

from dashboard.query.index import MAX_PLACES, EventIndex, Selection
from dashboard.render.leaflet import MapControl, base_map, feature_group
from dashboard.scene.basemap import FILL_OPACITY
from dashboard.scene.layers import (
    MAX_POPUP_EVENTS,
    POPUP_EVENT_BUDGET,
    UNDER_WAY_TITLES,
    MarkersLayer,
    date_group,
    markers_from_index,
    under_way_by_oblast,
)
from dashboard.scene.layers import active_positions as _active_positions
from dashboard.scene.popups import event_html

__all__ = [
    "MAX_PLACES",
    "MAX_POPUP_EVENTS",
    "POPUP_EVENT_BUDGET",
    "UNDER_WAY_TITLES",
    "MarkersLayer",
    "_active_positions",
    "base_map",
    "date_layers",
    "event_html",
    "markers_from_index",
    "markers_layer",
    "under_way_by_oblast",
]


def _index_of(events: pd.DataFrame, active_mask: pd.Series):
    """An index over a frame of events already in view, and its 'under way' flags."""
    index = EventIndex.build(events)
    sel = Selection(0, len(index), np.zeros(0, dtype=np.int64))
    order = events.index[index.rows]
    active = active_mask.reindex(order, fill_value=False).to_numpy(dtype=bool)
    return index, sel, active


def markers_layer(
    events: pd.DataFrame, active_mask: pd.Series, show_outside: bool = False, lang: str = "en"
) -> MarkersLayer:
    """``markers_from_index`` for a frame of the events in view."""
    index, sel, active = _index_of(events, active_mask)
    return markers_from_index(index, sel, active, show_outside, lang)


def date_layers(
    regions,
    events: pd.DataFrame,
    counts: pd.DataFrame,
    breaks: list[int],
    active_mask: pd.Series,
    date_label: str,
    metric_column: str = "total",
    show_outside: bool = False,
    lang: str = "en",
    fill_opacity: float = FILL_OPACITY,
    controls: tuple[MapControl, ...] = (),
) -> folium.FeatureGroup:
    """The page's FeatureGroup for a frame of the events in view, carrying the plain layers
    (``.payload``, ``.oblasts``, ``.markers``, ``.grid_step``) for assertions."""
    index, sel, active = _index_of(events, active_mask)
    layers = date_group(
        regions,
        index,
        sel,
        active,
        counts,
        breaks,
        date_label,
        "",
        metric_column,
        show_outside,
        lang,
        fill_opacity,
    )
    group = feature_group(layers)
    for control in controls:
        control.add_to(group)
    group.payload, group.oblasts, group.markers = layers.payload, layers.oblasts, layers.markers
    group.grid_step = layers.grid_step
    return group
