from django.core.management.base import BaseCommand

from rencai.notifications.services import notifications_email_sweep


class Command(BaseCommand):
    help = "E-mails of in-site messages still pending after 5 minutes (their task was lost) are queued again."

    def handle(self, *args, **options):
        self.stdout.write(f"queued {notifications_email_sweep()} e-mail(s)")
