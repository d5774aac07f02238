"""Accounts that predate email verification get their address on file with
allauth, marked confirmed: they signed up and have been using it, and locking
them out of applying or chatting overnight would be a surprise. New accounts
confirm theirs (accounts.services)."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=user_id, email=email, primary=True, verified=True)
        for user_id, email in User.objects.exclude(pk__in=known).values_list("pk", "email").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auth_change_notices"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
