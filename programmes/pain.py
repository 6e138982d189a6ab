"""Pain thresholds on the 0-10 numeric rating scale, pure Python (no Django). Defined here once:
the programme's attention flags and the assessments' pain measure both read them."""

PAIN_SEVERE_FROM = 7  # DOMAIN.md 4: pain 7 or more is severe, and flagged ...
# ... and so is a rise of 2 points or more: the usual clinically important change on the NRS.
PAIN_MEANINGFUL_CHANGE = 2
