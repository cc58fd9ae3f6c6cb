"""Run the CLI with ``python -m consentgen``."""

from consentgen.cli import run

run()
