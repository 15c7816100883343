from django.core.management.base import BaseCommand, CommandError

from accounts import manual


class Command(BaseCommand):
    help = (
        "Build the user manual's PDFs (one per role and the whole manual) into var/manual/ from "
        "accounts/manual/*.md and the screenshots in accounts/static/accounts/manual/ (make manual)."
    )

    def handle(self, *args, **options):
        missing = manual.missing_screens()
        if missing:
            lines = "\n".join(f"  {role}: {', '.join(names)}" for role, names in missing.items())
            raise CommandError(f"screenshots the manual names are missing (run make manual):\n{lines}")
        for role in [*manual.ROLES, None]:
            path = manual.build_dir() / manual.pdf_name(role)
            path.unlink(missing_ok=True)  # built anew, whatever the dates say
            path = manual.pdf_file(role)
            self.stdout.write(f"{path} {path.stat().st_size / 1024:,.0f} KB")
        screens = [manual.screen_path(name) for name in manual.all_screens()]
        size = sum(path.stat().st_size for path in screens)
        self.stdout.write(f"{len(screens)} screenshots in {manual.SCREENS}: {size / 1024:,.0f} KB")
        unused = sorted(path.name for path in manual.SCREENS.glob("*.png") if path.stem not in manual.all_screens())
        if unused:
            self.stdout.write(self.style.WARNING(f"screenshots no manual shows (delete them): {', '.join(unused)}"))
