from dashboard.team import roles
from dashboard.team.roles import EDITOR, NONE, VIEWER, TeamRoles, role_of

LISTS = TeamRoles.of({"editors": ["Editor@Example.org"], "viewers": "viewer@example.org"})
CLAIMS = TeamRoles.of({"role_claim": "groups", "editor_role": "map-editors"})


def test_roles_come_from_the_configured_lists_case_insensitively():
    assert role_of({"email": "editor@example.ORG"}, LISTS) == EDITOR
    assert role_of({"email": " viewer@example.org "}, LISTS) == VIEWER


def test_anyone_else_who_signs_in_gets_no_role():
    assert role_of({"email": "stranger@gmail.com", "email_verified": True}, LISTS) == NONE
    assert role_of({}, LISTS) == NONE
    assert role_of({"email": "editor@example.org"}, TeamRoles()) == NONE


def test_an_unverified_email_is_not_matched():
    assert role_of({"email": "editor@example.org", "email_verified": False}, LISTS) == NONE


def test_roles_come_from_a_claim_holding_a_list_or_a_string():
    assert role_of({"groups": ["staff", "map-editors"]}, CLAIMS) == EDITOR
    assert role_of({"groups": "oem-viewer"}, CLAIMS) == VIEWER
    assert role_of({"groups": ["staff"]}, CLAIMS) == NONE
    # a claim that is neither text nor a list grants nothing
    assert role_of({"groups": {"map-editors": True}}, CLAIMS) == NONE


def test_editor_wins_over_viewer():
    both = TeamRoles.of({"editors": ["a@x.org"], "viewers": ["a@x.org"]})
    assert role_of({"email": "a@x.org"}, both) == EDITOR


def test_a_user_is_named_by_email_then_name_then_subject():
    assert roles.user_name({"email": "a@x.org", "name": "A"}) == "a@x.org"
    assert roles.user_name({"name": "A", "sub": "123"}) == "A"
    assert roles.user_name({"sub": "123"}) == "123"
    assert roles.user_name({}) == "unknown"
    assert len(roles.user_name({"email": "x" * 500})) == 200
