"""Differential testing of incremental builds (issue #10): after every edit, the output of the
incremental ``om-markdoc build`` must equal a clean build's, byte for byte apart from timestamps.

A reduced copy of one corpus version (its home page, its ``menu.md``, a seeded sample of its
pages, the partials of that version and the images those pages and partials show) is written to a
temporary folder and built once.  Then, for each step, one seeded random edit is applied to the
tree (a page body, a partial that pages include, a ``menu.md``, an image added or removed, a page
added or removed, a front-matter slug or title changed, a version folder added or removed), the
incremental build runs into the same site folder, a clean build into a fresh one, and every output
file is compared: pages, ``search/search_index.json``, ``versions.json``, ``sitemap.xml`` (and the
decompressed ``sitemap.xml.gz``), ``om-slugs.json``, the ``latest/`` redirects, images, assets.
Only om-markdoc's state folder (``.om-markdoc/``: caches, manifests) is left out, and only the
sitemap's ``<lastmod>`` dates are normalised.

Each build runs as a separate ``om-markdoc build`` process would: the plugin's in-memory page keys
and MkDocs' cache of plugin instances are emptied first, so what carries over from one build to
the next is what is on disk.  The corpus is read from ``../shared/corpus/openmetadata-docs``
beside the repository and only ever copied into the temporary folder.

Used by ``tests/build/test_differential.py`` (a few seeds, a few steps) and by
``benchmarks/fuzz_incremental.py`` (as many as asked).  A failure names the seed, the step and
every edit so far, and the command that replays it.
"""

from __future__ import annotations

import difflib
import gzip
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from om_markdoc.build.builder import BuildReport, build_site
from om_markdoc.build.plan import plan_build
from om_markdoc.build.site import STATE_DIR
from om_markdoc.mkdocs_plugin import incremental

from . import png_bytes

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
BASE_VERSION = "v1.4.x"
EXTRA_VERSIONS = ("v1.5.x", "v1.6.x-SNAPSHOT")
"""Version folders an edit may add: a newer release (it becomes the latest) and a pre-release."""

PARTIAL_RE = re.compile(r'\{%\s*partial\s+file="([^"]+)"')
IMAGE_RE = re.compile(r'/images/(v\d+\.\d+/[^\s"\'()\]]+)')
LASTMOD_RE = re.compile(rb"<lastmod>[^<]*</lastmod>")
FRONT_MATTER_RE = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)
REPLAY = "benchmarks/fuzz_incremental.py --seed {seed} --steps {steps} --pages {pages}"


def version_partials(version: str) -> str:
    """``v1.4.x`` → ``v1.4``: the partials and images folder of a version."""
    return version.split(".x", 1)[0]


# --- the tree ------------------------------------------------------------------------------------


@dataclass
class Tree:
    """The temporary docs tree under ``root`` (``content/<version>``, ``content/partials``, ``images``)."""

    root: Path
    rng: random.Random
    sample: int
    counter: int = 0
    versions: list[str] = field(default_factory=list)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def partials(self) -> Path:
        return self.content / "partials"

    @property
    def images(self) -> Path:
        return self.root / "images"

    def fresh(self, prefix: str) -> str:
        """A name no earlier edit used (the tree never holds it yet)."""
        self.counter += 1
        return f"{prefix}{self.counter}"

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def pages(self, version: str | None = None) -> list[Path]:
        """Page files of one version (or of all), sorted, ``menu.md`` left out."""
        names = [version] if version else self.versions
        return sorted(p for name in names for p in (self.content / name).rglob("*.md") if p.name != "menu.md")

    def pick_page(self, with_front_matter: str | None = None) -> Path | None:
        candidates = self.pages()
        if with_front_matter:
            pattern = re.compile(rf"^{with_front_matter}:", re.M)
            candidates = [p for p in candidates if (m := FRONT_MATTER_RE.match(read(p))) and pattern.search(m.group(1))]
        return self.rng.choice(candidates) if candidates else None

    def version_of(self, page: Path) -> str:
        return page.relative_to(self.content).parts[0]

    def included_partials(self) -> list[Path]:
        """Partial files that some page of the tree includes (directly), sorted."""
        found = set()
        for page in self.pages():
            for name in PARTIAL_RE.findall(read(page)):
                path = self.partials / name.lstrip("/")
                if path.is_file():
                    found.add(path)
        return sorted(found)

    def add_version(self, version: str, count: int) -> None:
        """Copy ``version``'s home page, menu, ``count`` sampled pages, partials and their images."""
        source = CORPUS / "content" / version
        if not source.is_dir():
            raise FileNotFoundError(f"corpus not found at {source} (it lives in ../shared beside the repository)")
        pages = sorted(p for p in source.rglob("*.md") if p.name != "menu.md" and p != source / "index.md")
        chosen = [source / "index.md", source / "menu.md", *self.rng.sample(pages, min(count, len(pages)))]
        partials = CORPUS / "content" / "partials" / version_partials(version)
        if partials.is_dir() and not (self.partials / partials.name).exists():
            shutil.copytree(partials, self.partials / partials.name)
            chosen += sorted(partials.rglob("*.md"))
        images: set[str] = set()
        for path in chosen:
            text = read(path)
            images.update(IMAGE_RE.findall(text))
            if path.is_relative_to(source):
                write(self.content / version / path.relative_to(source), text)
        for image in sorted(images):
            origin = CORPUS / "images" / image
            if origin.is_file() and not (self.images / image).exists():
                (self.images / image).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, self.images / image)
        self.versions.append(version)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="surrogateescape")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", errors="surrogateescape")


