"""The consentgen version (kept here, read by the build; importlib.metadata costs a cold start)."""

__version__ = "0.1.0"
