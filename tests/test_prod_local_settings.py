"""The production layout's DATABASE_URL reads back as the server it was made
from, also for the embedded server's socket directory (make test without
DATABASE_URL), which django-environ does not decode as a host name."""

from __future__ import annotations

from typing import Any

import environ
import pytest

from tools.prod_local import database_url_for

FIELDS = ("HOST", "PORT", "NAME", "USER", "PASSWORD")


@pytest.mark.parametrize(
    "db",
    [
        {
            "HOST": "/srv/b2bbank/.data/postgres",
            "PORT": "",
            "NAME": "test_b2bbank",
            "USER": "postgres",
            "PASSWORD": "",
        },
        {"HOST": "/run/pg", "PORT": 5433, "NAME": "n", "USER": "u", "PASSWORD": "p@ss/word"},
        {"HOST": "127.0.0.1", "PORT": 5432, "NAME": "b2bbank", "USER": "postgres", "PASSWORD": ""},
    ],
)
def test_the_url_reads_back_as_the_same_server(db: dict[str, Any]) -> None:
    read = environ.Env.db_url_config(database_url_for(db))
    assert {k: read[k] for k in FIELDS} == db
