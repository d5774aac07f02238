"""A queryset compiled to SQL once per process, then run with a fresh value.

For the few statements on a hot path whose ORM build and compile cost more
than PostgreSQL takes to answer them. The chat send path's lock took 1.6 ms of
Python to build and compile and 0.3 ms to run; it runs once per batch, with the
server's event loop waiting on the same interpreter lock (docs/performance.md,
Chat, session 10).

The query is still written with the ORM, so the apps whose tables it reads keep
owning how they are read (e.g. `accounts.selectors.verified_bankers`). Its one
varying value is a `Slot`, an array of bigint ids: one parameter for
`= ANY(%s)`, so the SQL text is the same however many ids a run has.

    THINGS = CompiledQuery(lambda ids: Thing.objects.filter(AnyOf("pk", ids)).values_list("pk", "name"))
    rows = THINGS.rows([3, 1, 2])

The rows come straight from the database cursor: no model instances and none of
the ORM's converters. Use it for `values_list` of ints, text, booleans, and
timestamps, which the driver already returns as Python values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Expression, F, Func, QuerySet


class Slot(Expression):
    """The one parameter a CompiledQuery fills in on each run: an array of bigint ids."""

    def __init__(self) -> None:
        super().__init__(output_field=ArrayField(BigIntegerField()))
        # The ORM copies expressions as it resolves them; the copies share this.
        self.marker = object()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [self.marker]


class AnyOf(Func):
    """The condition `field = ANY(ids)`: one parameter however many ids it
    holds (`field__in` makes one per id, so its SQL changes with their number)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()

    def __init__(self, field: str, ids: Slot) -> None:
        super().__init__(F(field), ids)


class CompiledQuery:
    """`build(ids)` returns the queryset, `ids` being its id-array Slot; it is
    compiled on first use (inside the caller's transaction, which
    `select_for_update` requires) and reused by every later run."""

    def __init__(self, build: Callable[[Slot], QuerySet[Any, Any]], using: str = "default") -> None:
        self._build = build
        self._using = using
        self._compiled: tuple[str, list[Any], int] | None = None
        self._lock = threading.Lock()

    def compiled(self) -> tuple[str, list[Any], int]:
        """(sql, params, index of the slot in params)."""
        if self._compiled is None:
            with self._lock:
                if self._compiled is None:
                    self._compiled = self._compile()
        return self._compiled

    def _compile(self) -> tuple[str, list[Any], int]:
        slot = Slot()
        sql, params = self._build(slot).query.get_compiler(using=self._using).as_sql()
        slots = [i for i, param in enumerate(params) if param is slot.marker]
        if len(slots) != 1:
            raise ValueError(f"the query must use its slot exactly once, not {len(slots)} times")
        return sql, list(params), slots[0]

    def rows(self, value: Any) -> list[tuple[Any, ...]]:
        sql, params, slot = self.compiled()
        params = [*params[:slot], value, *params[slot + 1 :]]
        with connections[self._using].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
