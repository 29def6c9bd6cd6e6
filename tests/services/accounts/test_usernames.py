"""Usernames a reader could take for the system or for someone else are refused, in an
organisation file as on the admin page (tests/web/test_admin_pages.py)."""

import pytest
from pydantic import ValidationError

from models.usernames import look_alike, username_problem
from services.accounts.org_loader import PersonSpec


@pytest.mark.parametrize("username", ["system", "saraban", "prefect", "-", "Somying", "ส", "a", "x" * 65, "1st"])
def test_reserved_and_malformed_usernames_are_refused_in_an_organisation_file(username):
    assert username_problem(username)
    with pytest.raises(ValidationError):
        PersonSpec(username=username, full_name="ใคร", password="a-long-password", pin="739164")


def test_look_alikes_share_one_form_and_different_names_do_not():
    assert look_alike("somying") == look_alike("s0my1ng") == look_alike("so.my_ing")
    assert look_alike("somying") != look_alike("somchai")
    assert username_problem("somying") is None and username_problem("k.anokporn-2") is None
