"""Instrumentation shared by the benchmark's comparison apps (bench/naive_app.py,
bench/floor_app.py): not part of the approach they stand for."""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class DateMark(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.getContainer().setAttribute("data-oem-date", {{ this.day|tojson }});
{% endmacro %}"""
    )

    def __init__(self, day: str) -> None:
        super().__init__()
        self.day = day
