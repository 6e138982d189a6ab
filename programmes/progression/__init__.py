"""Load progression for the 12-week progressive resistance exercise programme.

Pure Python (no Django) so the clinical arithmetic can be tested on its own. Loads are ``Decimal``
kilograms quantised to 0.01 kg: binary floats would make "is this a multiple of the 2.5 kg plate?"
unreliable. The functions only suggest; the clinician decides. Import the module by subject:

- ``strength``: the 1RM estimate, repetitions in reserve, rounding to the equipment's step;
- ``plans``: the weekly plan and the clinician's changes to it;
- ``proposals``: the 2-for-2 rule and what it proposes;
- ``schedule``: programme weeks, dates and pauses.
"""
