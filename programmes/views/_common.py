"""What the modules of this package share."""

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date

from ..forms import SuggestionAcceptForm


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _date_param(request):
    try:
        return parse_date(request.GET.get("date", ""))
    except ValueError:
        return None


def _accept_forms(context, bound=None):
    """Each pending suggestion with its accept form: prefilled with the proposal, or the one
    just refused (with its errors at the fields)."""
    for suggestion in context.get("suggestions") or []:
        if bound is not None and suggestion.pk == bound[0].pk:
            suggestion.accept_form = bound[1]
        else:
            version = context["programme"].version
            suggestion.accept_form = SuggestionAcceptForm.for_suggestion(suggestion, version)
    return context
