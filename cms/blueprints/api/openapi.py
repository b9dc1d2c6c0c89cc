"""The OpenAPI 3.1 document of API v1, kept next to the routes it describes."""

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object"},
            },
        }
    },
}

PATHS = {}
SCHEMAS = {"Error": ERROR}


def build_openapi():
    """Return the OpenAPI document as a dict."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "政务公开 CMS API", "version": "1.0.0"},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": PATHS,
    }
