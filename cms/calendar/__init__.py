"""The statutory calendar: working days (``working_days``) and admin-entered days (``models``)."""
