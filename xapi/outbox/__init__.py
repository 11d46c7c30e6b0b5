"""The transactional outbox: statements are stored with the change they describe, then sent.

Import from here: :class:`OutboxBase` (whose metadata the app's migrations include),
:func:`enqueue`, :class:`OutboxWorker`, and the admin helpers behind the ``xapi`` CLI.
"""

from xapi.outbox.admin import OutboxCounts, export_statements, outbox_counts, retry_dead
from xapi.outbox.claim import ClaimedRow, claim_batch
from xapi.outbox.delivery import Deliverer, DeliveryReport
from xapi.outbox.enqueue import enqueue, enqueue_many
from xapi.outbox.table import OutboxBase, OutboxEntry, OutboxStatus
from xapi.outbox.worker import OutboxWorker

__all__ = [
    "ClaimedRow",
    "Deliverer",
    "DeliveryReport",
    "OutboxBase",
    "OutboxCounts",
    "OutboxEntry",
    "OutboxStatus",
    "OutboxWorker",
    "claim_batch",
    "enqueue",
    "enqueue_many",
    "export_statements",
    "outbox_counts",
    "retry_dead",
]
