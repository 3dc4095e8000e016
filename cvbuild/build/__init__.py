"""The build: plan → jobs → executor → freshness; export is a plan run through the same jobs."""
