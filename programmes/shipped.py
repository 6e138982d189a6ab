"""The shipped exercise library and the trial's default template (Yakasai et al. 2021).

Plain data, loaded by data migrations with ``clinic = NULL``: available to every clinic,
read-only in the UI. Clinics copy the template to change it. 0002 loaded the library (it imports
EXERCISES) and the first template (frozen in 0002); 0008 set the template's current numbers,
which are kept here too. A later change to these rows needs a new data migration with its own
copy of the numbers, and the test that the shipped rows match this module.
"""

from decimal import Decimal

DEFAULT_TEMPLATE_NAME = "Lower-limb PRE, 12 weeks"

EXERCISES = [
    {
        "name": "Standing hip extension",
        "muscle_group": "gluteals",
        "equipment": "ankle_weight",
        "laterality": "each_leg",
        "load_step_kg": Decimal("0.5"),
        "instructions": (
            "Stand facing a wall or the back of a chair and hold it with both hands. "
            "With the ankle weight on, keep your knee straight and move the leg backwards "
            "slowly, squeezing your buttock, then bring it back. Do not lean forward. "
            "Do all repetitions with one leg, then the other."
        ),
        "safety_cues": (
            "Keep holding the support the whole time. Stop if you feel dizzy or unsteady, "
            "or if the strap rubs your skin."
        ),
    },
    {
        "name": "Hamstring curl",
        "muscle_group": "hamstrings",
        "equipment": "hamstring_curl_machine",
        "laterality": "bilateral",
        "load_step_kg": Decimal("2.5"),
        "instructions": (
            "Sit or lie on the machine with the pad behind your ankles. Bend your knees "
            "slowly as far as is comfortable, pause, then straighten them slowly."
        ),
        "safety_cues": (
            "Check that the pad does not press on a sore or wound on your ankles. "
            "Stop if you feel cramp or sharp pain behind the knee."
        ),
    },
    {
        "name": "Knee extension on a quadriceps bench",
        "muscle_group": "quadriceps",
        "equipment": "quadriceps_bench",
        "laterality": "each_leg",
        "load_step_kg": Decimal("1.0"),
        "instructions": (
            "Sit on the bench with your back supported and the weight at your ankle. "
            "Straighten your knee slowly, hold for a second, then lower it slowly."
        ),
        "safety_cues": "Do not lock your knee hard. Stop if your knee hurts sharply.",
    },
    {
        "name": "Ankle dorsiflexion against resistance",
        "muscle_group": "anterior_tibialis",
        "equipment": "ankle_weight",
        "laterality": "each_leg",
        "load_step_kg": Decimal("0.5"),
        "instructions": (
            "Sit with your leg supported and the weight over the top of your foot. "
            "Pull your toes and foot up towards you slowly, then let them down slowly."
        ),
        "safety_cues": (
            "Look at your foot before and after: tell the physiotherapist about any red "
            "mark, blister or wound, even if it does not hurt."
        ),
    },
    {
        "name": "Standing calf raise",
        "muscle_group": "calves",
        "equipment": "dumbbell",
        "laterality": "bilateral",
        "load_step_kg": Decimal("1.0"),
        "instructions": (
            "Stand holding a support with one hand and the dumbbell in the other. "
            "Rise slowly onto your toes, hold for a second, then lower your heels slowly."
        ),
        "safety_cues": (
            "Wear shoes. Keep holding the support. Stop if you feel dizzy or if your feet "
            "feel numb or painful in a new way."
        ),
    },
    {
        "name": "Leg press",
        "muscle_group": "quadriceps",
        "equipment": "leg_press",
        "laterality": "bilateral",
        "load_step_kg": Decimal("2.5"),
        "instructions": (
            "Sit with your back against the seat and both feet flat on the plate. Push the "
            "plate away slowly until your legs are almost straight, then bend them slowly."
        ),
        "safety_cues": "Do not lock your knees. Keep your lower back against the seat.",
    },
]

# From the trial: three supervised sessions of about 40 minutes a week for 12 weeks, the muscle
# groups, progressive loading, moderate intensity. Not from the trial (its summaries do not report
# the dose): the numbers below, the clinic's default within DOMAIN.md section 4: moderate
# (50-69 % of 1RM, ACSM), starting at 50 %, +5 % of 1RM every 3 weeks to a 65 % ceiling, 3 x 10
# rising to 15 where the equipment is too coarse (double progression), 2 repetitions in reserve.
TEMPLATE = {
    "name": DEFAULT_TEMPLATE_NAME,
    "weeks": 12,
    "sessions_per_week": 3,
    "description": (
        "From the trial (Yakasai et al. 2021): supervised progressive resistance exercise, three "
        "sessions of about 40 minutes a week for 12 weeks, strengthening the gluteals, "
        "hamstrings, quadriceps, anterior tibialis and calves, with the load raised over time, "
        "at moderate intensity. The numbers are a default for the clinic to review, not the "
        "trial's published dose (its summaries do not report it): 3 x 10 from 50 % of the "
        "estimated 1RM, +5 % every 3 weeks to at most 65 % (moderate: 50-69 %), always leaving "
        "at least 2 repetitions in reserve; where the equipment's step would raise the load by "
        "more than 10 %, the repetitions rise first (up to 15), then the load by one step."
    ),
}
TEMPLATE_EXERCISES = [
    "Standing hip extension",
    "Hamstring curl",
    "Knee extension on a quadriceps bench",
    "Ankle dorsiflexion against resistance",
    "Standing calf raise",
]
TEMPLATE_PRESCRIPTION = {
    "sets": 3,
    "target_reps": 10,
    "max_reps": 15,
    "start_pct": Decimal(50),
    "ceiling_pct": Decimal(65),
    "increase_pct": Decimal(5),
    "every_n_weeks": 3,
    "performance_increase_pct": Decimal(5),
    "deload_weeks": "",
    "deload_pct": Decimal(80),
}
