"""The shipped exercise library and the trial's default template (Yakasai et al. 2021).

Plain data, loaded by a data migration (0002) with ``clinic = NULL``: available to every clinic,
read-only in the UI. Clinics copy the template to change it. The migration imports this module,
so a later change to these rows needs a new data migration, not an edit here.
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

# The trial: three supervised sessions a week for 12 weeks; 3 x 10 at 50 % of 1RM,
# +5 % of 1RM every 2 weeks up to 80 %, and the 2-for-2 suggestion at +5 % (DOMAIN.md section 4).
TEMPLATE = {
    "name": DEFAULT_TEMPLATE_NAME,
    "weeks": 12,
    "sessions_per_week": 3,
    "description": (
        "The trial's supervised progressive resistance programme for lower-limb strength "
        "(gluteals, hamstrings, quadriceps, anterior tibialis, calves): three sessions of about "
        "40 minutes a week for 12 weeks, starting at 50 % of the estimated 1RM and rising by "
        "5 % every two weeks to at most 80 %."
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
    "start_pct": Decimal(50),
    "ceiling_pct": Decimal(80),
    "increase_pct": Decimal(5),
    "every_n_weeks": 2,
    "performance_increase_pct": Decimal(5),
    "deload_weeks": "",
    "deload_pct": Decimal(80),
}