def set_front_matter(path: Path, key: str, value: str) -> None:
    text = read(path)
    match = FRONT_MATTER_RE.match(text)
    assert match, path
    block = re.sub(rf"^{key}:.*$", lambda _: f"{key}: {value}", match.group(1), count=1, flags=re.M)
    write(path, text[: match.start(1)] + block + text[match.end(1):])


def front_matter(path: Path, key: str) -> str | None:
    match = FRONT_MATTER_RE.match(read(path))
    found = re.search(rf"^{key}:\s*(.*?)\s*$", match.group(1), re.M) if match else None
    return found.group(1).strip("\"'") if found else None


# --- edits: each changes the tree and says what it did (None: nothing to do in this tree) -------------


def edit_page_body(tree: Tree) -> str | None:
    page = tree.pick_page()
    if page is None:
        return None
    word = tree.fresh("quokka")
    addition = f"\n\n## Section {word}\n\nText {word}.\n" if tree.rng.random() < 0.5 else f"\n\nText {word}.\n"
    write(page, read(page) + addition)
    return f"edit the body of {tree.rel(page)} (adds {word!r})"


def edit_partial(tree: Tree) -> str | None:
    partials = tree.included_partials()
    if not partials:
        return None
    partial = tree.rng.choice(partials)
    word = tree.fresh("wombat")
    write(partial, read(partial) + f"\n\nPartial text {word}.\n")
    return f"edit the included partial {tree.rel(partial)} (adds {word!r})"


MENU_ENTRY_RE = re.compile(r"^  - category: (.*)\n    url: (.*)$", re.M)


def edit_menu(tree: Tree) -> str | None:
    menus = [tree.content / v / "menu.md" for v in tree.versions if (tree.content / v / "menu.md").is_file()]
    if not menus:
        return None
    menu = tree.rng.choice(menus)
    text = read(menu)
    entries = list(MENU_ENTRY_RE.finditer(text))
    action = tree.rng.choice(["rename", "remove", "add"])
    if action == "add" or not entries:
        page = tree.rng.choice(tree.pages(menu.parent.name))
        slug = front_matter(page, "slug") or "/"
        label = tree.fresh("Added ")
        write(menu, text.rstrip("\n").removesuffix("---").rstrip("\n") + f"\n  - category: {label}\n    url: {slug}\n---\n")
        return f"add a menu entry {label!r} → {slug} to {tree.rel(menu)}"
    entry = tree.rng.choice(entries)
    if action == "remove":
        write(menu, text[: entry.start()] + text[entry.end() + 1:])
        return f"remove the menu entry {entry.group(1)!r} from {tree.rel(menu)}"
    label = entry.group(1) + " " + tree.fresh("renamed")
    write(menu, text[: entry.start(1)] + label + text[entry.end(1):])
    return f"rename the menu entry {entry.group(1)!r} to {label!r} in {tree.rel(menu)}"


