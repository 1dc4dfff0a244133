"""The course site: what `nnmath build` writes, without a browser (see test_site_browser.py for that)."""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_support import built, code_listing, generated_pages, html_file

from derive.catalogue import entries
from nnmath import cli, records
from nnmath.render.site import katex
from nnmath.render.site.build import build_site
from nnmath.render.site.pages import by_entry
from nnmath.render.site.paths import CONFIG, DOCS, GENERATED, ROOT
from nnmath.render.site.render import Renderer, RenderFailed
from nnmath.topics.backpropagation.verification import BACKPROP_NETWORKS
from numeric import lookup


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_catalogue_entry_has_a_page_and_nothing_else_is_published():
    site = built().site
    pages = generated_pages()
    names = {e.name for e in entries()}
    assert set(by_entry(pages)) == names
    published = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    expected = {html_file(site, p).parent.relative_to(site).as_posix() for p in pages}
    expected |= {".", "notation"}
    assert published == expected  # no placeholder pages, no stray ones
    assert len(published) >= len(names) + 6


def test_no_page_shows_a_python_object_instead_of_a_value():
    """A record key that names a dict method (``values``, ``items``) prints ``<built-in method …>`` on the page."""
    report = built()
    for page in report.generated.pages:
        text = html_file(report.site, page).read_text(encoding="utf-8")
        assert not re.search(r"<built-in method|<bound method|<function |object at 0x", html.unescape(text)), page.path


def test_mkdocs_build_strict_has_no_warnings(tmp_path):
    built()  # the generated pages are in docs/
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(tmp_path / "out")],
        cwd=tmp_path,  # not the repository: nothing may depend on the working directory
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "ERROR" not in done.stderr, done.stderr
    assert (tmp_path / "out" / "probability" / "activations" / "sigmoid" / "index.html").is_file()


def test_every_internal_link_and_anchor_resolves():
    site = built().site
    checked = 0
    problems = []
    for page in sorted(site.rglob("*.html")):
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:", "javascript:")):
                problems.append(f"{page.relative_to(site)}: link to another host {link}")
                continue
            path = unquote(parts.path)
            base = site if path.startswith("/") else page.parent  # 404.html links from the site root
            target = (base / path.lstrip("/")).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(site)}: {link} → missing {target}")
                continue
            if parts.fragment and target.suffix == ".html" and parts.fragment not in _parse(target).ids:
                problems.append(f"{page.relative_to(site)}: {link} → no anchor #{parts.fragment}")
            checked += 1
    assert problems == []
    assert checked > 500


def test_code_listings_equal_the_generated_source():
    site = built().site
    for name, page in by_entry(generated_pages()).items():
        text = html_file(site, page).read_text(encoding="utf-8")
        fn = lookup(name)
        assert code_listing(text, f"numeric.{fn.function.__name__}") == fn.source
        assert code_listing(text, f"numeric.{fn.gradient.__name__}") == fn.gradient_source


def test_derivation_pages_show_plot_steps_identity_and_measured_errors():
    report = built()
    recs, _ = records.records()
    data = {"entries": recs["catalogue"]["entries"], "checks": recs["verification"]["checks"]}
    for name, page in by_entry(generated_pages()).items():
        text = html_file(report.site, page).read_text(encoding="utf-8")
        svg = report.site / page.path.replace(".md", ".svg")
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml"), name
        assert f'src="../{svg.name}"' in text, name
        for heading in ("Definition", "Plot", "Derivative", "Step by step", "Identity", "NumPy code", "Cross-check"):
            assert f">{heading}<" in text, (name, heading)
        assert text.count('class="arithmatex"') >= 4, name
        # every derivation is an aligned display (a long formula broken over lines is one more)
        assert text.count(r"\begin{aligned}") >= len(data["entries"][name]["derivations"]), name
        check = data["checks"][name]
        assert f"<td>{check['fd']}</td>" in text and f"<td>{check['autodiff']}</td>" in text, name
        assert ("Proven by SymPy" in text) == bool(data["entries"][name]["identity"]), name


def test_verification_page_lists_every_entry_and_the_backprop_checks():
    site = built().site
    text = (site / "verification" / "index.html").read_text(encoding="utf-8")
    cross_check, heading, extreme = text.partition('id="extreme-values"')
    assert heading, "the verification page has no extreme-value table"
    rows = re.findall(r"<tr>\s*<td><a href=\"([^\"]+)\"", cross_check)
    assert len(rows) == len(entries())
    assert cross_check.count("<td>pass</td>") == len(entries())
    assert cross_check.count("<td>exact</td>") == len(BACKPROP_NETWORKS)
    assert extreme.count("<td>pass</td>") == 2 * len(entries())  # every function and its gradient
    assert "FAIL" not in text


