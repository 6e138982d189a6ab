"""What the programmes app adds to the clinician's home page and to the patient's page."""


def home_context(user) -> dict:
    return {}


def patient_context(patient) -> dict:
    return {}
