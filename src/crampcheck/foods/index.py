"""The word index of the generic food names that :class:`crampcheck.foods.search.FoodIndex`
ranks from: which foods have each word (postings), each word's rarity (idf), the number of
words of each name, the words that start a food's name (heads), category words, the food for
each lower-case name and the words by consonant skeleton (for misspellings).

Working this out from 13,500 names costs 0.15–0.3 s of every process that matches a food, so
``scripts/build_artefacts.py`` builds it once into :data:`ARTEFACT` (``foods/data/
search_index.npz``: a word list, postings as one array of food indices with start offsets,
idf as float64; and what ranking reads of each name, its ``FoodInfo``: 0.05–0.1 ms a food
the first time it is a candidate, most of the time of a new line) and :func:`word_index`
loads that in a few milliseconds. The artefact records
a digest of :data:`ARTEFACT_INPUTS` (the food table and the code that tokenises names); when
they have changed since the build, the index is built in-process as before (the same answer,
slower) and ``tests/test_artefacts.py`` fails until the artefact is rebuilt.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

ARTEFACT = "foods/data/search_index.npz"
#: what the index is worked out from: the names and sources of the food table, and the
#: tokenising (``singular``, stop words, class heads, source ranks) in ``search.py``
ARTEFACT_INPUTS = ("foods/data/generic.json", "foods/search.py", "foods/index.py")


@dataclass
class WordIndex:
    """What :class:`~crampcheck.foods.search.FoodIndex` keeps of the names' words."""

    postings: dict[str, list[int]]  # word -> indices of the foods whose name has it (sorted)
    n_words: list[int]  # per food: its name's distinct words, less stop words
    heads: set[str]  # words that start a food's name: nouns of foods
    categories: frozenset[str]  # one-word first segments of many names ("Bread, pita")
    by_name: dict[str, int]  # lower-case name -> food (the best-ranked source of that name)
    idf: dict[str, float]  # word -> log(1 + foods / foods with the word)
    vocabulary: list[str]  # every word, sorted
    skeletons: dict[str, list[str]]  # consonant skeleton -> words (4+ letters), sorted
    max_idf: float
    # food index -> its FoodInfo read from the artefact (None: worked out by search.food_info)
    food_info: Callable[[int], Any] | None = None


def build_word_index(names: list[str], sources: list[str]) -> WordIndex:
    """The index worked out from the names (in-process; ``scripts/build_artefacts.py`` stores
    its result)."""
    from .search import (
        _TOKEN,
        CATEGORY_NAMES,
        CLASS_HEADS,
        SOURCE_RANK,
        STOPWORDS,
        singular,
        skeleton,
    )

    n_words: list[int] = []
    heads: set[str] = set()
    postings: dict[str, list[int]] = defaultdict(list)
    # one-word first segments that begin many names are categories ("Bread, pita", "Melons,
    # cantaloupe"): the food's own name goes on into the second segment
    firsts: dict[str, int] = defaultdict(int)
    for i, name in enumerate(names):
        low = name.lower()
        toks = {singular(w) for w in _TOKEN.findall(low)}
        n_words.append(len(toks - STOPWORDS))
        head, _, rest = low.partition(",")
        first = [singular(w) for w in _TOKEN.findall(head)]
        heads.update(first[:1])
        if rest and len(first) == 1 and " " not in head.strip():
            firsts[first[0]] += 1
        if rest and set(first) <= CLASS_HEADS:
            heads.update(singular(w) for w in _TOKEN.findall(rest)[:1])
        for t in toks:
            postings[t].append(i)
    categories = frozenset(w for w, n in firsts.items() if n >= CATEGORY_NAMES)
    by_name: dict[str, int] = {}
    for i in sorted(range(len(names)), key=lambda j: SOURCE_RANK.get(sources[j], 9),
                    reverse=True):
        by_name[names[i].lower()] = i
    n = len(names)
    idf = {t: math.log(1 + n / len(p)) for t, p in postings.items()}
    vocabulary = sorted(postings)
    skeletons: dict[str, list[str]] = defaultdict(list)
    for w in vocabulary:
        if len(w) >= 4 and w.isalpha():
            skeletons[skeleton(w)].append(w)
    return WordIndex(postings, n_words, heads, categories, by_name, idf, vocabulary,
                     skeletons, math.log(1 + n))


def artefact_digest() -> str:
    """The digest of :data:`ARTEFACT_INPUTS` as they are now."""
    from ..artefacts import inputs_digest

    return inputs_digest(ARTEFACT_INPUTS)


