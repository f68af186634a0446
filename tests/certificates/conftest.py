"""Fixtures for the certificate tests."""

import pytest

from tests.certificates.data import make_contest


@pytest.fixture
def contest(db):
    return make_contest()
