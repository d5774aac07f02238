"""The database refuses to change or delete application events, whatever path
(ORM, raw SQL, a console session) tries; the model's guards only cover the ORM."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION loans_application_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'application events are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER loans_application_event_append_only
    BEFORE UPDATE OR DELETE ON loans_applicationevent
    FOR EACH ROW EXECUTE FUNCTION loans_application_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS loans_application_event_append_only ON loans_applicationevent;
DROP FUNCTION IF EXISTS loans_application_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
