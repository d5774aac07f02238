"""The directory's listing table, filled from the accounts tables and kept in step
with them by PostgreSQL triggers.

Every statement that writes banker profiles or users calls
`directory_listing_sync(ids)` for the bankers it touched (statement-level
triggers with transition tables: one call per statement, however many rows), in
the writing transaction. The function upserts the row of each banker who is
listed (verified, active account) and deletes the rest, so services, admin,
bulk `update()` and plain SQL all keep the table right. The ids are joined
(`IN (SELECT unnest(ids))`), not tested with `= ANY(ids)`: that scans the
array for every row, quadratic in a bulk statement (a 1,000,000-profile insert
ran for 25 minutes before it was stopped).

Concurrent writers: every listing write for a banker happens while holding
that banker's profile row lock (a profile UPDATE holds it; the user trigger
takes it), so two transactions changing the same banker's user and profile
write their listing rows one after the other, each from a snapshot that
includes the other's committed change (READ COMMITTED takes one per statement).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models



LISTED_ROWS = """
SELECT b.user_id,
       btrim(u.first_name || ' ' || u.last_name),
       b.institution, b.job_title, b.city, b.region,
       b.products, b.industries,
       ARRAY['r:' || upper(b.region), 'a:' || b.availability, 'c:' || b.accepting_new_clients::text]::varchar[]
           || ARRAY(SELECT 'p:' || p FROM unnest(b.products) AS p)::varchar[]
           || ARRAY(SELECT 'i:' || i FROM unnest(b.industries) AS i)::varchar[], b.min_loan_amount, b.max_loan_amount,
       numrange(b.min_loan_amount, b.max_loan_amount, '[]'),
       b.availability, b.accepting_new_clients, b.created_at,
       to_tsvector('english', btrim(u.first_name || ' ' || u.last_name) || ' ' || b.institution),
       to_tsvector('english', b.job_title || ' ' || b.city || ' ' || b.region),
       to_tsvector('english', b.bio)
