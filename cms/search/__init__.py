"""Chinese full-text search over published items: one analyzer, two backends (Whoosh, PostgreSQL)."""
