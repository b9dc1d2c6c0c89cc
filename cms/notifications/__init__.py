"""In-app notifications (and optional e-mail) for workflow events."""
