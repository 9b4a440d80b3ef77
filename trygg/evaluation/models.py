"""Models of trygg.evaluation, one module per family (imported here so Django finds them)."""

from trygg.evaluation.review_models import CameraReview, ReviewOutcome  # noqa: F401
