"""The template sandbox's limits: bounded sizes, no file outside the folder, a time budget.

Jinja's sandbox already blocks Python internals and caps ``range``. This adds what a clinic's
override could otherwise do by mistake or on purpose: build a gigabyte string (``"x" * 10**9``,
a huge format width, ``center(10**9)``), compute an enormous power, loop for hours, pull in a
file through a link that leaves the folder, or include a file that is not UTF-8 text.
"""

from __future__ import annotations

import contextlib
import operator
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_TEXT = 2_000_000  # characters in any one string or list a template builds
MAX_ITEMS = 100_000  # items of a list or mapping a template prints or serialises
MAX_TEMPLATE = 1_000_000  # bytes of one override template file
MAX_EXPONENT = 256
TIME_BUDGET = 20.0  # seconds for one render of the HTML
# A width or precision of 100000 or more in a str.format field ({:>1000000}) or a printf spec (%1000000s).
_WIDTH = re.compile(r"\{[^{}]*:[^{}]*\d{6,}[^{}]*\}|%(?:\([^)]*\))?[-+ #0]*(?:\d{6,}|\d*\.\d{6,})")
_SIZED_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


class BudgetExceeded(Exception):
    """A render ran past its time budget."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def estimate(value: Any, depth: int = 0) -> int:
    """About how many characters ``value`` becomes when printed or serialised, without building it."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return MAX_TEXT + 1
        return sum(estimate(k, depth + 1) + estimate(v, depth + 1) + 4 for k, v in value.items()) if depth < 4 else 0
    if isinstance(value, (list, tuple, set, frozenset)):
        if len(value) > MAX_ITEMS:
            return MAX_TEXT + 1
        return sum(estimate(v, depth + 1) + 2 for v in value) if depth < 4 else 0
    return 0


def check_printed(value: Any) -> Any:
    """The environment's ``finalize``: a value printed with ``{{ }}`` that would be too long is refused
    before it is turned into text (``{{ list }}`` of 1000 long strings)."""
    if estimate(value) > MAX_TEXT:
        raise SecurityError("the template prints a value that is too long")
    return value


