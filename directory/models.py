"""The directory's own table: one narrow row per listed banker.

`Listing` holds exactly what a search filters, sorts and shows, and nothing else
(no bio text, no contact details): a search reads only it. PostgreSQL keeps it in
step with the accounts tables by triggers (migration 0001),
in the same transaction as the change, whatever made it: services, Django admin,
a bulk `update()`, or plain SQL. A banker has a row exactly while they are listed:
verified, with an active account. Nothing in Python writes this table.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField, DecimalRangeField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func

from accounts.choices import Availability, Industry, Product
from accounts.money import money_field

# Text search configuration of every vector and query in the directory.
SEARCH_CONFIG = "english"

# The three text fields, from the most telling to the least. A search ranks a
# banker by the narrowest field group that holds every word of the query
# (`selectors`, "Relevance"): name and institution, then with title and place,
# then with the bio.
TEXT_NAME = ("text_name",)
TEXT_TITLE = ("text_name", "text_title")
TEXT_ALL = ("text_name", "text_title", "text_bio")


def text_group(fields: tuple[str, ...]) -> Func | F:
    """`text_name || text_title || ...`: the vector of a field group, as the
    expression indexes below and the search queries both write it."""
    if len(fields) == 1:
        return F(fields[0])
    return Func(
        *(F(name) for name in fields),
        # In the order a migration writes them, so the model and its migration compare equal.
        arg_joiner=" || ",
        template="(%(expressions)s)",
    )


class Listing(models.Model):
    """A listed banker as the directory searches and shows them. Written only by
    the database triggers of migration 0001; read by `directory.selectors`."""

    banker_id = models.BigIntegerField(primary_key=True)  # the banker's user id
    display_name = models.CharField(max_length=301)
    institution = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100)
    products = ArrayField(models.CharField(max_length=32, choices=Product.choices))
    industries = ArrayField(models.CharField(max_length=32, choices=Industry.choices))
    min_loan_amount = money_field()
    max_loan_amount = money_field(null=True)
    # [min, max] (max open when unset): the amount filter is one containment test,
    # with no index, so the planner checks it on the rows an index found instead
    # of intersecting half the table's entries from a B-tree on the minimum.
    lends = DecimalRangeField()
    availability = models.CharField(max_length=16, choices=Availability.choices)
    accepting_new_clients = models.BooleanField()
    # Every equality filter as one tag, so one GIN index intersects any combination:
    # "p:<product>", "i:<industry>", "r:<REGION>" (upper case: the filter ignores
    # case), "a:<availability>", "c:true|false" (accepting new clients).
    tags = ArrayField(models.CharField(max_length=120))
    # The profile's creation time: "newest first" and relevance's tie-break.
    listed_since = models.DateTimeField()
    # One vector per field group, so each relevance tier has its own index.
    text_name = SearchVectorField()  # name, institution
    text_title = SearchVectorField()  # job title, city, region
    text_bio = SearchVectorField()

    class Meta:
        # Each chosen from EXPLAIN (ANALYZE, BUFFERS) of the benchmark's queries
        # (docs/performance.md, "Directory search"; plans in docs/plans/).
        indexes = [
            # One GIN index per relevance tier's field group, with the tags as a
            # second column: one index scan intersects the text and the filters.
            GinIndex(F("text_name"), F("tags"), name="listing_text_name"),
            GinIndex(text_group(TEXT_TITLE), F("tags"), name="listing_text_title"),
            GinIndex(text_group(TEXT_ALL), F("tags"), name="listing_text_all"),
            GinIndex(fields=["tags"], name="listing_tags"),
            # The orderings, covering the filters: a search without text walks
            # one of these and checks each entry without reading the table.
            # Newest first also orders each relevance tier: with the short text
            # vectors (bounded: name, institution, title, city, region) a walk for
            # the two best tiers reads no table row either. Not the bio's vector:
            # a 4,000-character bio could pass an index row's size limit.
            models.Index(
                fields=["listed_since", "banker_id"],
                include=["tags", "lends", "text_name", "text_title"],
                name="listing_newest",
            ),
            models.Index(
                fields=["min_loan_amount", "banker_id"], include=["tags", "lends"], name="listing_min_amount"
            ),
            # The maximums' distinct values, for the amount classes' boundaries
            # (directory.amount_classes), one index probe per value.
            models.Index(
                fields=["max_loan_amount"],
                condition=models.Q(max_loan_amount__isnull=False),
                name="listing_max_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.institution})"
