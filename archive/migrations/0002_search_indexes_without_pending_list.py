from django.db import migrations

from kit.search_indexes import gin_at_once_operation

# The search's GIN indexes (overview.search: the stored vectors and the trigram indexes of names), in the three
# apps whose records are searched; here, as the archive's search index comes last.
INDEXES = [
    "meetings_meeting_search_gin",
    "meetings_meeting_title_trgm",
    "meetings_decision_search_gin",
    "meetings_decision_title_trgm",
    "workplans_activity_search_gin",
    "workplans_activity_number_trgm",
    "workplans_activity_lead_trgm",
    "workplans_output_search_gin",
    "workplans_output_number_trgm",
    "archive_document_search_gin",
    "archive_document_title_trgm",
]


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("meetings", "0003_search_vectors_and_indexes"),
        ("workplans", "0003_search_vectors_and_indexes"),
    ]

    operations = [gin_at_once_operation(INDEXES)]
