"""The command line, one module per command (``render``, ``new``, ``batch``, ``check``, ``info``), their shared
parts in ``common`` and the parser and error handling in ``main``."""

from consentgen.frontends.cli.main import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