def test_derivatives_table_has_one_row_per_entry_even_with_absolute_values():
    text = (built().site / "calculus" / "derivatives" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<td><a href=\"[^\"]+\">[^<]+</a></td>\s*<td>(.*?)</td>\s*</tr>", text, flags=re.S)
    assert len(rows) == len(entries())
    assert any(r"\vert" in row for row in rows)  # |…| written as \vert, so the pipe did not split the cell


def test_a_template_error_is_one_line_naming_the_template(tmp_path):
    (tmp_path / "entry.md.j2").write_text("# {{ page.title }}\n\n{{ e.no_such_field }}\n")
    pages = [p for p in generated_pages() if p.entry == entries()[0].name]
    data, _ = records.records()
    with pytest.raises(RenderFailed, match=r"at entry\.md\.j2:3: UndefinedError: .*no_such_field"):
        Renderer(pages, data, templates=tmp_path).render(pages[0])


def test_worked_example_page_shows_every_step():
    text = (built().site / "calculus" / "worked-example" / "index.html").read_text(encoding="utf-8")
    for label in ("BP1, output error", "BP2, hidden error", "BP4, hidden layer", "First layer", "Second layer"):
        assert label in text
    assert r"\frac{151}{400}" in text  # z¹, exact
    assert text.count(r"\approx") == 13


def test_backpropagation_page_links_the_entries_of_each_verified_network():
    text = (built().site / "calculus" / "backpropagation" / "index.html").read_text(encoding="utf-8")
    assert text.count("<td>exact</td>") == len(BACKPROP_NETWORKS)
    for _, hidden, output, loss in BACKPROP_NETWORKS:
        for folder, name in (("activations", hidden), ("activations", output), ("losses", loss)):
            assert f'href="../../probability/{folder}/{name.replace("_", "-")}/"' in text


def test_backpropagation_page_says_bp1_comes_in_two_forms():
    """BP1 is shown in its general (Jacobian) form and its ⊙ form; the text says so, not just "four equations"."""
    text = (built().site / "calculus" / "backpropagation" / "index.html").read_text(encoding="utf-8")
    assert "BP1 is given in two forms" in text and "BP1 in general" in text


def test_chain_rule_page_shows_the_derivation_line_by_line():
    from derive.printing.breaking import fit
    from nnmath.topics.backpropagation.formulas import chain_rule

    built()
    text = (DOCS / "calculus" / "chain-rule.md").read_text(encoding="utf-8")
    display = chain_rule()["derivation"]["display"]
    assert r"&& \text{(chain rule)}" in display
    assert f"$$\n{fit(display)}\n$$" in text  # broken to fit the page


def test_build_is_deterministic_and_the_rebuild_is_warm(tmp_path):
    first = built()
    second = build_site(tmp_path / "site", progress=False)
    assert second.generated.from_cache
    assert second.generated.written == 0
    assert tree_digest(first.site) == tree_digest(second.site)
    assert "warm: every record from the cache" in second.summary()


def _broken() -> dict:
    raise RuntimeError("simulated failure\nsecond line")


def test_a_failing_derivation_leaves_the_site_intact(monkeypatch, capsys):
    import dataclasses

    import nnmath.topics

    site = built().site
    before = tree_digest(site)
    broken = [dataclasses.replace(t, present=_broken) if t.name == "catalogue" else t for t in nnmath.topics.TOPICS]
    monkeypatch.setattr(nnmath.topics, "TOPICS", broken)
    status = cli.main(["build", "--site-dir", str(site), "--no-cache"])
    err = capsys.readouterr().err
    assert status != 0
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip() and "deriving" not in line]
    assert lines == ["nnmath: error: catalogue failed: RuntimeError: simulated failure"]
    assert "Traceback" not in err
    assert tree_digest(site) == before
    assert not list(site.parent.glob(".site.*"))  # no temporary build left behind


