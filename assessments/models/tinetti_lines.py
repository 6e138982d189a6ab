"""The Tinetti POMA as columns: one per line, named by its item code and generated from
tinetti.ITEMS (the one source of items and scores), and the rules the database keeps on them."""

import operator
from functools import reduce

from django.db import models
from django.db.models import F, Q

from .. import tinetti

DERIVED_FIELDS = ["tinetti_balance", "tinetti_gait", "tinetti_total"]
TINETTI_COLUMNS = [*tinetti.CODES, *DERIVED_FIELDS]


def _line_field(item: tinetti.Item) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        item.task,
        choices=[(value, item.label(value)) for value, _ in item.choices],
        null=True,
        blank=True,
    )


def _sum_of(items) -> F:
    return reduce(operator.add, (F(item.code) for item in items))


# One column per Tinetti line, named by its item code, generated from tinetti.ITEMS.
TinettiLines = type(
    "TinettiLines",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **{item.code: _line_field(item) for item in tinetti.ITEMS},
    },
)


def tinetti_constraints() -> list[models.CheckConstraint]:
    return [
        # The Tinetti test is optional at a visit, but then all 20 lines or none.
        models.CheckConstraint(
            name="visit_tinetti_all_lines_or_none",
            condition=Q(**{f"{c}__isnull": True for c in TINETTI_COLUMNS})
            | Q(**{f"{c}__isnull": False for c in TINETTI_COLUMNS}),
            violation_error_message="Score all 20 Tinetti lines, or none.",
        ),
        models.CheckConstraint(
            name="visit_tinetti_subtotals_add_up",
            condition=Q(tinetti_balance__isnull=True)
            | Q(
                tinetti_balance=_sum_of(tinetti.BALANCE_ITEMS),
                tinetti_gait=_sum_of(tinetti.GAIT_ITEMS),
                tinetti_total=F("tinetti_balance") + F("tinetti_gait"),
            ),
            violation_error_message="The Tinetti subtotals must add up from the lines.",
        ),
        *[
            models.CheckConstraint(
                name=f"visit_{item.code}_in_range",
                condition=Q(**{f"{item.code}__isnull": True})
                | Q(**{f"{item.code}__in": sorted(item.allowed)}),
            )
            for item in tinetti.ITEMS
        ],
    ]
