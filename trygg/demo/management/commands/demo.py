"""`trygg demo`: load the seed's situation (2024-10-29) and the demo users, and print their passwords."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from trygg.core.roles import Role
from trygg.demo.load import load_demo


class Command(BaseCommand):
    help = "Laddar demodata (läget 2024-10-29 enligt uppdragsrapporteringen) och en demoanvändare per roll."

    def handle(self, *args: Any, **options: Any) -> None:
        users = load_demo()
        self.stdout.write(
            self.style.SUCCESS(gettext("Demodata laddad. Demoanvändare (användarnamn / lösenord / roll):"))
        )
        for user in users:
            self.stdout.write(f"  {user.username:<12} {user.password:<20} {Role(user.role).label}")
