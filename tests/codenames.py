"""What a person must never be shown: the model's code names, and a walker that finds them.

Shared by ``tests/test_vocabulary.py`` (terminal and ``report.html``) and
``tests/test_dashboard_browser.py`` (the dashboard in Chromium).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Code names without an underscore that are not English words.
NON_WORDS = {"fte", "ic"}
#: A word with an underscore, or a sweep's survey column ``survey.ITEM.GROUP.WAVE``.
TOKEN = re.compile(r"(?<![\w.])(?:survey\.[a-z_]+\.[a-z_]+\.\d+|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+)")
WORD = re.compile(r"(?<![\w.-])[a-z]+(?![\w.-])")


def code_names() -> set[str]:
    """Every code name of parameters, outcomes, series, compared metrics, survey and targets."""
    from sim import model, survey
    from sim.params import Params
    from sim.runner import METRICS
    from sim.targets import load_targets
    from sim.vocabulary import code_names as labelled

    names = set(Params.names()) | set(model.OUTCOMES) | set(model.SERIES)
    names |= {m.key for m in METRICS} | set(survey.ITEMS) | set(survey.GROUPS)
    names |= {survey.RELATIVE_RISK} | set(load_targets()["id"]) | labelled()
    return {n for n in names if "_" in n or n in NON_WORDS}


def find_code_names(text: str, names: set[str]) -> list[str]:
    """Return the code names in ``text`` (in order, with repeats)."""
    found = [t for t in TOKEN.findall(text) if t in names or t.startswith("survey.")]
    found += [w for w in WORD.findall(text) if w in NON_WORDS and w in names]
    return found


class _Text(HTMLParser):
    """Collect the text a person sees: text nodes, ``alt`` and ``title`` attributes.

    Leaves out ``<style>``, ``<script>`` and the element with id ``skip`` (an appendix).
    """

    def __init__(self, skip: str | None) -> None:
        super().__init__()
        self.skip_id = skip
        self.hidden = 0  # depth inside style/script
        self.stack: list[str] = []  # open tags inside the skipped element
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self.stack or (self.skip_id and a.get("id") == self.skip_id):
            if tag not in ("br", "img", "meta", "input", "hr"):
                self.stack.append(tag)
            return
        if tag in ("style", "script"):
            self.hidden += 1
        for key in ("alt", "title"):
            if a.get(key):
                self.parts.append(str(a[key]))

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()
            return
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.stack and not self.hidden:
            self.parts.append(data)


def visible_html_text(page: str, skip_id: str | None = "appendix") -> str:
    """Return the text of an HTML page a person reads, outside the element ``skip_id``."""
    parser = _Text(skip_id)
    parser.feed(page)
    return "\n".join(parser.parts)
