from django.core.management.base import BaseCommand, CommandError

from groups.models import Agency, Person

# One account per role, for trying the portal on a laptop. Never run this on a shared server.
DEMO_ACCOUNTS = [
    ("support", Person.Role.SUPPORT, None, "Sam", "Okafor"),
    ("focal-unodc", Person.Role.FOCAL_POINT, "UNODC", "Fatima", "Haddad"),
    ("focal-ilo", Person.Role.FOCAL_POINT, "ILO", "Ivan", "Petrov"),
    ("principal-wb", Person.Role.PRINCIPAL, "World Bank", "Paula", "Mendes"),
    ("viewer", Person.Role.VIEWER, None, "Vera", "Lind"),
]
DEMO_PASSWORD = "gmg-demo-2026"


class Command(BaseCommand):
    help = "Create one demo account per role (support staff, focal points, principal, viewer) and print them."

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("Demo accounts are for a laptop only: set DJANGO_DEBUG=true to create them.")
        self.stdout.write(f"Demo accounts: sign in with the e-mail address (password for each: {DEMO_PASSWORD}):")
        for username, role, acronym, first, last in DEMO_ACCOUNTS:
            agency = Agency.objects.filter(acronym=acronym).first() if acronym else None
            person, created = Person.objects.get_or_create(
                username=username,
                defaults={
                    "role": role,
                    "agency": agency,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_staff": role == Person.Role.SUPPORT,
                },
            )
            if created:
                person.set_password(DEMO_PASSWORD)
                person.save(update_fields=["password"])
            self.stdout.write(f"  {person.email:<26} {person.get_role_display():<14} {acronym or ''}")
        self.stdout.write(f"Open {settings.SITE_URL}/ and sign in with one of them.")
