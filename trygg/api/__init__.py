"""REST API v1 with Django REST Framework and its OpenAPI document (issue 13)."""
