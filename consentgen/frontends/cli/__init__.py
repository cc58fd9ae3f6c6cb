"""The command line, one module per command (``render``, ``new``, ``batch``, ``check``, ``info``,
``doctor``), their shared parts in ``common`` and the parser and error handling in ``entry``."""

from consentgen.frontends.cli.entry import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
