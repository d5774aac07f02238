"""b2bbank.compiled_query: a queryset compiled once, run with fresh ids, must
answer exactly what the ORM answers for the same ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from b2bbank.compiled_query import AnyOf, CompiledQuery, Slot

pytestmark = pytest.mark.django_db


def users(ids: Slot) -> Any:
    return User.objects.filter(AnyOf("pk", ids)).order_by("pk").values_list("pk", "email", "is_active")


def test_rows_match_the_orm_for_every_set_of_ids(owner_a: Any, banker_x: Any, banker_y: Any) -> None:
    query = CompiledQuery(users)
    everyone = [owner_a.pk, banker_x.pk, banker_y.pk]
    for ids in ([], [banker_y.pk], everyone, [*everyone, 2**40], [banker_x.pk, banker_x.pk]):
        expected = list(
            User.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "email", "is_active")
        )
        assert query.rows(ids) == expected, ids


def test_the_queryset_is_built_and_compiled_once(owner_a: Any, banker_x: Any) -> None:
    built: list[Slot] = []

    def build(ids: Slot) -> Any:
        built.append(ids)
        return users(ids)

    query = CompiledQuery(build)
    assert query.rows([owner_a.pk]) == [(owner_a.pk, owner_a.email, True)]
    assert query.rows([banker_x.pk]) == [(banker_x.pk, banker_x.email, True)]
    assert len(built) == 1


def test_values_other_than_the_slot_stay_as_compiled(owner_a: Any, banker_x: Any) -> None:
    User.objects.filter(pk=banker_x.pk).update(is_active=False)
    query = CompiledQuery(
        lambda ids: User.objects.filter(Q(AnyOf("pk", ids)), is_active=True).values_list("pk")
    )
    assert query.rows([owner_a.pk, banker_x.pk]) == [(owner_a.pk,)]
    assert query.rows([banker_x.pk]) == []


def test_a_locking_query_compiles_inside_the_transaction(owner_a: Any) -> None:
    query = CompiledQuery(
        lambda ids: User.objects.filter(AnyOf("pk", ids)).select_for_update().values_list("pk")
    )
    with transaction.atomic():
        assert query.rows([owner_a.pk]) == [(owner_a.pk,)]
    assert "FOR UPDATE" in query.compiled()[0]


@pytest.mark.parametrize("uses", [0, 2])
def test_a_query_must_use_its_slot_exactly_once(uses: int) -> None:
    def build(ids: Slot) -> Any:
        condition = Q()
        for _ in range(uses):
            condition &= Q(AnyOf("pk", ids))
        return User.objects.filter(condition).values_list("pk")

    with pytest.raises(ValueError, match=f"exactly once, not {uses} times"):
        CompiledQuery(build).rows([1])
