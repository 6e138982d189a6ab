"""Reading and writing many rows at once, for the import: look-ups a chunk of values at a time,
and new rows inserted with their history."""

from django.db import connection
from django.utils import timezone

BATCH = 500  # rows per INSERT
CHUNK = 2000  # values per IN (...): SQLite allows a limited number of parameters per query


def in_chunks(queryset, field: str, values):
    """The queryset's rows whose `field` is one of `values`, a chunk of values per query."""
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield from queryset.filter(**{f"{field}__in": values[start : start + CHUNK]})


def create_with_history(model, objs: list, *, by) -> list:
    """Insert `objs` and a "created" history row for each, recording `by` and now: what
    django-simple-history's bulk_create_with_history writes. The history rows are copied by
    the database from the rows just inserted (INSERT ... SELECT), where simple_history would
    build each one again in Python, half an import's time."""
    if not objs:
        return objs
    model.objects.bulk_create(objs, batch_size=BATCH)  # sets each pk (PostgreSQL, SQLite)
    history = model.history.model
    quote = connection.ops.quote_name
    copied = ", ".join(
        quote(f.column) for f in history._meta.concrete_fields if not f.name.startswith("history_")
    )
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    pks = [obj.pk for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({copied}, history_date, "  # noqa: S608 (names from the models)
                "history_change_reason, history_type, history_user_id) "
                f"SELECT {copied}, %s, NULL, '+', %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [stamp, by.pk if by is not None else None, *chunk],
            )
    return objs
