from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from core.demo import DEMO_ACCOUNTS
from core.management.acting import ActingCommand
from core.models import District, Province, Role, User
from core.roles import ScopeLevel


class Command(ActingCommand):
    help = "Create the demo accounts listed in README.md (idempotent; refuses to run with DEBUG off)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data has known passwords: refusing with DEBUG off (use --force).")
        roles = {r.code: r for r in Role.objects.all()}
        for account in DEMO_ACCOUNTS:
            district = province = None
            if account.scope_level == ScopeLevel.DISTRICT:
                district = District.objects.get(code=account.area)
                province = district.province
            elif account.scope_level == ScopeLevel.PROVINCE:
                province = Province.objects.get(code=account.area)
            user, created = User.objects.update_or_create(
                national_id=account.national_id,
                defaults={
                    "title": account.title,
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "position": account.position,
                    "scope_level": account.scope_level,
                    "district": district,
                    "province": province,
                    "is_staff": account.is_staff,
                    "is_superuser": account.is_staff,
                    "must_change_password": account.must_change_password,
                    "section": "ศูนย์ดำรงธรรม",
                },
            )
            if created or not user.has_usable_password() or account.must_change_password:
                user.set_password(account.password)
                user.save(update_fields=["password"])
            user.roles.set([roles[code] for code in account.roles])
            self.stdout.write(f"{'created' if created else 'updated'} {user.national_id} {user}")
