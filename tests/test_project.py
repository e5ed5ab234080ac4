"""The project's promises to learners and teachers: commands, pins, Binder, README."""
import re
import tomllib
from pathlib import Path

from conftest import load_tool

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["course"]


def pins(lines):
    return sorted(l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#"))


def test_requirements_are_fully_pinned():
    reqs = pins((ROOT / "requirements.txt").read_text().splitlines())
    assert len(reqs) > 50
    unpinned = [r for r in reqs if "==" not in r]
    assert not unpinned, f"unpinned requirements: {unpinned}"
    assert 'tensorflow-cpu==2.21.0 ; sys_platform == "linux" and platform_machine == "x86_64"' in reqs
    assert 'tensorflow==2.21.0 ; sys_platform != "linux" or platform_machine != "x86_64"' in reqs


def test_environment_yml_carries_the_same_pins():
    yml = (ROOT / "environment.yml").read_text().splitlines()
    assert "  - python=3.11" in yml
    start = yml.index("  - pip:")
    from_yml = pins(line.strip()[2:] for line in yml[start + 1:] if line.startswith("    - "))
    from_txt = pins((ROOT / "requirements.txt").read_text().splitlines())
    assert from_yml == from_txt, (
        "environment.yml and requirements.txt differ; run `make lock`. Only in yml: "
        f"{sorted(set(from_yml) - set(from_txt))}; only in txt: {sorted(set(from_txt) - set(from_yml))}")


def test_readme_badges_open_the_first_notebook():
    """The README's Colab and Binder badges are the first notebook's, built from one place."""
    links = load_tool("links")
    assert links.badges(CONFIG["first_notebook"]) in README
    binder_links = set(re.findall(r"https://mybinder\.org/v2/[^)\s]+", README))
    colab_links = set(re.findall(r"https://colab\.research\.google\.com/github/[^)\s]+", README))
    assert binder_links == {links.binder_url(CONFIG["first_notebook"])}
    assert colab_links == {links.colab_url(CONFIG["first_notebook"])}
    assert (ROOT / CONFIG["first_notebook"]).is_file()
    assert (ROOT / "postBuild").is_file()  # Binder installs course_utils with it


def test_bootstrap_cell_fetches_the_configured_repository_and_ref():
    cell = load_tool("links").bootstrap_source()
    assert f'"https://github.com/{CONFIG["repository"]}"' in cell and f'"--branch={CONFIG["ref"]}"' in cell
    assert "tools/install.py" in cell and (ROOT / "tools" / "install.py").is_file()
    compile(cell, "bootstrap", "exec")


def test_declared_ranges_contain_the_pins():
    """pyproject's ranges (what a hosted runtime may have) include requirements.txt's exact pins."""
    install = load_tool("install")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = dict(line.split(";")[0].strip().split("==") for line in
                  (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["tensorflow"]]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group()
        version = pinned.get(name) or pinned.get(f"{name}-cpu")
        assert version and install.in_range(version, requirement), f"{requirement} excludes the pinned {version}"


def test_readme_syllabus_lists_exactly_the_notebooks():
    rows = re.findall(r"^\| (\d\d) \| \[[^\]]+\]\((notebooks/[^)]+\.ipynb)\) \|", README, re.M)
    on_disk = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [path for _, path in rows] == on_disk, "README syllabus table and notebooks/ differ"
    assert all(path.startswith(f"notebooks/{num}_") for num, path in rows)


def test_readme_commands_are_what_ci_and_make_run():
    assert "make lab" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M), ".ci/run must run the README's `make test`"
    assert re.search(r"^export NBVAL=strict$", ci, re.M), "the project's CI compares every output"
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "tools/fingerprint.py nbval-flag" in test_recipe and "$$mode" in test_recipe
    assert "tests/sanitize.cfg" in test_recipe and "tests notebooks" in test_recipe
    lab_recipe = makefile.split("\nlab:")[1].split("\n\n")[0]
    assert "jupyter lab" in lab_recipe and CONFIG["first_notebook"] in lab_recipe


def test_bench_results_cover_every_notebook():
    """`make bench` records each notebook's time and memory; the file must not go stale."""
    results = (ROOT / "bench" / "results.md").read_text()
    rows = re.findall(r"^\| (\d\d_\w+\.ipynb) \| [\d.]+ \| (?:\d+|n/a) \| (?:yes|NO) \|$", results, re.M)
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert rows == on_disk, "bench/results.md is missing notebooks: run `make bench`"


def test_seed_results_cover_every_notebook():
    """`make seeds` ran every notebook under five or more seeds, and every claim held for each."""
    results = (ROOT / "bench" / "seeds.md").read_text()
    header = re.search(r"^\| notebook \|((?: seed \d+ \|)+) (?:wall time|time in its cells), all seeds \(s\) \|$",
                       results, re.M)
    assert header, "bench/seeds.md has no table header"
    seeds = re.findall(r"seed (\d+)", header.group(1))
    assert len(seeds) >= 5 and "0" in seeds, f"five or more seeds, 0 among them: {seeds}"
    rows = re.findall(r"^\| (\d\d_\w+\.ipynb) \|(.*)\| [\d.]+ \|$", results, re.M)
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [name for name, _ in rows] == on_disk, "bench/seeds.md is missing notebooks: run `make seeds`"
    for name, cells in rows:
        cells = [c.strip() for c in cells.split("|")]
        assert cells == ["pass"] * len(seeds), f"{name}: a claim fails under some seed: {cells}"


def test_check_and_seeds_use_nbvals_lax_mode():
    makefile = (ROOT / "Makefile").read_text()
    assert "--nbval-lax" in makefile.split("\ncheck:")[1].split("\n\n")[0]
    assert "tools/notebooks.py seeds $(NB) --seeds $(SEEDS)" in makefile.split("\nseeds:")[1].split("\n\n")[0]
    assert '"--nbval-lax"' in (ROOT / "tools" / "notebooks.py").read_text()
    assert "make check" in README and "make seeds" in README and "make compat" in README


def test_jupyterlab_settings_exist_and_are_installed_by_make_lab_and_binder():
    """Each override names a real setting of the pinned JupyterLab with a value its schema allows."""
    import json
    import sys
    overrides = json.loads((ROOT / "tools" / "jupyterlab-overrides.json").read_text())
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    for plugin, settings in overrides.items():
        package, name = plugin.rsplit(":", 1)
        schema = json.loads((schemas / package / f"{name}.json").read_text())["properties"]
        for key, value in settings.items():
            assert key in schema, f"{plugin} has no setting {key!r}"
            allowed = [c["const"] for c in schema[key].get("oneOf", [])] or None
            assert allowed is None or value in allowed, f"{plugin}:{key} = {value!r}, not one of {allowed}"
            assert value != schema[key]["default"], f"{plugin}:{key} repeats the default"
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert overrides["@jupyterlab/notebook-extension:tracker"]["kernelShutdown"] is True
    makefile = (ROOT / "Makefile").read_text()
    assert "tools/jupyterlab-overrides.json" in makefile and "$(LAB_SETTINGS)" in makefile.split("\nlab:")[1].split("\n")[0]
    assert "tools/jupyterlab-overrides.json" in (ROOT / "postBuild").read_text()
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the top-level files"
