"""Formatting stage: model + selection → format-neutral Document (all publication logic lives here)."""
