"""Workflow definitions as data, named guards and conditions, and the engine that fires transitions."""
