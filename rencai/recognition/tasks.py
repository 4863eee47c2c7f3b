"""Side effects of recognition, run after commit. They take ids and are safe to run twice."""

import logging

logger = logging.getLogger("rencai.recognition.notify")


def application_notify(event_id: int) -> None:
    """Tell the applicant what happened to their application. Until an SMS or message gateway is connected,
    the notice is written to the log; the timeline on the application's page always shows it."""
    from .models import ApplicationEvent

    event = ApplicationEvent.objects.filter(pk=event_id).select_related("application", "application__talent").first()
    if event is None:
        return
    application = event.application
    logger.info("认定申请%s（%s）：%s，状态：%s", application.number, application.talent.name,
                event.get_action_display(), event.get_to_status_display())
