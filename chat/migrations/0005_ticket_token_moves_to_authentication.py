"""A realtime ticket's token is now authentication.ApiToken: the same table
(accounts_apitoken), so Django's state changes and the database does not."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0004_message_attachment"),
        ("authentication", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="realtimeticket",
                    name="token",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="authentication.apitoken",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
