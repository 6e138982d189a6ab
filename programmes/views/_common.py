"""What the modules of this package share."""

from ..forms import SuggestionAcceptForm


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
