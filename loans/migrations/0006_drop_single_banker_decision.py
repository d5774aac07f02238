"""The decision now lives on each banker's track and offer (0005 moved it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("loans", "0005_one_track_per_sent_application")]

    operations = [
        migrations.RemoveConstraint(
            model_name='loanapplication',
            name='loan_sent_has_banker',
        ),
        migrations.RemoveConstraint(
            model_name='loanapplication',
            name='loan_approved_has_terms',
        ),
        migrations.RemoveField(
            model_name='loanapplication',
            name='approved_amount',
        ),
        migrations.RemoveField(
            model_name='loanapplication',
            name='approved_term_months',
        ),
        migrations.RemoveField(
            model_name='loanapplication',
            name='conditions',
        ),
        migrations.RemoveField(
            model_name='loanapplication',
            name='decline_reason',
        ),
        migrations.RemoveField(
            model_name='loanapplication',
            name='interest_rate',
        ),
    ]
