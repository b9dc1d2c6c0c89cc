"""Disclosure on application (依申请公开): statutory working-day calendar (first part of the desk)."""
