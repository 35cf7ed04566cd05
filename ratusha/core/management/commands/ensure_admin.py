"""Create the first administrator for a local installation and print how to log in."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from ratusha.core.roles import ROLE_GROUPS, Role


class Command(BaseCommand):
    help = "Create the administrator 'admin' if there is none; print the login either way."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--port", default=None)

    def handle(self, *args, username, port, **options):
        User = get_user_model()
        password_file = settings.VAR_DIR / "admin_password"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(
                username=username,
                email=f"{username}@localhost",
                password=password,
                first_name="Адміністратор",
            )
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[Role.ADMINISTRATOR])
        user.groups.add(group)
        if password_file.exists() and user.check_password(password_file.read_text().strip()):
            password_text = password_file.read_text().strip()
        else:
            password_text = "(той, який ви встановили / the one you set)"
        port = port or os.environ.get("PORT", "8000")
        self.stdout.write(
            self.style.SUCCESS(
                "\n  Ратуша працює / Ratusha is running:\n"
                f"    сайт / site:    http://127.0.0.1:{port}/\n"
                f"    адмінка / admin: http://127.0.0.1:{port}/admin/\n"
                f"    логін / login:   {username}\n"
                f"    пароль / password: {password_text}\n"
                + self._second_factor_text(user)
                + "  Ctrl-C зупиняє сервер і обробник задач / stops the server and the worker.\n"
            )
        )

    def _second_factor_text(self, user) -> str:
        """Administrators must pass a second factor (ratusha.security). In the local mode the
        demo administrator gets an authenticator key and a fresh one-time code on every start,
        so a newcomer can sign in without a phone; in production nothing is made here and the
        administrator sets up the authenticator on first sign-in."""
        from ratusha.security import local_enrolment

        if settings.PRODUCTION:
            return (
                "    2FA: під час першого входу відскануйте QR-код застосунком-автентифікатором /\n"
                "         on first sign-in scan the QR code with an authenticator app\n"
            )
        key, code = local_enrolment.demo_second_factor(user)
        return (
            f"    одноразовий код / one-time code (2FA): {code}\n"
            f"    ключ для застосунку / authenticator key: {key}\n"
        )
