"""The listing table follows every kind of change to what it lists, in the
writing transaction, whoever writes: services, admin, ORM saves, bulk
`update()`, plain SQL. Only listed bankers (verified, active) have a row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import NumericRange

from accounts import services
from accounts.choices import Availability, VerificationStatus
from accounts.models import BankerProfile, User
from accounts.selectors import verified_bankers
from accounts.tests.factories import BankerFactory, StaffFactory
from directory.filters import SearchParams
from directory.models import Listing
from directory.selectors import banker_search_page

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    return [row["user_id"] for row in banker_search_page(params=SearchParams(q=q)).rows]


def listed_ids() -> set[int]:
    return set(Listing.objects.values_list("banker_id", flat=True))


def assert_in_step() -> None:
    """The table holds exactly the listed bankers, each as their profile says."""
    expected = {profile.user_id: profile for profile in verified_bankers().select_related("user").order_by()}
    assert listed_ids() == set(expected)
    for row in Listing.objects.all():
        profile = expected[row.banker_id]
        assert row.display_name == profile.user.get_full_name()
        assert (row.institution, row.job_title, row.city, row.region) == (
            profile.institution,
            profile.job_title,
            profile.city,
            profile.region,
        )
        assert (row.products, row.industries) == (profile.products, profile.industries)
        assert (row.min_loan_amount, row.max_loan_amount) == (
            profile.min_loan_amount,
            profile.max_loan_amount,
        )
        assert row.lends == NumericRange(profile.min_loan_amount, profile.max_loan_amount, "[]")
        assert (row.availability, row.accepting_new_clients) == (
            profile.availability,
            profile.accepting_new_clients,
        )
        assert row.listed_since == profile.created_at


def test_a_verified_bankers_row_holds_what_search_shows_and_filters() -> None:
    banker = BankerFactory(first_name="Ada", last_name="Quill", profile__region="ca")
    row = Listing.objects.get(banker_id=banker.pk)
    assert row.display_name == "Ada Quill"
    assert sorted(row.tags) == sorted(
        ["p:term_loan", "p:equipment_financing", "i:manufacturing", "r:CA", "a:available", "c:true"]
    )
    assert_in_step()


def test_a_pending_banker_has_no_row_until_verified() -> None:
    banker = BankerFactory(profile__verification_status=VerificationStatus.PENDING)
    assert listed_ids() == set()
    services.banker_set_verification(banker_id=banker.pk, status=VerificationStatus.VERIFIED)
    assert listed_ids() == {banker.pk}
    assert_in_step()


@pytest.mark.parametrize("status", [VerificationStatus.REJECTED, VerificationStatus.PENDING])
def test_verification_taken_away_removes_the_row(status: str) -> None:
    banker, other = BankerFactory(), BankerFactory()
    services.banker_set_verification(banker_id=banker.pk, status=status)
    assert listed_ids() == {other.pk}
    assert_in_step()


def test_a_profile_edit_through_the_service_rewrites_the_row() -> None:
    banker = BankerFactory(profile__bio="Dairy farms.")
    services.profile_update(
        user=banker,
        user_fields={"last_name": "Zebulon"},
        profile_fields={
            "bio": "Vineyard financing.",
            "max_loan_amount": None,
            "availability": Availability.BUSY,
        },
    )
    assert found("vineyard") == [banker.pk]
    assert found("dairy") == []
    assert found("zebulon") == [banker.pk]
    row = Listing.objects.get(banker_id=banker.pk)
    assert row.max_loan_amount is None
    assert row.lends == NumericRange(Decimal("50000.00"), None, "[]")
    assert "a:busy" in row.tags
    assert_in_step()


def test_a_plain_save_rewrites_the_row() -> None:
    banker = BankerFactory()
    profile = BankerProfile.objects.get(user=banker)
    profile.institution = "Quokka Savings"
    profile.save()
    assert found("quokka") == [banker.pk]
    assert_in_step()


def test_an_admin_rename_rewrites_the_row(client: Any) -> None:
    user = BankerFactory(first_name="Old", last_name="Name")
    client.force_login(StaffFactory())
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "first_name": "Old",
            "last_name": "Quixote",
            "role": "banker",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "banker_profile-TOTAL_FORMS": "1",
            "banker_profile-INITIAL_FORMS": "1",
            "banker_profile-MIN_NUM_FORMS": "0",
            "banker_profile-MAX_NUM_FORMS": "1",
            "banker_profile-0-user": str(user.pk),
            "banker_profile-0-institution": "First Harbor Bank",
            "banker_profile-0-products": "term_loan",
            "banker_profile-0-industries": "",
            "banker_profile-0-min_loan_amount": "50000",
            "banker_profile-0-availability": "available",
            "banker_profile-0-country": "US",
            "banker_profile-0-accepting_new_clients": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert found("quixote") == [user.pk]
    assert_in_step()


def test_deactivation_removes_the_row_and_reactivation_restores_it() -> None:
    banker, other = BankerFactory(), BankerFactory()
    services.user_deactivate(user_id=banker.pk)
    assert listed_ids() == {other.pk}
    User.objects.filter(pk=banker.pk).update(is_active=True)
    assert listed_ids() == {banker.pk, other.pk}
    assert_in_step()


def test_deleting_the_user_removes_the_row() -> None:
    banker, other = BankerFactory(), BankerFactory()
    User.objects.filter(pk=banker.pk).delete()
    assert listed_ids() == {other.pk}
    assert_in_step()


def test_a_bulk_update_rewrites_every_row_it_touched() -> None:
    bankers = [BankerFactory() for _ in range(3)]
    BankerProfile.objects.filter(user__in=bankers[:2]).update(city="Xanadu", accepting_new_clients=False)
    assert sorted(found("xanadu")) == sorted(b.pk for b in bankers[:2])
    assert all("c:false" in row.tags for row in Listing.objects.filter(city="Xanadu"))
    BankerProfile.objects.filter(user__in=bankers[1:]).update(verification_status=VerificationStatus.REJECTED)
    assert listed_ids() == {bankers[0].pk}
    assert_in_step()


def test_bulk_created_profiles_are_listed() -> None:
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{n}@example.com", role="banker", first_name="Bulk", last_name=f"N{n}")
            for n in range(3)
        ]
    )
    BankerProfile.objects.bulk_create(
        [
            BankerProfile(
                user=user,
                institution="Bulk Bank",
                min_loan_amount=Decimal(1000),
                verification_status=VerificationStatus.VERIFIED,
            )
            for user in users
        ]
    )
    assert listed_ids() == {user.pk for user in users}
    assert_in_step()


def test_plain_sql_is_followed_too() -> None:
    """No Django signal runs here: only the triggers."""
    banker, other = BankerFactory(), BankerFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_bankerprofile SET bio = 'Hydroponic greenhouses.' WHERE user_id = %s",
            [banker.pk],
        )
        cursor.execute("UPDATE accounts_user SET last_name = 'Wibberley' WHERE id = %s", [other.pk])
    assert found("hydroponic") == [banker.pk]
    assert found("wibberley") == [other.pk]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET is_active = false WHERE id = %s", [banker.pk])
        cursor.execute("DELETE FROM accounts_bankerprofile WHERE user_id = %s", [other.pk])
    assert listed_ids() == set()
    assert_in_step()


def test_a_sign_in_does_not_rewrite_the_row() -> None:
    banker = BankerFactory()

    def version() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text FROM directory_listing WHERE banker_id = %s", [banker.pk])
            return str(cursor.fetchone()[0])

    before = version()
    banker.save(update_fields=["last_login"])
    User.objects.filter(pk=banker.pk).update(email="moved@example.com")
    assert version() == before


def _rename_then_fail(banker_id: int) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_bankerprofile SET institution = 'Gone Bank' WHERE user_id = %s", [banker_id]
            )
        assert found("gone") == [banker_id]  # the same transaction sees its row
        raise RuntimeError


def test_the_change_and_the_row_roll_back_together() -> None:
    banker = BankerFactory()
    with pytest.raises(RuntimeError):
        _rename_then_fail(banker.pk)
    assert found("gone") == []
    assert_in_step()


def test_deleting_profiles_through_the_orm_removes_their_rows() -> None:
    bankers = [BankerFactory() for _ in range(3)]
    BankerProfile.objects.filter(user=bankers[0]).delete()
    assert listed_ids() == {bankers[1].pk, bankers[2].pk}
    BankerProfile.objects.filter(user__in=bankers[1:]).delete()
    assert listed_ids() == set()
    assert_in_step()


def test_a_bulk_rename_and_a_bulk_deletion_of_users() -> None:
    bankers = [BankerFactory() for _ in range(4)]
    User.objects.filter(pk__in=[b.pk for b in bankers[:3]]).update(last_name="Quenneville")
    assert sorted(found("quenneville")) == sorted(b.pk for b in bankers[:3])
    User.objects.filter(pk__in=[b.pk for b in bankers[1:]]).delete()
    assert listed_ids() == {bankers[0].pk}
    assert_in_step()


def test_a_bulk_deactivation_and_reactivation() -> None:
    bankers = [BankerFactory() for _ in range(3)]
    User.objects.filter(pk__in=[b.pk for b in bankers]).update(is_active=False)
    assert listed_ids() == set()
    User.objects.filter(pk__in=[b.pk for b in bankers[:2]]).update(is_active=True)
    assert listed_ids() == {bankers[0].pk, bankers[1].pk}
    assert_in_step()


def test_a_profile_inserted_with_plain_sql_is_listed() -> None:
    """A verified profile written without the ORM (an import, a fix by hand)."""
    user = User.objects.create(email="raw@example.com", role="banker", first_name="Raw", last_name="Ingest")
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO accounts_bankerprofile (user_id, display_name, institution, job_title, bio, city,
                   region, country, products, industries, min_loan_amount, max_loan_amount, availability,
                   accepting_new_clients, verification_status, created_at, updated_at)
               VALUES (%s, 'Raw Ingest', 'Sluice Bank', '', 'Levee repairs.', '', 'OR', 'US',
                   '{term_loan}', '{}', 5000, NULL, 'available', true, 'verified', now(), now())""",
            [user.pk],
        )
    assert found("sluice") == [user.pk]
    assert found("levee") == [user.pk]
    assert_in_step()


def test_truncating_the_profiles_empties_the_table() -> None:
    BankerFactory(), BankerFactory()
    with connection.cursor() as cursor:
        # The factories' deferred foreign-key checks must run first: TRUNCATE refuses pending ones.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE accounts_bankerprofile")
    assert listed_ids() == set()
    assert_in_step()
