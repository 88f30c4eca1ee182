"""Offline front-end assets: what the installed Solara loads from its CDN, and whether it is cached.

Solara's page loads its front end (the Vuetify app bundle, requirejs, Font Awesome, and lazily
mermaid, KaTeX and vue-grid-layout) through its own server at ``/_solara/cdn/<package>@<version>/
<file>``. The server answers from a cache directory, by default ``<venv>/share/solara/cdn/``, and
only fetches from the public CDN what is missing there. At a venue without internet a missing
file means a blank page, so ``scripts/setup-dashboard`` fills that cache at install time with
``npm pack`` of the exact versions listed here.

The list is read from the installed Solara itself (its page template, Vue templates and Python
components), so a Solara upgrade that pins new versions changes the list by construction.

Run as a module::

    python -m sim.dashboard.assets packages   # one "name@version" a line, to npm pack
    python -m sim.dashboard.assets files      # every referenced file, relative to the cache
    python -m sim.dashboard.assets cache-dir  # the directory the server reads
    python -m sim.dashboard.assets minified   # add x.min.js copies the CDN makes on the fly
    python -m sim.dashboard.assets check      # exit 1 and list what is missing from the cache
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: A CDN reference with an exact version, as Solara writes it in templates and Vue code:
#: ``{{cdn}}/requirejs@2.3.6/require.js`` or ``${this.getCdn()}/katex@0.16.9/dist/katex.min.js``.
_CDN_REF = re.compile(
    r"(?:\{\{\s*cdn\s*\}\}|\$\{this\.getCdn\(\)\})"
    r"/(?P<package>(?:@[\w.-]+/)?[\w.-]+)"
    r"@(?P<version>\d+\.\d+\.\d+(?:-[\w.]+)?)"
    r"(?P<path>/[^\s\"'`<>]*)"
)
#: A reference in a plain path such as Solara's ``fontawesome_path`` setting.
_PATH_REF = re.compile(
    r"^/?(?P<package>(?:@[\w.-]+/)?[\w.-]+)@(?P<version>\d+\.\d+\.\d+(?:-[\w.]+)?)(?P<path>/.*)$"
)
#: Files of the installed solara package that can hold CDN references.
_SCANNED_SUFFIXES = (".j2", ".html", ".vue", ".py", ".js")
#: Parts of the solara package that are not served by ``solara run`` (its own website).
_SKIPPED_PARTS = ("website",)


@dataclass(frozen=True, order=True)
class CdnFile:
    """One file the page may request from Solara's CDN proxy.

    Attributes:
        package: npm package name, with its scope if any (``@widgetti/solara-vuetify-app``).
        version: exact npm version (``10.1.1``).
        path: path inside the package, with a leading slash (``/dist/fonts.css``).
    """

    package: str
    version: str
    path: str

    @property
    def spec(self) -> str:
        """Return ``package@version``, the argument ``npm pack`` takes and the cache folder name."""
        return f"{self.package}@{self.version}"

    @property
    def relpath(self) -> str:
        """Return the file's path relative to the cache directory."""
        return f"{self.spec}{self.path}"


def _solara_dir() -> Path:
    spec = importlib.util.find_spec("solara")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("solara is not installed", name="solara")
    return Path(next(iter(spec.submodule_search_locations)))


def _ipywidgets_major() -> int:
    import ipywidgets  # lazy: part of the optional dashboard extra

    return int(ipywidgets.__version__.split(".")[0])