FROM accounts_bankerprofile b
JOIN accounts_user u ON u.id = b.user_id
WHERE b.verification_status = 'verified' AND u.is_active
"""
COLUMNS = """banker_id, display_name, institution, job_title, city, region,
products, industries, tags, min_loan_amount, max_loan_amount, lends, availability,
accepting_new_clients, listed_since, text_name, text_title, text_bio"""
UPDATE_SET = ", ".join(
    f"{name} = EXCLUDED.{name}"
    for name in (column.strip() for column in COLUMNS.split(","))
    if name != "banker_id"
)

SYNC = f"""
CREATE FUNCTION directory_listing_sync(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO directory_listing ({COLUMNS})
    {LISTED_ROWS} AND b.user_id IN (SELECT unnest(ids))
    ON CONFLICT (banker_id) DO UPDATE SET {UPDATE_SET};
    DELETE FROM directory_listing l
    WHERE l.banker_id IN (SELECT unnest(ids))
      AND NOT EXISTS (
          SELECT 1 FROM accounts_bankerprofile b JOIN accounts_user u ON u.id = b.user_id
          WHERE b.user_id = l.banker_id AND b.verification_status = 'verified' AND u.is_active
      );
$$;

CREATE FUNCTION directory_profile_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM directory_listing_sync(ARRAY(SELECT user_id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM directory_listing_sync(
            ARRAY(SELECT user_id FROM new_rows UNION SELECT user_id FROM old_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM directory_listing_sync(ARRAY(SELECT user_id FROM old_rows));
    ELSE  -- TRUNCATE
        DELETE FROM directory_listing;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION directory_user_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Only what the listing holds: a sign-in (last_login) changes nothing here.
        ids := ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.first_name, n.last_name, n.is_active) IS DISTINCT FROM (o.first_name, o.last_name, o.is_active)
        );
    ELSE  -- DELETE
        ids := ARRAY(SELECT id FROM old_rows);
    END IF;
    IF cardinality(ids) > 0 THEN
        -- Serialize with writers of the same bankers' profiles (module docstring).
        PERFORM 1 FROM accounts_bankerprofile WHERE user_id IN (SELECT unnest(ids)) ORDER BY user_id FOR UPDATE;
        PERFORM directory_listing_sync(ids);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER directory_profile_insert AFTER INSERT ON accounts_bankerprofile
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_profile_changed();
CREATE TRIGGER directory_profile_update AFTER UPDATE ON accounts_bankerprofile
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_profile_changed();
CREATE TRIGGER directory_profile_delete AFTER DELETE ON accounts_bankerprofile
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_profile_changed();
CREATE TRIGGER directory_profile_truncate AFTER TRUNCATE ON accounts_bankerprofile
    FOR EACH STATEMENT EXECUTE FUNCTION directory_profile_changed();
CREATE TRIGGER directory_user_update AFTER UPDATE ON accounts_user
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION directory_user_changed();
CREATE TRIGGER directory_user_delete AFTER DELETE ON accounts_user
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_user_changed();

INSERT INTO directory_listing ({COLUMNS}) {LISTED_ROWS};
"""

UNSYNC = """
DROP TRIGGER directory_user_delete ON accounts_user;
DROP TRIGGER directory_user_update ON accounts_user;
DROP TRIGGER directory_profile_truncate ON accounts_bankerprofile;
DROP TRIGGER directory_profile_delete ON accounts_bankerprofile;
DROP TRIGGER directory_profile_update ON accounts_bankerprofile;
DROP TRIGGER directory_profile_insert ON accounts_bankerprofile;
DROP FUNCTION directory_user_changed();
DROP FUNCTION directory_profile_changed();
DROP FUNCTION directory_listing_sync(bigint[]);
"""

class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0004_auth_change_notices"),
    ]

    operations = [
        migrations.CreateModel(
            name='Listing',
            fields=[
                ('banker_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('display_name', models.CharField(max_length=301)),
                ('institution', models.CharField(max_length=200)),
                ('job_title', models.CharField(max_length=120)),
                ('city', models.CharField(max_length=100)),
                ('region', models.CharField(max_length=100)),
                ('products', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('term_loan', 'Term loan'), ('line_of_credit', 'Line of credit'), ('sba_loan', 'SBA loan'), ('equipment_financing', 'Equipment financing'), ('invoice_financing', 'Invoice financing'), ('commercial_real_estate', 'Commercial real estate')], max_length=32), size=None)),
                ('industries', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('agriculture', 'Agriculture'), ('construction', 'Construction'), ('manufacturing', 'Manufacturing'), ('retail', 'Retail'), ('wholesale', 'Wholesale'), ('transportation', 'Transportation'), ('technology', 'Technology'), ('professional_services', 'Professional services'), ('healthcare', 'Healthcare'), ('hospitality', 'Hospitality'), ('real_estate', 'Real estate'), ('other', 'Other')], max_length=32), size=None)),
                ('min_loan_amount', models.DecimalField(decimal_places=2, max_digits=14)),
                ('max_loan_amount', models.DecimalField(decimal_places=2, max_digits=14, null=True)),
                ('lends', django.contrib.postgres.fields.DecimalRangeField()),
                ('availability', models.CharField(choices=[('available', 'Available'), ('busy', 'Busy'), ('away', 'Away')], max_length=16)),
                ('accepting_new_clients', models.BooleanField()),
                ('tags', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=120), size=None)),
                ('listed_since', models.DateTimeField()),
                ('text_name', django.contrib.postgres.search.SearchVectorField()),
                ('text_title', django.contrib.postgres.search.SearchVectorField()),
                ('text_bio', django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(models.F('text_name'), models.F('tags'), name='listing_text_name'), django.contrib.postgres.indexes.GinIndex(models.Func(models.F('text_name'), models.F('text_title'), arg_joiner=' || ', template='(%(expressions)s)'), models.F('tags'), name='listing_text_title'), django.contrib.postgres.indexes.GinIndex(models.Func(models.F('text_name'), models.F('text_title'), models.F('text_bio'), arg_joiner=' || ', template='(%(expressions)s)'), models.F('tags'), name='listing_text_all'), django.contrib.postgres.indexes.GinIndex(fields=['tags'], name='listing_tags'), models.Index(fields=['listed_since', 'banker_id'], include=('tags', 'lends', 'text_name', 'text_title'), name='listing_newest'), models.Index(fields=['min_loan_amount', 'banker_id'], include=('tags', 'lends'), name='listing_min_amount')],
            },
        ),
        # The triggers and the backfill, after the table and its indexes exist.
        migrations.RunSQL(SYNC, UNSYNC),
    ]
