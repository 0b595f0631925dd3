from django.core.management.base import BaseCommand

from .scoping import scopes_disabled


class SystemCommand(BaseCommand):
    """A management command of the portal: it acts for the system, across
    provinces, so it runs with the province scope disabled (core.scoping)."""

    def execute(self, *args, **options):
        with scopes_disabled():
            return super().execute(*args, **options)