def _check_format(text: Any) -> None:
    if isinstance(text, str) and _WIDTH.search(text):
        raise SecurityError("a format width or precision this large is not allowed")


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` (which the sandbox does not intercept) so its result is size-checked."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 - Jinja names its visitors so
        self.write("environment.bounded_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedEnvironment(SandboxedEnvironment):
    """A sandboxed environment whose templates cannot build huge values."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedCodeGenerator

    def bounded_concat(self, joined: Any) -> Any:
        """The result of ``~``, refused when too long (each step of a doubling loop is checked)."""
        if _size(joined) > MAX_TEXT:
            raise SecurityError("the template builds a string or list that is too long")
        return joined

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        """Apply a binary operator, refusing results that would be too large."""
        if op == "*":
            for seq, count in ((left, right), (right, left)):
                if _size(seq) and isinstance(count, int) and _size(seq) * max(count, 0) > MAX_TEXT:
                    raise SecurityError("the template builds a string or list that is too long")
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, int) and isinstance(left, int) and abs(right) > MAX_EXPONENT and abs(left) > 1:
                raise SecurityError("the template computes a power that is too large")
            return operator.pow(left, right)
        if op == "%":
            _check_format(left)
            return operator.mod(left, right)
        result = operator.add(left, right)
        if _size(result) > MAX_TEXT:
            raise SecurityError("the template builds a string or list that is too long")
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Call a function, refusing huge format widths and padded strings."""
        name = getattr(__obj, "__name__", "")
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # Jinja wraps str.format
        if isinstance(owner, str):
            if name in ("format", "format_map"):
                _check_format(owner)
                if _format_size(owner, args, kwargs) > MAX_TEXT:  # "{0}" * 300 of a long value: refused first
                    raise SecurityError("the template builds a string that is too long")
            elif name in _SIZED_METHODS and any(isinstance(a, int) and a > MAX_TEXT for a in args):
                raise SecurityError("the template builds a string that is too long")
        result = super().call(__context, __obj, *args, **kwargs)
        if _size(result) > MAX_TEXT:
            raise SecurityError("the template builds a string or list that is too long")
        return result


def _too_long_before(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a filter (``replace``, ``join``, ``indent``, ``wordwrap``, ``tojson``...) would build a string over
    MAX_TEXT, judged from its arguments before anything is built."""
    if name == "replace" and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        times = value.count(old) if old else len(value) + 1
        return len(value) + times * max(len(new) - len(old), 0) > MAX_TEXT
    if name in ("tojson", "pprint", "string", "list"):
        return estimate(value) > MAX_TEXT
    if name == "indent" and isinstance(value, str):
        width = args[0] if args else kwargs.get("width", 4)
        pad = len(width) if isinstance(width, str) else (width if isinstance(width, int) else 0)
        return len(value) + (value.count("\n") + 1) * max(pad, 0) > MAX_TEXT
    if name == "wordwrap" and isinstance(value, str):
        width = args[0] if args else kwargs.get("width", 79)
        wrap = args[2] if len(args) > 2 else kwargs.get("wrapstring", "\n")
        breaks = len(value) // max(width if isinstance(width, int) else 79, 1) + 1
        return len(value) + breaks * (len(wrap) if isinstance(wrap, str) else 1) > MAX_TEXT
    if name == "join" and isinstance(value, (list, tuple)):
        joiner = str(args[0]) if args else str(kwargs.get("d", ""))
        return sum(_size(v) or len(str(v)) for v in value) + len(joiner) * max(len(value) - 1, 0) > MAX_TEXT
    return False


def _format_size(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """An upper bound of the length a format would produce: its text plus every field at its longest value."""
    values = [len(str(v)) for v in list(args) + list(kwargs.values())]
    fields = text.count("{") + text.count("%")
    return len(text) + fields * (max(values) if values else 0)


def bound_gettext(env: jinja2.Environment) -> None:
    """Check the i18n functions as the sandbox checks ``%``: they format their message themselves."""
    for name in ("gettext", "_", "ngettext", "pgettext", "npgettext"):
        original = env.globals.get(name)
        if original is None:
            continue

        def checked(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            texts = [a for a in args if isinstance(a, str)]
            for text in texts:
                _check_format(text)
                if _format_size(text, (), kwargs) > MAX_TEXT:
                    raise SecurityError("the template builds a string that is too long")
            return __original(*args, **kwargs)

        for attribute in ("contextfunction", "jinja_pass_arg"):  # newstyle gettext takes the context first
            if hasattr(original, attribute):
                setattr(checked, attribute, getattr(original, attribute))
        env.globals[name] = checked


def _bounded_filter(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    passes = getattr(original, "jinja_pass_arg", None)  # replace, join, wordwrap, truncate take a context first

    def checked(*given: Any, **kwargs: Any) -> Any:
        first, (value, *rest) = (given[:1], given[1:]) if passes else ((), given)
        args = tuple(rest)
        if any(isinstance(a, int) and a > MAX_TEXT for a in list(args) + list(kwargs.values())):
            raise SecurityError("the template builds a string that is too long")
        if name == "format":  # only the format filter reads its value as a format string
            _check_format(value)
        if _too_long_before(name, value, args, kwargs):
            raise SecurityError("the template builds a string that is too long")
        result = original(*first, value, *args, **kwargs)
        if _size(result) > MAX_TEXT:
            raise SecurityError("the template builds a string that is too long")
        return result

    if passes:
        checked.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return checked


def bound_filters(env: jinja2.Environment) -> None:
    """Put size checks on the built-in filters that can grow text (those that take a context too)."""
    for name in ("center", "indent", "format", "wordwrap", "truncate", "replace", "join", "tojson", "pprint",
                 "string", "list"):
        if name in env.filters:
            env.filters[name] = _bounded_filter(env.filters[name], name)


class FolderLoader(jinja2.FileSystemLoader):
    """A file-system loader that refuses links leaving its folder and files that are not UTF-8."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """Load ``template``, checking where the file really is and that it is text."""
        from consentgen.errors import TemplateError

        source, filename, uptodate = None, None, None
        for root in self.searchpath:  # the size first: a 3 GB file is refused before it is read
            candidate = Path(root, *template.split("/"))
            with contextlib.suppress(OSError):
                if candidate.is_file() and candidate.stat().st_size > MAX_TEMPLATE:
                    raise TemplateError(f"{template}: is too large (more than {MAX_TEMPLATE // 1_000_000} MB); a "
                                        "template is a page of markup")
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise TemplateError(f"{template}: is not UTF-8 text (bad byte at position {exc.start}); "
                                "save it as UTF-8") from None
        except PermissionError:
            raise TemplateError(f"{template}: permission denied (the file cannot be read)") from None
        except IsADirectoryError:
            raise jinja2.TemplateNotFound(template) from None
        real = Path(os.path.realpath(filename))
        roots = [Path(os.path.realpath(p)) for p in self.searchpath]
        if not any(real == root or root in real.parents for root in roots):
            raise TemplateError(f"{template}: is a link to a file outside the template folder ({real}); "
                                "copy the file into the folder instead")
        if not real.is_file():
            raise TemplateError(f"{template}: is not a regular file")
        return source, filename, uptodate


@contextlib.contextmanager
def time_budget(seconds: float | None = None, what: str = "the templates") -> Iterator[None]:
    """Raise BudgetExceeded in this thread after ``seconds`` (default TIME_BUDGET; main thread only)."""
    seconds = TIME_BUDGET if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise BudgetExceeded(f"{what} took longer than {seconds:.0f} seconds")

    # A budget inside another (a packet's cover rendered inside the PDF engine's budget) keeps the outer one:
    # it runs no longer than the outer time left, and the outer timer is set again, less the time spent.
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 0.001))
