"""Short-lived LTI state kept on the server: OIDC state, nonces and launch data."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lti_tool.models.base import Base, UTCDateTime


class LtiStorageItem(Base):
    """A key-value entry with an expiry, written by the LTI layer."""

    __tablename__ = "lti_storage"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
