"""HTTP layers: one blueprint per audience (public, auth, admin, api)."""
