"""NOTIFY `accounts_auth_changed` with the ids of the users whose account or API
tokens a statement changed, so each process's token cache (authentication.token_cache)
forgets them as the change commits, whoever wrote it. Statement-level triggers
with transition tables: one notice per statement, however many rows."""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION accounts_notify_auth_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    user_ids text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        user_ids := '*';
    ELSE
        -- TG_ARGV[0]: the column holding the user id in this table.
        EXECUTE format('SELECT string_agg(DISTINCT %I::text, '','') FROM changed_rows', TG_ARGV[0])
            INTO user_ids;
        IF user_ids IS NULL THEN
            RETURN NULL;
        END IF;
        IF length(user_ids) > 7000 THEN  -- a notice carries at most 8000 bytes
            user_ids := '*';
        END IF;
    END IF;
    PERFORM pg_notify('accounts_auth_changed', user_ids);
    RETURN NULL;
END
$$;
"""

# Each table, and the column holding the user id in it.
USER_COLUMN = {"accounts_user": "id", "accounts_apitoken": "user_id"}
EVENTS = ("UPDATE", "DELETE")


def create_sql() -> str:
    statements = [FUNCTION]
    for table, column in USER_COLUMN.items():
        statements += [
            f"CREATE TRIGGER {table}_auth_{event.lower()} AFTER {event} ON {table} "
            f"REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION accounts_notify_auth_changed('{column}');"
            for event in EVENTS
        ]
        statements.append(
            f"CREATE TRIGGER {table}_auth_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION accounts_notify_auth_changed('');"
        )
    return "\n".join(statements)


def drop_sql() -> str:
    statements = [
        f"DROP TRIGGER {table}_auth_{event} ON {table};"
        for table in USER_COLUMN
        for event in ("update", "delete", "truncate")
    ]
    statements.append("DROP FUNCTION accounts_notify_auth_changed();")
    return "\n".join(statements)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_search_indexes")]

    operations = [migrations.RunSQL(create_sql(), drop_sql())]
