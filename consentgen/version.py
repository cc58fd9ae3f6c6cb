"""The consentgen version (kept here, read by the build; importlib.metadata costs a cold start)."""

__version__ = "0.2.0"