def test_a_cached_record_follows_the_files_its_topic_read_not_the_templates(monkeypatch, tmp_path):
    from nnmath.topics import catalogue

    read = "derive/catalogue/activations.py"
    (tmp_path / "derive" / "catalogue").mkdir(parents=True)
    shutil.copy2(ROOT / read, tmp_path / read)
    monkeypatch.setattr(records, "ROOT", tmp_path)
    monkeypatch.setattr(records, "CACHE", tmp_path / "cache")
    records.save(catalogue.TOPIC, records.Computed({}, {read: records._digest(tmp_path / read)}, records.versions(), 0))
    (tmp_path / "templates" / "site").mkdir(parents=True)
    (tmp_path / "templates" / "site" / "entry.md.j2").write_text("edited\n")
    assert records.load(catalogue.TOPIC) is not None
    with (tmp_path / read).open("a") as f:
        f.write("\n# edited\n")
    assert records.load(catalogue.TOPIC) is None


def test_the_records_name_exactly_the_files_their_topic_read():
    recs, _ = records.records()
    files = records.load(__import__("nnmath.topics.convolution", fromlist=["TOPIC"]).TOPIC).files
    assert "derive/topics/convolution.py" in files and "nnmath/topics/convolution/record.py" in files
    # another topic's derivations and measurements are not among them (its declaration, __init__.py, is)
    other = [f for f in files if "/neurons/" in f and not f.endswith("/__init__.py")]
    assert not other, other


def test_no_record_depends_on_the_registry_or_the_records_machinery():
    from nnmath.topics import TOPICS

    records.records(progress=False)
    for topic in TOPICS:
        files = records.load(topic).files
        assert not set(records.MACHINERY) & set(files), topic.name
        assert "nnmath/render/site/build.py" not in files and "nnmath/cli.py" not in files, topic.name


def test_the_topics_start_longest_first():
    from nnmath.topics import TOPICS

    order = records.longest_first(TOPICS)
    expected = [records.expected_seconds(t) for t in order]
    assert sorted(order, key=lambda t: t.name) == sorted(TOPICS, key=lambda t: t.name)
    assert expected == sorted(expected, reverse=True)


def test_the_topics_named_first_start_first_and_each_record_is_handed_over_as_it_arrives():
    from nnmath.topics import topic

    arrivals = []
    topics = [topic("backpropagation"), topic("worked_example")]  # backpropagation is the longer one
    done = records.compute(
        topics, workers=1, progress=False, first={"worked_example"}, arrived=lambda *a: arrivals.append(a)
    )
    assert [name for name, _ in arrivals] == ["worked_example", "backpropagation"]
    assert all(record == done[name].record for name, record in arrivals)


def test_start_early_hands_the_cached_records_it_checked_to_records():
    from nnmath.topics import NAMES

    records.records(progress=False)  # every record cached: no fork server is started
    assert records.start_early(NAMES) is False
    assert sorted(records._CHECKED) == sorted(NAMES)
    recs, computed = records.records(progress=False)
    assert not computed and sorted(recs) == sorted(NAMES) and not records._CHECKED


def test_build_profile_prints_a_row_per_topic_and_the_stages(tmp_path, capsys):
    from nnmath.topics import TOPICS

    built()  # the records are in the cache: every row says "cached"
    assert cli.main(["build", "--site-dir", str(tmp_path / "site"), "--profile"]) == 0
    out = capsys.readouterr().out.splitlines()
    header = out.index(next(line for line in out if line.startswith("topic ")))
    assert out[header].split() == ["topic", "seconds", "cpu", "record", "process"]
    rows = [line.split() for line in out[header + 1 : header + 1 + len(TOPICS)]]
    assert sorted(r[0] for r in rows) == sorted(t.name for t in TOPICS)
    assert all(r[3] == "cached" and float(r[1]) >= 0 and float(r[2]) >= 0 and r[4].isdigit() for r in rows)
    seconds = [float(r[1]) for r in rows]
    assert seconds == sorted(seconds, reverse=True)  # longest first
    assert out[header + 1 + len(TOPICS)].split()[0] == "(sum)"
    stages = [line.split()[0] for line in out[out.index(next(line for line in out if line.startswith("stage "))) :]]
    assert stages == ["stage", "records", "render", "site", "total"]


def test_generated_files_are_ignored_by_git_and_katex_is_not_in_the_repository():
    written = [p for g in GENERATED for p in ([DOCS / g] if (DOCS / g).is_file() else (DOCS / g).rglob("*"))]
    assert written, "the build wrote no generated files"
    rel = [p.relative_to(ROOT).as_posix() for p in written if p.is_file()]
    done = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--stdin"], input="\n".join(rel), capture_output=True, text=True
    )
    assert sorted(done.stdout.split()) == sorted(rel)
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True).stdout
    assert "katex.min" not in tracked
    assert not list(ROOT.glob("docs/**/katex.min.*"))
    site = built().site
    for uri, _ in katex.assets(katex.folder()):
        assert (site / uri).is_file(), uri


