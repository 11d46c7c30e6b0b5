"""Fixtures for the frameworks tests."""

from __future__ import annotations

import pytest

from frameworks import Framework, FrameworkRegistry, load_shipped
from tests.frameworks.factories import small_framework


@pytest.fixture
def small() -> Framework:
    return small_framework()


@pytest.fixture(scope="session")
def shipped() -> FrameworkRegistry:
    """The shipped frameworks; skips (saying why) while frameworks/data/ is still empty."""
    registry = load_shipped()
    if not registry:
        pytest.skip("no shipped frameworks in frameworks/data/ yet")
    return registry
