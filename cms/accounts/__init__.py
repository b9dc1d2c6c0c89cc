"""Organizations, sections, users, memberships, roles and the audit log."""
