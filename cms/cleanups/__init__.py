"""Cleanup of normative and policy documents (规范性文件清理): a cleanup list is an item of type ``cleanup``
reviewed like any item; its decisions change the listed documents' validity when it is published."""
