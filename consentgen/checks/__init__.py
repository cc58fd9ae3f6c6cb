"""Checks a clinician runs on what they made, above the renderer: reading level and template overrides."""
