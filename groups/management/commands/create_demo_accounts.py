from django.core.management.base import BaseCommand, CommandError

from groups.models import Agency, Person

# One account per role, for trying the portal on a laptop, in each of its languages (the ILO focal point reads it in
# French, the World Bank's principal in Spanish). Never run this on a shared server.
DEMO_ACCOUNTS = [
    ("support", Person.Role.SUPPORT, None, "Sam", "Okafor", "en-gb"),
    ("focal-unodc", Person.Role.FOCAL_POINT, "UNODC", "Fatima", "Haddad", "en-gb"),
    ("focal-ilo", Person.Role.FOCAL_POINT, "ILO", "Ivan", "Petrov", "fr"),
    ("principal-wb", Person.Role.PRINCIPAL, "World Bank", "Paula", "Mendes", "es"),
    ("viewer", Person.Role.VIEWER, None, "Vera", "Lind", "en-gb"),
]
DEMO_PASSWORD = "gmg-demo-2026"


class Command(BaseCommand):
    help = "Create one demo account per role (support staff, focal points, principal, viewer) and print them."

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("Demo accounts are for a laptop only: set DJANGO_DEBUG=true to create them.")
        self.stdout.write(f"Demo accounts: sign in with the e-mail address (password for each: {DEMO_PASSWORD}):")
        for username, role, acronym, first, last, language in DEMO_ACCOUNTS:
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
                    "language": language,
                },
            )
            if created:
                person.set_password(DEMO_PASSWORD)
                person.save(update_fields=["password"])
            role_name, language_name = person.get_role_display(), person.get_language_display()
            self.stdout.write(f"  {person.email:<26} {role_name:<14} {acronym or '':<11} {language_name}")
        self.stdout.write(f"Open {settings.SITE_URL}/ and sign in with one of them.")
