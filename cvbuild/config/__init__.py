"""The config stage: cv.yaml → the validated CV model."""
