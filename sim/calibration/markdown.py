"""The Jinja environment the calibration's Markdown pages are rendered with.

The templates are in ``sim/calibration/templates/``: ``calibration.md.j2``
(``docs/calibration.md``), ``crossval.md.j2`` (its cross-validation section)
and ``texts.toml`` (the texts kept per item).
"""

from __future__ import annotations

from functools import cache

import jinja2
import numpy as np

__all__ = ["environment", "share", "unwrap"]


def share(x: float, ratio: bool = False) -> str:
    """A share as ``12.3%`` (a ratio as ``1.23``); ``n/a`` when not finite."""
    if not np.isfinite(x):
        return "n/a"
    return f"{x:.2f}" if ratio else f"{100 * x:.1f}%"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the calibration's Markdown templates.

    Markdown is not HTML, so nothing is escaped; blocks are trimmed so that a
    ``{% ... %}`` line leaves no blank line; an undefined name is an error.
    Filters: ``share`` (:func:`share`) and ``fmt`` (``format(x, spec)``).
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sim.calibration", "templates"),
        autoescape=False,  # Markdown, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["share"] = share
    env.filters["fmt"] = format
    return env


#: Lines that start a block of their own, never joined to the line before.
_BLOCK_START = ("|", "#", "* ", "- ", "```", "![", "<!--")


def unwrap(text: str) -> str:
    """Join the wrapped lines of each paragraph and list item into one line.

    The templates wrap their prose for reading; the page gets one line per
    paragraph (as Markdown renders it anyway), so that a regenerated page
    differs from the last only where its content does. Tables, headings, list
    markers, images and fenced code are left as they are.
    """
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        prev = out[-1] if out else ""
        joinable = (
            not fenced
            and line.strip()
            and not line.lstrip().startswith(_BLOCK_START)
            and prev.strip()
            and not prev.startswith(("|", "#", "```", "![", "<!--"))
        )
        if joinable:
            out[-1] = f"{prev} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)
