"""A record's history as people read it: who changed what, when, from what to what.

One function for every model kept by django-simple-history (patients, visits, ...), so each
page shows changes the same way.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model


def _display(field, value, users_by_id) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(users_by_id.get(value, f"#{value}"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def change_history(
    instance,
    *,
    user_fields: Iterable[str] = (),
    label: Callable[[str], str] | None = None,
    ignored: Iterable[str] = (),
    derived_fields: Iterable[str] = (),
) -> list[dict]:
    """Each saved version of `instance`, newest first, with its changes field by field.

    user_fields: foreign keys to users, shown by name (fetched in one query).
    derived_fields: non-editable fields (which diff_against skips) whose changes matter too.
    """
    model = type(instance)
    label = label or (lambda name: str(model._meta.get_field(name).verbose_name))
    records = list(instance.history.select_related("history_user").order_by("history_date"))
    user_ids = {getattr(r, f"{f}_id") for r in records for f in user_fields} - {None}
    users_by_id = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=set(ignored))
            pairs = [(c.field, c.old, c.new) for c in delta.changes]
            pairs += [
                (name, getattr(previous, name), getattr(record, name))
                for name in derived_fields
                if getattr(previous, name) != getattr(record, name)
            ]
            for name, old, new in pairs:
                field = model._meta.get_field(name)
                changes.append(
                    {
                        "field": label(name),
                        "old": _display(field, old, users_by_id),
                        "new": _display(field, new, users_by_id),
                    }
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "changes": changes,
            }
        )
        previous = record
    return list(reversed(entries))
