"""The demo accounts of `make run`: printed with the address the portal is served on."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_demo_accounts_point_to_the_address_make_run_serves(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8201"  # make run PORT=8201 sets GMG_SITE_URL so
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    assert "Open http://127.0.0.1:8201/ and sign in" in out.getvalue()
    assert "8000" not in out.getvalue()


def test_the_demo_accounts_are_printed_with_the_address_the_sign_in_page_asks_for(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    assert "sign in with the e-mail address" in out.getvalue()
    assert "support@example.org" in out.getvalue()
