"""The statutory calendar: working days (``working_days``), admin-entered days (``models``), and the State
Council's holiday notice (``notice``)."""
