"""The project's promises to learners and teachers: commands, pins, Binder, README."""
import re
import tomllib
from pathlib import Path

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


def test_binder_badge_and_link_open_the_first_notebook():
    link = (f"https://mybinder.org/v2/gh/{CONFIG['repository']}/HEAD"
            f"?urlpath=lab/tree/{CONFIG['first_notebook']}")
    assert f"[![Binder](https://mybinder.org/badge_logo.svg)]({link})" in README
    binder_links = re.findall(r"https://mybinder\.org/v2/[^)\s]+", README)
    assert binder_links and set(binder_links) == {link}
    assert (ROOT / CONFIG["first_notebook"]).is_file()
    assert (ROOT / "postBuild").is_file()  # Binder installs course_utils with it


def test_readme_syllabus_lists_exactly_the_notebooks():
    rows = re.findall(r"^\| (\d\d) \| \[[^\]]+\]\((notebooks/[^)]+\.ipynb)\) \|", README, re.M)
    on_disk = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [path for _, path in rows] == on_disk, "README syllabus table and notebooks/ differ"
    assert all(path.startswith(f"notebooks/{num}_") for num, path in rows)


def test_readme_commands_are_what_ci_and_make_run():
    assert "make lab" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M), ".ci/run must run the README's `make test`"
    makefile = (ROOT / "Makefile").read_text()
    test_recipe = makefile.split("\ntest:")[1].split("\n\n")[0]
    assert "--nbval " in test_recipe and "tests/sanitize.cfg" in test_recipe and "notebooks" in test_recipe
    lab_recipe = makefile.split("\nlab:")[1].split("\n\n")[0]
    assert "jupyter lab" in lab_recipe and CONFIG["first_notebook"] in lab_recipe


def test_bench_results_cover_every_notebook():
    """`make bench` records each notebook's time and memory; the file must not go stale."""
    results = (ROOT / "bench" / "results.md").read_text()
    rows = re.findall(r"^\| (\d\d_\w+\.ipynb) \| [\d.]+ \| (?:\d+|n/a) \| (?:yes|NO) \|$", results, re.M)
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert rows == on_disk, "bench/results.md is missing notebooks: run `make bench`"


def test_seed_results_cover_every_notebook():
    """`make seeds` ran every notebook under COURSE_SEED 0-4, and every claim held for every seed."""
    results = (ROOT / "bench" / "seeds.md").read_text()
    header = "| notebook | seed 0 | seed 1 | seed 2 | seed 3 | seed 4 | wall time, all seeds (s) |"
    assert header in results
    rows = re.findall(r"^\| (\d\d_\w+\.ipynb) \|(.*)\| [\d.]+ \|$", results, re.M)
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [name for name, _ in rows] == on_disk, "bench/seeds.md is missing notebooks: run `make seeds`"
    for name, cells in rows:
        cells = [c.strip() for c in cells.split("|")]
        assert cells == ["pass"] * 5, f"{name}: a claim fails under some seed: {cells}"


def test_a_command_checks_asserts_without_comparing_outputs():
    makefile = (ROOT / "Makefile").read_text()
    assert "tools/notebooks.py check" in makefile.split("\ncheck:")[1].split("\n\n")[0]
    assert "tools/notebooks.py seeds" in makefile.split("\nseeds:")[1].split("\n\n")[0]
    assert "make check" in README and "make seeds" in README


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