def test_every_episode_page_shows_questions_objectives_minutes_and_keypoints():
    from nnmath.topics.workshop.episodes import EPISODES

    site = built().site
    for e in EPISODES:
        text = html_file(site, e.page_path).read_text(encoding="utf-8")
        for label in ("Questions", "Objectives", "Keypoints"):
            assert f'<p class="admonition-title">{label}</p>' in text, (e.id, label)
        assert f"<strong>Teaching:</strong> {e.teaching_minutes} min" in text, e.id
        assert f"<strong>Exercises:</strong> {e.exercise_minutes} min" in text, e.id
        assert all(o.replace("'", "&#x27;") in text or o in text for o in e.objectives[:1]), e.id
        assert '<img alt="' in text and ".svg" in text, e.id  # at least one figure
        # challenges collapsed (<details> without "open"), each with a nested, collapsed solution
        challenges = re.findall(r'<details class="question"( open)?>', text)
        solutions = re.findall(r'<details class="success"( open)?>', text)
        if e.id != "discussion" or challenges:
            assert 1 <= len(challenges) <= 3 and challenges.count(" open") == 0, e.id
            assert len(solutions) == len(challenges) and solutions.count(" open") == 0, e.id


def test_the_workshop_section_is_first_and_hyperparameter_is_on_the_site():
    site = built().site
    index = (site / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<label class="md-nav__link" for="__nav_\d+"[^>]*>(.*?)</label>', index, re.S)
    sections = [re.sub(r"<[^>]+>|\s+", " ", label).strip() for label in labels]
    assert sections and sections[0] == "Workshop", sections[:3]
    hyper = html_file(site, "workshop/06-hyperparameters.md").read_text(encoding="utf-8")
    assert "Hyperparameter" in hyper and "validation" in hyper
    # The recipe search is an HTML table (no longer an image): the header and every lever's values, as recorded
    from nnmath.topics.workshop import tuning

    tables = re.findall(r"<table>.*?</table>", hyper, re.S)
    recipe = next(t for t in tables if "values tried" in t)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", recipe, re.S)]
    assert cells[:3] == ["lever", "values tried: mean validation accuracy, seeds 0–4", "kept"]
    search = tuning.recipe_search()
    assert len(cells) == 3 * (1 + len(search["stages"]))
    for stage, row in zip(search["stages"], range(1, len(search["stages"]) + 1), strict=True):
        assert cells[3 * row] == stage["title"]
        for tried in stage["rows"]:
            assert f"{tried['val_mean']:.2%}" in cells[3 * row + 1], (stage["title"], tried["value"])
    assert "How the digits recipe was found" not in hyper  # the old matplotlib table's title


def test_the_trainer_step_page_shows_the_generated_step():
    """The page "What the trainer runs" shows the fused step exactly as numeric/_generated/steps.py has it, with the
    equations it prints and every fused configuration."""
    import inspect

    import numeric
    from derive.topics import fused_step

    text = (built().site / "optimisation" / "trainer-step" / "index.html").read_text(encoding="utf-8")
    name = "relu_categorical_cross_entropy_logits_adam_step"
    listing = code_listing(text, f"numeric.{name}")
    assert listing == inspect.getsource(getattr(numeric, name))
    for label in ("# BP1", "# BP2", "# BP3", "# BP4", "# dense layer", "# adam: v ← "):
        assert label in listing, label
    assert r"\Delta^{\top} A" in text and "a \\left(1 - a\\right)" in text  # BP4 and σ′ from the forward σ
    # One convention (samples as rows), stated once; the docstring, bullets and comments written as the textbook does
    assert "Convention on this page: one row per sample" in text
    assert r"$$\text{dense}: Z = A W^{\top} + 1 b^{\top}$$" in listing
    bullets = html.unescape(text.split('id="the-step-for')[0])  # the page above the listing: KaTeX's TeX source
    assert r"Z = A W^{\top} + 1 b^{\top}" in bullets and r"\Delta^{\top} 1" in bullets
    assert "# dense layer: Z = A Wᵀ" in listing and "+ 1 bᵀ (the bias in every row)" in listing
    assert "# BP2: ⊙ relu′(Z) = 1[z > 0]" in listing
    assert "Piecewise" not in listing and "b^{T} + A^{T}" not in text
    for configuration in fused_step.configurations():
        assert f"<code>{fused_step.step_name(*configuration)}</code>" in text
