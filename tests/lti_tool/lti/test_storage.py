"""Server-side LTI storage: values expire, and a nonce can be checked only once."""

import time

from flask import Flask

from lti_tool.extensions import db
from lti_tool.lti.storage import DatabaseLaunchDataStorage


def test_nonce_is_consumed_on_first_check(app: Flask) -> None:
    with app.app_context():
        storage = DatabaseLaunchDataStorage(db.engine)
        storage.set_value("lti1p3-nonce-abc", True, 60)
        assert storage.check_value("lti1p3-nonce-abc") is True
        assert storage.check_value("lti1p3-nonce-abc") is False


def test_values_round_trip_and_expire(app: Flask) -> None:
    with app.app_context():
        storage = DatabaseLaunchDataStorage(db.engine)
        storage.set_value("lti1p3-launch-x", {"sub": "4"}, 60)
        assert storage.get_value("lti1p3-launch-x") == {"sub": "4"}
        storage.set_value("lti1p3-launch-x", {"sub": "5"}, 60)
        assert storage.get_value("lti1p3-launch-x") == {"sub": "5"}
        storage.set_value("lti1p3-short", "v", 1)
        time.sleep(1.1)
        assert storage.get_value("lti1p3-short") is None
        assert storage.check_value("lti1p3-short") is False
        assert storage.delete_expired() >= 1


def test_a_rolled_back_request_cannot_restore_a_consumed_nonce(app: Flask) -> None:
    with app.app_context():
        storage = DatabaseLaunchDataStorage(db.engine)
        storage.set_value("lti1p3-nonce-n", True, 60)
        assert storage.check_value("lti1p3-nonce-n")
        db.session.rollback()  # what the error handler does
        assert storage.check_value("lti1p3-nonce-n") is False
