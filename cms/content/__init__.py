"""Items, revisions, attachments, columns and the one-place rule."""
