"""Run the CLI with ``python -m consentgen``."""

from consentgen.frontends.cli import run

run()
