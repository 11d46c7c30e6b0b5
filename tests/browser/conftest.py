"""Browser fixtures (see tests/support/browser/fixtures.py)."""

from tests.support.browser.fixtures import *  # noqa: F403