def add_image(tree: Tree) -> str | None:
    folder = version_partials(tree.rng.choice(tree.versions))
    name = tree.fresh("fuzz-image-")
    image = tree.images / folder / "fuzz" / f"{name}.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(png_bytes() + name.encode())  # distinct bytes, still a PNG to a browser
    page = tree.pick_page() if tree.rng.random() < 0.5 else None
    if page is None:
        return f"add the image {tree.rel(image)}, unreferenced"
    write(page, read(page) + f'\n\n{{% image src="/images/{folder}/fuzz/{name}.png" alt="{name}" /%}}\n')
    return f"add the image {tree.rel(image)}, shown by {tree.rel(page)}"


def remove_image(tree: Tree) -> str | None:
    images = sorted(p for p in tree.images.rglob("*") if p.is_file())
    if not images:
        return None
    image = tree.rng.choice(images)
    image.unlink()
    return f"remove the image {tree.rel(image)}"


def add_page(tree: Tree) -> str | None:
    version = tree.rng.choice(tree.versions)
    pages = tree.pages(version)
    parent = tree.rng.choice(pages)
    base = (front_matter(parent, "slug") or "/").rstrip("/")
    name = tree.fresh("fuzz-page-")
    body = [f"# Page {name}", "", f"Body of {name}, with a [link]({base or '/'}) to its parent."]
    partials = [p for p in tree.included_partials() if p.is_relative_to(tree.partials / version_partials(version))]
    if partials and tree.rng.random() < 0.5:
        body += ["", f'{{% partial file="/{tree.rel(tree.rng.choice(partials)).split("/", 2)[2]}" /%}}']
    path = parent.parent / f"{name}.md"
    write(path, f"---\ntitle: Page {name}\nslug: {base}/{name}\n---\n\n" + "\n".join(body) + "\n")
    return f"add the page {tree.rel(path)} (slug {base}/{name})"


def remove_page(tree: Tree) -> str | None:
    page = tree.pick_page()
    if page is None:
        return None
    page.unlink()
    return f"remove the page {tree.rel(page)}"


def change_slug(tree: Tree) -> str | None:
    page = tree.pick_page(with_front_matter="slug")
    if page is None:
        return None
    old = front_matter(page, "slug") or "/"
    if tree.rng.random() < 0.2:  # take the slug of another page of the version: a duplicate
        other = tree.rng.choice(tree.pages(tree.version_of(page)))
        new = front_matter(other, "slug") or tree.fresh("/fuzz-slug-")
    else:
        new = old.rstrip("/") + "/" + tree.fresh("moved-")
    set_front_matter(page, "slug", new)
    return f"change the slug of {tree.rel(page)} from {old} to {new}"


def change_title(tree: Tree) -> str | None:
    page = tree.pick_page(with_front_matter="title")
    if page is None:
        return None
    new = tree.fresh("Retitled ")
    if tree.rng.random() < 0.3:  # no title in front matter: the first heading is the title
        text = read(page)
        match = FRONT_MATTER_RE.match(text)
        assert match
        block = re.sub(r"^title:.*(\n|$)", "", match.group(1), count=1, flags=re.M)
        write(page, text[: match.start(1)] + block + text[match.end(1): match.end()] + f"\n# {new}\n" + text[match.end():])
        return f"change the title of {tree.rel(page)} to {new!r}: front matter title removed, a first heading added"
    set_front_matter(page, "title", new)
    return f"change the title of {tree.rel(page)} to {new!r}"


def remove_version(tree: Tree) -> str | None:
    added = [v for v in EXTRA_VERSIONS if v in tree.versions]
    if not added:
        return None
    version = tree.rng.choice(added)
    shutil.rmtree(tree.content / version)
    tree.versions.remove(version)
    return f"remove the version folder content/{version}"