def encode_info(infos: list[Any]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and meta for the :class:`~crampcheck.foods.search.FoodInfo` of every food: its
    word-set fields as, per food, each set's size and its words (ids into a word list), its
    true/false fields as bytes. ({}, {}) when a field is of another kind (then the ranking
    works them out per food as before)."""
    from ..artefacts import pack_lines

    if not infos:
        return {}, {}
    names = [f.name for f in fields(infos[0])]
    sets = [n for n in names if all(isinstance(getattr(x, n), frozenset) for x in infos)]
    flags = [n for n in names if all(isinstance(getattr(x, n), bool) for x in infos)]
    if len(sets) + len(flags) != len(names) or not all(
            isinstance(w, str) and "\n" not in w
            for x in infos for n in sets for w in getattr(x, n)):
        return {}, {}
    words = sorted({w for x in infos for n in sets for w in getattr(x, n)})
    ids = {w: k for k, w in enumerate(words)}
    flat: list[int] = []
    start = [0]
    for x in infos:
        for n in sets:
            group = sorted(ids[w] for w in getattr(x, n))
            flat.append(len(group))
            flat.extend(group)
        start.append(len(flat))
    dtype = np.uint16 if max(len(words), max(flat, default=0)) < 2 ** 16 else np.int32
    arrays = {"info_words": pack_lines(words), "info_ids": np.array(flat, dtype=dtype),
              "info_start": np.array(start, dtype=np.int64),
              "info_flags": np.array([[getattr(x, n) for n in flags] for x in infos],
                                     dtype=np.uint8).reshape(len(infos), len(flags))}
    return arrays, {"info_sets": sets, "info_flags": flags, "info_words": len(words)}


def decode_info(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Callable[[int], Any]:
    """``food_info(i)``: the FoodInfo of food ``i`` from :func:`encode_info`'s arrays."""
    from ..artefacts import unpack_lines
    from .search import FoodInfo

    words = unpack_lines(arrays["info_words"], meta["info_words"])
    ids, start, flags = arrays["info_ids"], arrays["info_start"].tolist(), arrays["info_flags"]
    sets, flag_names = meta["info_sets"], meta["info_flags"]

    empty: frozenset[str] = frozenset()
    new = object.__new__

    def food_info(i: int) -> FoodInfo:
        seg = ids[start[i]:start[i + 1]].tolist()
        kw: dict[str, Any] = {}
        k = 0
        for name in sets:
            n = seg[k]
            kw[name] = frozenset([words[j] for j in seg[k + 1:k + 1 + n]]) if n else empty
            k += 1 + n
        for name, value in zip(flag_names, flags[i].tolist(), strict=True):
            kw[name] = bool(value)
        # (the fields set directly: the frozen dataclass's __init__ sets them one by one)
        info = new(FoodInfo)
        info.__dict__.update(kw)
        return info

    return food_info


def encode(index: WordIndex, digest: str, n_foods: int,
           infos: list[Any] | None = None) -> dict[str, np.ndarray]:
    """The artefact's arrays for ``index`` (of ``n_foods`` names) and, when given, the
    FoodInfo of every food."""
    from ..artefacts import pack_lines, pack_meta
    from .search import skeleton

    info_arrays, info_meta = encode_info(infos or [])
    vocab = index.vocabulary
    lengths = [len(index.postings[w]) for w in vocab]
    eligible = {w for words in index.skeletons.values() for w in words}
    return {
        "vocabulary": pack_lines(vocab),
        "skeletons": pack_lines([skeleton(w) if w in eligible else "" for w in vocab]),
        "posting_start": np.cumsum([0] + lengths, dtype=np.int64),
        "posting_ids": np.array([i for w in vocab for i in index.postings[w]], dtype=np.int32),
        "idf": np.array([index.idf[w] for w in vocab], dtype=np.float64),
        "n_words": np.array(index.n_words, dtype=np.int32),
        "heads": pack_lines(sorted(index.heads)),
        "categories": pack_lines(sorted(index.categories)),
        "by_name": np.array(list(index.by_name.values()), dtype=np.int32),
        "meta": pack_meta({"digest": digest, "foods": n_foods, "words": len(vocab),
                           "heads": len(index.heads), "categories": len(index.categories),
                           "max_idf": index.max_idf, **info_meta}),
        **info_arrays,
    }


def decode(meta: dict[str, Any], arrays: dict[str, np.ndarray], names: list[str]) -> WordIndex:
    """The index from the artefact's arrays (``names``: the food table's names)."""
    from ..artefacts import unpack_lines

    vocab = unpack_lines(arrays["vocabulary"], meta["words"])
    skels = unpack_lines(arrays["skeletons"], meta["words"])
    start = arrays["posting_start"].tolist()
    ids = arrays["posting_ids"].tolist()
    postings: dict[str, list[int]] = defaultdict(list)
    skeletons: dict[str, list[str]] = defaultdict(list)
    for k, w in enumerate(vocab):
        postings[w] = ids[start[k]:start[k + 1]]
        if skels[k]:
            skeletons[skels[k]].append(w)
    idf = dict(zip(vocab, arrays["idf"].tolist(), strict=True))
    # (names hold no newline: lower-casing them joined is one call instead of 13,500)
    lower = "\n".join(names).lower().split("\n")
    by_name = {lower[i]: i for i in arrays["by_name"].tolist()}
    return WordIndex(postings, arrays["n_words"].tolist(),
                     set(unpack_lines(arrays["heads"], meta["heads"])),
                     frozenset(unpack_lines(arrays["categories"], meta["categories"])),
                     by_name, idf, vocab, skeletons, float(meta["max_idf"]),
                     decode_info(meta, arrays) if "info_ids" in arrays else None)


def load_artefact(names: list[str]) -> WordIndex | None:
    """The index from :data:`ARTEFACT`, or None when it is missing, was built from other
    inputs, or for another number of foods."""
    from ..artefacts import read_npz

    found = read_npz(ARTEFACT, artefact_digest())
    if found is None:
        return None
    meta, arrays = found
    if meta.get("foods") != len(names):
        return None
    return decode(meta, arrays, names)


def word_index(names: list[str], sources: list[str]) -> WordIndex:
    """The index of the food table's names: from the artefact when it is current, else
    worked out in-process."""
    return load_artefact(names) or build_word_index(names, sources)


def write_artefact() -> Any:
    """Build the index of the shipped food table and write :data:`ARTEFACT`
    (``scripts/build_artefacts.py``)."""
    from pathlib import Path

    from ..artefacts import package_root, write_npz
    from .search import food_info
    from .store import default_store

    store = default_store()
    index = build_word_index(store.names, store.sources)
    infos = [food_info(name, index.categories) for name in store.names]
    out = Path(str(package_root().joinpath(ARTEFACT)))
    write_npz(out, encode(index, artefact_digest(), len(store.names), infos))
    return out