def referenced_files(
    solara_dir: Path | None = None, ipywidgets_major: int | None = None
) -> list[CdnFile]:
    """Return every exact-version CDN file the installed Solara references, sorted.

    References whose version is a variable or a semver range (echarts, codemirror, vega) are left
    out: the dashboard uses none of those components.

    Args:
        solara_dir: the solara package directory (default: the installed one).
        ipywidgets_major: substituted for ``{{ipywidget_major_version}}`` in file names
            (default: the installed ipywidgets' major version).

    Returns:
        The referenced files, without duplicates.
    """
    solara_dir = solara_dir or _solara_dir()
    major = _ipywidgets_major() if ipywidgets_major is None else ipywidgets_major
    found: set[CdnFile] = set()
    for file in solara_dir.rglob("*"):
        rel = file.relative_to(solara_dir)
        if file.suffix not in _SCANNED_SUFFIXES or any(p in rel.parts for p in _SKIPPED_PARTS):
            continue
        if "__pycache__" in rel.parts or not file.is_file():
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        if "cdn" not in text.lower():
            continue
        for match in _CDN_REF.finditer(text):
            path = re.sub(r"\{\{\s*ipywidget_major_version\s*\}\}", str(major), match["path"])
            path = path.rstrip("\\;,)")
            if "{" in path or "$" in path:  # still templated: not a fixed file
                continue
            found.add(CdnFile(match["package"], match["version"], path))
    fontawesome = _fontawesome_path()
    if fontawesome and (m := _PATH_REF.match(fontawesome)):
        found.add(CdnFile(m["package"], m["version"], m["path"]))
    return sorted(found)


def _fontawesome_path() -> str | None:
    try:
        from solara.server import settings  # lazy: the optional dashboard extra
    except ImportError:  # pragma: no cover - solara without its server
        return None
    if not settings.assets.fontawesome_enabled:
        return None
    return settings.assets.fontawesome_path


def packages(files: list[CdnFile] | None = None) -> list[str]:
    """Return the ``name@version`` specs to ``npm pack``, sorted and without duplicates."""
    return sorted({f.spec for f in (files if files is not None else referenced_files())})


def cache_dir() -> Path:
    """Return the directory Solara's CDN proxy serves from (``SOLARA_ASSETS_PROXY_CACHE_DIR``)."""
    from solara.server import settings  # lazy: the optional dashboard extra, env read on import

    return Path(settings.assets.proxy_cache_dir)


def missing_files(cache: Path | None = None, files: list[CdnFile] | None = None) -> list[CdnFile]:
    """Return the referenced files absent from the cache (empty when the page works offline)."""
    cache = cache or cache_dir()
    files = files if files is not None else referenced_files()
    return [f for f in files if not (cache / f.relpath).is_file()]


def add_minified_copies(
    cache: Path | None = None, files: list[CdnFile] | None = None
) -> list[Path]:
    """Provide ``x.min.js`` / ``x.min.css`` files that the npm package ships only unminified.

    The public CDN minifies any file on request (``requirejs@2.3.6/require.min.js`` exists there
    but not in the npm package), so the cache gets a copy of the unminified file under that name:
    the same code, only larger.

    Returns:
        The files written.
    """
    cache = cache or cache_dir()
    written = []
    for f in missing_files(cache, files):
        target = cache / f.relpath
        source = target.with_name(re.sub(r"\.min\.(js|css)$", r".\1", target.name))
        if source != target and source.is_file():
            target.write_bytes(source.read_bytes())
            written.append(target)
    return written


def offline_ready() -> bool:
    """Return True when every referenced file is in the cache, so no request needs internet."""
    try:
        return not missing_files()
    except ModuleNotFoundError:
        return False


def main(argv: list[str] | None = None) -> int:
    """Command line for ``scripts/setup-dashboard``: list packages or files, or check the cache."""
    parser = argparse.ArgumentParser(prog="python -m sim.dashboard.assets", description=__doc__)
    parser.add_argument("action", choices=["packages", "files", "cache-dir", "minified", "check"])
    args = parser.parse_args(argv)
    if args.action == "packages":
        print("\n".join(packages()))
    elif args.action == "files":
        print("\n".join(f.relpath for f in referenced_files()))
    elif args.action == "cache-dir":
        print(cache_dir())
    elif args.action == "minified":
        for path in add_minified_copies():
            print(f"added {path}")
    else:
        cache = cache_dir()
        missing = missing_files(cache)
        for f in missing:
            print(f"missing: {cache / f.relpath}", file=sys.stderr)
        if missing:
            print(
                f"{len(missing)} front-end file(s) missing from {cache}: "
                "run scripts/setup-dashboard",
                file=sys.stderr,
            )
            return 1
        print(f"offline assets complete in {cache}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
