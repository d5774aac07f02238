"""ApiToken now belongs to the authentication app (authentication 0001 takes it
over in Django's state); its table, rows and triggers stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_search_moves_to_directory"),
        ("authentication", "0001_initial"),
        # The ticket's foreign key must point at the new model before the old one goes.
        ("chat", "0005_ticket_token_moves_to_authentication"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
