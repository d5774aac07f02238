"""Directory search moved to the directory's own listing table (directory 0001):
the search document and the search indexes leave the profile table. Reversible:
the generated column and the indexes come back computed from the rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_banker_evidence'),
        ('directory', '0001_listing'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='bankerprofile',
            name='banker_search_doc',
        ),
        migrations.RemoveIndex(
            model_name='bankerprofile',
            name='banker_products_gin',
        ),
        migrations.RemoveIndex(
            model_name='bankerprofile',
            name='banker_industries_gin',
        ),
        migrations.RemoveIndex(
            model_name='bankerprofile',
            name='banker_region_avail',
        ),
        migrations.RemoveIndex(
            model_name='bankerprofile',
            name='banker_newest',
        ),
        migrations.RemoveIndex(
            model_name='bankerprofile',
            name='banker_min_amount',
        ),
        migrations.RemoveField(
            model_name='bankerprofile',
            name='search_document',
        ),
    ]
