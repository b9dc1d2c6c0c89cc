"""The working-day calendar: years entered by administrators and the State Council's holiday notice."""
