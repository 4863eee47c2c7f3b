"""The index follows opportunities: every save of one schedules, after the commit, the sync of its entry
(services.opportunity_index_sync), so no change to the opportunities app's own services is needed."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from rencai.opportunities.models import Opportunity

log = logging.getLogger(__name__)


@receiver(post_save, sender=Opportunity, dispatch_uid="matching-index-follows-opportunities")
def _opportunity_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pk = instance.pk

    def sync():
        from .services import opportunity_index_sync

        try:
            opportunity_index_sync(opportunity_id=pk)
        except Exception:  # the index catches up at its next rebuild; the publisher's act stands
            log.exception("matching: index sync of opportunity %s failed", pk)

    transaction.on_commit(sync)
