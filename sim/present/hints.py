"""Hints for the slips people make writing a scenario or sweep file: see :mod:`sim.hints`.

The hints live in the foundation (:mod:`sim.hints`), so that the readers of scenario and sweep
files give them from Python too; this module re-exports them.
"""

from sim.hints import line_hint, toml_hint

__all__ = ["line_hint", "toml_hint"]
