"""Who may do what once signed in: the ``[oem_team]`` section of the secrets. No Streamlit.

Two roles: a *viewer* sees the team's shared datasets, decks and views; an *editor* also shares
them. A role comes from a configured list of e-mail addresses (``editors``, ``viewers``) or from
a claim of the identity token (``role_claim``, e.g. ``"roles"`` or ``"groups"``, holding
``editor_role`` or ``viewer_role``). Anyone else who signs in (any account of a public provider
such as Google) gets no role and sees no data: access is granted, never assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NONE, VIEWER, EDITOR = "", "viewer", "editor"


@dataclass(frozen=True)
class TeamRoles:
    editors: frozenset[str] = frozenset()
    viewers: frozenset[str] = frozenset()
    role_claim: str = ""
    editor_role: str = "oem-editor"
    viewer_role: str = "oem-viewer"

    @classmethod
    def of(cls, section: Mapping | None) -> TeamRoles:
        """From the ``[oem_team]`` secrets section (missing keys take their defaults)."""
        section = section or {}

        def emails(key: str) -> frozenset[str]:
            value = section.get(key, ())
            if isinstance(value, str):
                value = [value]
            return frozenset(str(v).strip().lower() for v in value if str(v).strip())

        return cls(
            editors=emails("editors"),
            viewers=emails("viewers"),
            role_claim=str(section.get("role_claim", "")).strip(),
            editor_role=str(section.get("editor_role", "oem-editor")).strip(),
            viewer_role=str(section.get("viewer_role", "oem-viewer")).strip(),
        )


def role_of(user: Mapping, roles: TeamRoles) -> str:
    """The role of a signed-in user (their identity token's claims): EDITOR, VIEWER or NONE.
    An e-mail the provider marks unverified (``email_verified`` false) is not matched."""
    email = str(user.get("email") or "").strip().lower()
    if user.get("email_verified") is False:
        email = ""
    claimed: set[str] = set()
    if roles.role_claim:
        value = user.get(roles.role_claim)
        if isinstance(value, str):
            claimed = {value}
        elif isinstance(value, list | tuple):
            claimed = {str(v) for v in value}
    if (email and email in roles.editors) or (roles.editor_role and roles.editor_role in claimed):
        return EDITOR
    if (email and email in roles.viewers) or (roles.viewer_role and roles.viewer_role in claimed):
        return VIEWER
    return NONE


def user_name(user: Mapping) -> str:
    """How a user is named in the store and on screen: e-mail, else name, else subject."""
    for key in ("email", "name", "sub"):
        value = str(user.get(key) or "").strip()
        if value:
            return value[:200]
    return "unknown"