def add_version(tree: Tree) -> str | None:
    missing = [v for v in EXTRA_VERSIONS if v not in tree.versions]
    if not missing:
        return None
    version = tree.rng.choice(missing)
    tree.add_version(version, max(10, tree.sample // 4))
    return f"add the version folder content/{version} ({len(tree.pages(version))} pages)"


EDITS: dict[str, Callable[[Tree], str | None]] = {
    "page": edit_page_body,
    "partial": edit_partial,
    "menu": edit_menu,
    "image-added": add_image,
    "image-removed": remove_image,
    "page-added": add_page,
    "page-removed": remove_page,
    "slug": change_slug,
    "title": change_title,
    "version-added": add_version,
    "version-removed": remove_version,
}


# --- builds and comparison --------------------------------------------------------------------------


def build(root: Path, site: Path) -> BuildReport:
    """``om-markdoc build`` of the tree at ``root`` into ``site``, as a new process would run it."""
    incremental.forget_builds()
    MkDocsConfig.plugins.plugin_cache.clear()  # MkDocs keeps plugin instances per process
    report = build_site(plan_build(root), site, jobs=1)
    assert report.ok, [r.error for r in report.results]
    return report


def snapshot(site: Path) -> dict[str, bytes]:
    """Every output file (``.om-markdoc/`` left out) → its bytes, timestamps normalised."""
    out: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/", 1)[0] == STATE_DIR or not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)  # the gzip header holds a time
            rel += " (decompressed)"
        if "sitemap.xml" in rel:
            data = LASTMOD_RE.sub(b"<lastmod>DATE</lastmod>", data)
        out[rel] = data
    return out


def _readable(rel: str, data: bytes) -> list[str]:
    if rel.endswith(".json"):
        try:
            parsed = json.loads(data)
        except ValueError:
            pass
        else:
            return json.dumps(parsed, indent=1, sort_keys=True).splitlines()
    return data.decode("utf-8", "replace").replace("><", ">\n<").splitlines()


def differences(
    incremental_site: dict[str, bytes],
    clean_site: dict[str, bytes],
    *,
    limit: int = 6,
) -> list[str]:
    """What differs between the incremental and the clean output, readably (empty: identical)."""
    extra = sorted(incremental_site.keys() - clean_site.keys())
    missing = sorted(clean_site.keys() - incremental_site.keys())
    out = [f"only in the incremental output: {rel}" for rel in extra[: limit * 3]]
    out += [f"missing from the incremental output: {rel}" for rel in missing[: limit * 3]]
    if len(extra) + len(missing) > len(out):
        out.append(f"... and {len(extra) + len(missing) - len(out)} more files only in one of the outputs")
    changed = [rel for rel in sorted(incremental_site.keys() & clean_site.keys()) if incremental_site[rel] != clean_site[rel]]
    for rel in changed[:limit]:
        old, new = _readable(rel, clean_site[rel]), _readable(rel, incremental_site[rel])
        diff = list(difflib.unified_diff(old, new, "clean", "incremental", n=1, lineterm=""))
        if not diff:  # same lines, other bytes (order or separators of a JSON file)
            diff = ["(same content, other bytes: order or formatting)"]
        out.append(f"differs: {rel}\n    " + "\n    ".join(line[:200] for line in diff[:30]))
    if len(changed) > limit:
        out.append(f"... and {len(changed) - limit} more differing files: {', '.join(changed[limit:limit + 20])}")
    return out


def rebuild_and_compare(root: Path, site: Path, clean: Path) -> list[str]:
    """Build ``root`` incrementally into ``site`` and from scratch into ``clean`` (removed
    afterwards when they are equal); the differences of the two outputs."""
    build(root, site)
    build(root, clean)
    found = differences(snapshot(site), snapshot(clean))
    if not found:
        shutil.rmtree(clean)
    return found


class DifferentialFailure(AssertionError):
    pass


def failure(
    seed: int, steps: int, pages: int, step: int, history: list[str], found: list[str],
    shown: str = "incremental output", replay: str = REPLAY,
) -> DifferentialFailure:
    """The report of a difference: what differs from a clean build, the edits so far, the command to replay."""
    edits = "\n".join(f"  {i}. {what}" for i, what in enumerate(history, 1))
    return DifferentialFailure(
        f"{shown} differs from a clean build after step {step} (seed {seed})\n"
        f"edits so far:\n{edits}\n"
        f"differences:\n  " + "\n  ".join(found) + "\n"
        f"replay: .venv/bin/python {replay.format(seed=seed, steps=step, pages=pages)}"
    )


def edit_plan(rng: random.Random) -> Iterator[str]:
    """Edit kinds, endlessly: every kind once in a shuffled round (a version added before one is
    removed), then at random.  Drawn one at a time from the run's generator, so a replay with
    fewer steps makes the same first edits."""
    first = rng.sample(list(EDITS), len(EDITS))
    added, removed = first.index("version-added"), first.index("version-removed")
    if removed < added:  # a version can only be removed once one was added
        first[added], first[removed] = first[removed], first[added]
    yield from first
    while True:
        yield rng.choice(list(EDITS))


def run(seed: int, steps: int, workdir: Path, *, pages: int = 100, report: Callable[[str], None] = lambda line: None) -> list[str]:
    """Build, then ``steps`` times: edit, build incrementally, build clean, compare.  Returns the
    edits made; raises ``DifferentialFailure`` at the first difference."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the corpus has broken links; not the point
    rng = random.Random(seed)
    tree = Tree(workdir / "tree", rng, pages)
    tree.add_version(BASE_VERSION, pages)
    site = workdir / "site"
    build(tree.root, site)
    history: list[str] = []
    for step, kind in zip(range(1, steps + 1), edit_plan(rng), strict=False):
        what = EDITS[kind](tree) or edit_page_body(tree) or "nothing"
        history.append(what)
        report(f"seed {seed} step {step}: {what}")
        found = rebuild_and_compare(tree.root, site, workdir / f"clean-{step}")
        if found:
            raise failure(seed, steps, pages, step, history, found)
    return history


# --- serve over HTTP ---------------------------------------------------------------------------------


CLI = "import sys; from om_markdoc.cli import main; sys.exit(main())"
BUILT_RE = re.compile(r"^om-markdoc serve: (re)?built (?!the first pages)")
"""A finished build (the initial one builds the first pages, then the rest: the second line)."""
WAIT = 300.0
"""Seconds a test waits at most for one build of the preview (it goes on as soon as the line comes)."""


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """``om-markdoc serve`` in a child process on a free port of 127.0.0.1, its stderr read as it
    comes.  Its temporary folders go to ``tmp`` (``TMPDIR``), so a test sees what it leaves."""

    def __init__(self, tree: Path, tmp: Path, *options: str) -> None:
        self.port = free_port()
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "TMPDIR": str(tmp), "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-c", CLI, "serve", str(tree), "--dev-addr", f"127.0.0.1:{self.port}", *options]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def log(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def count(self, pattern: re.Pattern[str]) -> int:
        with self.changed:
            return sum(1 for line in self.lines if pattern.search(line))

    def wait_for(self, pattern: re.Pattern[str], count: int = 1, timeout: float = WAIT) -> bool:
        """Wait until ``count`` lines match ``pattern``; False after ``timeout`` seconds or when
        the server has exited."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while sum(1 for line in self.lines if pattern.search(line)) < count:
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self.reader.is_alive()):
                    return False
                self.changed.wait(min(left, 1.0))
        return True

    @property
    def builds(self) -> int:
        return self.count(BUILT_RE)

    def built(self, count: int) -> None:
        """Wait for the ``count``-th build (the first one is the initial build)."""
        assert self.wait_for(BUILT_RE, count), f"no build #{count} of the preview; its log:\n{self.log()}"

    def after(self, change: Callable[[], object]) -> None:
        """Make ``change`` to the tree and wait for the rebuild it causes."""
        before = self.builds
        change()
        self.built(before + 1)

    def get(self, path: str, attempts: int = 100) -> tuple[int, bytes]:
        """``GET path``: the status and body (a refused connection is retried: the server binds
        its port just after starting)."""
        url = f"http://127.0.0.1:{self.port}{path}"
        for _ in range(attempts):
            try:
                with urllib.request.urlopen(url, timeout=WAIT) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()
            except urllib.error.URLError as error:
                if not isinstance(error.reason, ConnectionRefusedError) or self.process.poll() is not None:
                    raise
                time.sleep(0.1)
        raise AssertionError(f"{url}: connection refused {attempts} times; log:\n{self.log()}")

    def stop(self) -> int:
        """SIGTERM, as a terminal closing or a process manager stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=60)
            self.reader.join(timeout=10)

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the differential run over serve ---------------------------------------------------------------
#
# The same seeded edits, and more that an author makes while previewing (renames, partials removed
# or made into a cycle and fixed, a save cut short by the editor, a save that changes nothing), go
# to the tree a running ``om-markdoc serve`` watches.  After each rebuild the HTML it serves over
# HTTP (its live-reload script taken out) and its search index must equal what a clean serve build
# of the same tree writes; every URL a clean build no longer has must answer 404.


def rename_page(tree: Tree) -> str | None:
    page = tree.pick_page()
    if page is None or page.name == "index.md":
        return None
    target = page.with_name(f"{tree.fresh('renamed-')}.md")
    page.rename(target)
    return f"rename the page {tree.rel(page)} to {target.name}"


def rename_partial(tree: Tree) -> str | None:
    partials = tree.included_partials()
    if not partials:
        return None
    partial = tree.rng.choice(partials)
    target = partial.with_name(f"{tree.fresh('renamed-')}.md")
    partial.rename(target)
    old, new = f"/{partial.relative_to(tree.partials).as_posix()}", f"/{target.relative_to(tree.partials).as_posix()}"
    if tree.rng.random() < 0.5:
        return f"rename the partial {tree.rel(partial)} to {target.name}, its includes left pointing at the old name"
    for page in [*tree.pages(), *sorted(tree.partials.rglob("*.md"))]:
        text = read(page)
        if f'"{old}"' in text:
            write(page, text.replace(f'"{old}"', f'"{new}"'))
    return f"rename the partial {tree.rel(partial)} to {target.name}, its includes updated"


def remove_partial(tree: Tree) -> str | None:
    partials = tree.included_partials()
    if not partials:
        return None
    partial = tree.rng.choice(partials)
    partial.unlink()
    return f"remove the included partial {tree.rel(partial)}"


CYCLE_MARK = "<!-- fuzz cycle -->"


def make_cycle(tree: Tree) -> str | None:
    """An included partial that includes itself (its pages get a cycle finding)."""
    partials = [p for p in tree.included_partials() if CYCLE_MARK not in read(p)]
    if not partials:
        return None
    partial = tree.rng.choice(partials)
    name = "/" + partial.relative_to(tree.partials).as_posix()
    write(partial, read(partial) + f'\n{CYCLE_MARK}\n{{% partial file="{name}" /%}}\n')
    return f"make {tree.rel(partial)} include itself"


def fix_cycle(tree: Tree) -> str | None:
    cycles = sorted(p for p in tree.partials.rglob("*.md") if CYCLE_MARK in read(p))
    if not cycles:
        return make_cycle(tree)
    partial = tree.rng.choice(cycles)
    write(partial, read(partial).split(f"\n{CYCLE_MARK}\n", 1)[0])
    return f"remove the self-include from {tree.rel(partial)}"


def truncate_save(tree: Tree) -> str | None:
    """A page or partial saved cut short (anywhere: inside a tag, the front matter, a character)."""
    files = [*tree.pages(), *tree.included_partials()]
    path = tree.rng.choice(files)
    data = path.read_bytes()
    cut = tree.rng.randrange(len(data)) if data else 0
    path.write_bytes(data[:cut])
    return f"save {tree.rel(path)} cut to {cut} of {len(data)} bytes"


def untouched_save(tree: Tree) -> str | None:
    path = tree.rng.choice([*tree.pages(), *tree.included_partials()])
    path.write_bytes(path.read_bytes())
    return f"save {tree.rel(path)} unchanged"


SERVE_EDITS: dict[str, Callable[[Tree], str | None]] = {
    **{kind: edit for kind, edit in EDITS.items() if not kind.startswith("version-")},
    "page-renamed": rename_page,
    "partial-renamed": rename_partial,
    "partial-removed": remove_partial,
    "cycle-made": make_cycle,
    "cycle-fixed": fix_cycle,
    "truncated": truncate_save,
    "untouched": untouched_save,
}
"""Every edit kind but adding or removing a version (serve serves the one version it started with)."""

LIVERELOAD_RE = re.compile(rb"<script>(?:(?!</script>).)*livereload\(\d+, \d+\);\s*</script>(?=</body>)", re.S)
SERVE_REPLAY = "benchmarks/fuzz_incremental.py --serve --seed {seed} --steps {steps} --pages {pages}"


def clean_serve_build(root: Path, version: str, site: Path) -> dict[str, bytes]:
    """What a freshly started ``serve`` of ``version`` writes for the tree at ``root``: its
    generated config, in serve mode, into an empty ``site``; the HTML files and search index."""
    from mkdocs.commands.build import build as mkdocs_build

    from om_markdoc.build.serve import _loader

    incremental.forget_builds()
    MkDocsConfig.plugins.plugin_cache.clear()
    shutil.rmtree(site, ignore_errors=True)
    work = site.with_name(site.name + "-config")
    work.mkdir(parents=True, exist_ok=True)
    config = _loader(plan_build(root), version, site, work, None)()
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config, serve_url="http://127.0.0.1/", dirty=False)
    config.plugins.on_shutdown()
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.suffix == ".html" or path.name == "search_index.json"
    }


def served(server: ServeProcess, rels: Iterator[str] | list[str]) -> dict[str, bytes]:
    """The files at ``rels`` as the server answers them (live-reload script out); absent: 404."""
    out: dict[str, bytes] = {}
    for rel in rels:
        status, body = server.get("/" + urllib.parse.quote(rel.removesuffix("index.html")))
        if status == 200:
            out[rel] = LIVERELOAD_RE.sub(b"", body, count=1)
        else:
            assert status == 404, f"GET /{rel}: {status}"
    return out


BOX_RE = re.compile(rb'<div class="admonition failure om-problems"[^>]*>.*?</ul></div>', re.S)
BOX_ITEM_RE = re.compile(rb"<li><code>(.*?)</code></li>", re.S)


def _box(match: re.Match[bytes]) -> bytes:
    """The problem box as the list of its page's problems.  A partial's own problems (at the
    partial's lines, with no include chain) are left out: the plugin shows them once per build,
    on the first page rendered that includes the partial, so which page shows them depends on
    which pages a rebuild rendered (a known difference, not checked here)."""
    items = [item for item in BOX_ITEM_RE.findall(match.group(0)) if not (item.startswith(b"content/partials/") and b"(via " not in item)]
    return b"<om-problems>" + b"\n".join(items) + b"</om-problems>" if items else b""


def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
    """Serve's output with the one part that depends on the order of past builds made
    comparable: the problem box (``_box``).  Everything else, the search index included, must
    be byte for byte a clean build's."""
    return {rel: data if rel.endswith(".json") else BOX_RE.sub(_box, data) for rel, data in files.items()}


def serve_failure(seed: int, steps: int, pages: int, step: int, history: list[str], found: list[str]) -> DifferentialFailure:
    return failure(seed, steps, pages, step, history, found, shown="what serve shows", replay=SERVE_REPLAY)


def serve_edit_plan(rng: random.Random) -> Iterator[str]:
    """Every serve edit kind once in a shuffled round (a cycle made before one is fixed), then at random."""
    first = rng.sample(list(SERVE_EDITS), len(SERVE_EDITS))
    made, fixed = first.index("cycle-made"), first.index("cycle-fixed")
    if fixed < made:
        first[made], first[fixed] = first[fixed], first[made]
    yield from first
    while True:
        yield rng.choice(list(SERVE_EDITS))


def run_serve(seed: int, steps: int, workdir: Path, *, pages: int = 60, report: Callable[[str], None] = lambda line: None) -> list[str]:
    """Start ``serve`` on a reduced corpus version, then ``steps`` times: edit, wait for the
    rebuild, compare what it serves with a clean build.  Returns the edits; raises
    ``DifferentialFailure`` at the first difference."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    rng = random.Random(seed)
    tree = Tree(workdir / "tree", rng, pages)
    tree.add_version(BASE_VERSION, pages)
    history: list[str] = []
    with ServeProcess(tree.root, workdir / "tmp", "--version", BASE_VERSION) as server:
        server.built(1)
        known = set(clean_serve_build(tree.root, BASE_VERSION, workdir / "clean"))
        for step, kind in zip(range(1, steps + 1), serve_edit_plan(rng), strict=False):
            before = server.builds
            what = SERVE_EDITS[kind](tree) or edit_page_body(tree) or "nothing"
            history.append(what)
            report(f"seed {seed} step {step}: {what}")
            server.built(before + 1)
            clean = clean_serve_build(tree.root, BASE_VERSION, workdir / "clean")
            known |= clean.keys()
            found = differences(comparable(served(server, sorted(known))), comparable(clean))
            if found:
                raise serve_failure(seed, steps, pages, step, history, found)
    return history
