"""Offline ICD-10-CM lookup and search for choosing a diagnosis.

Pure Python, no database, no network: the data is the CMS tabular list bundled with the
`simple_icd_10_cm` package. Search returns billable codes only (leaves of the tabular list),
because a category such as F32 is not valid on a claim. `describe` and `is_valid_code` accept
any category or subcategory, billable or not, so a broader code such as F32 still resolves.
Chapters ("5") and blocks ("F30-F39") are groupings of codes, not codes, and are rejected.
Only the bundled release is known: a code retired in an earlier release is not valid here.
"""

from __future__ import annotations

import importlib.metadata
import re
import unicodedata
import warnings
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from heapq import nsmallest
from itertools import accumulate, chain
from types import ModuleType
from typing import Final

# "F3", "F32", "f32.", "F321", "F32.1", "T74.11XA": a letter, a digit, then up to five more
# characters with the dot (if any) after the third.
_CODE_SHAPE: Final = re.compile(r"[A-Z][0-9](?:[0-9A-Z](?:\.?[0-9A-Z]{1,4})?\.?)?")
_APOSTROPHES: Final = re.compile(r"['\N{RIGHT SINGLE QUOTATION MARK}]")
_NON_WORD: Final = re.compile(r"[\W_]+")
# Sorts after any character a folded word can hold, so [word, word + it) is a prefix range.
_PREFIX_END: Final = "\U0010ffff"
# Each record in _Index.text starts with this; it never occurs inside a folded description.
_RECORD_START: Final = "\n"
# Below this many candidate postings, checking candidates one by one beats scanning all text.
_FEW_CANDIDATES: Final = 2000
_INTERSECT_RATIO: Final = 10
# The package ships the CMS tabular list as e.g. "icd10c-tabular-April-1-2026.xml".
_TABULAR_FILE: Final = re.compile(r"icd10c-tabular-([A-Za-z]+)-(\d{1,2})-(\d{4})\.xml$")


@dataclass(frozen=True, slots=True)
class CodeMatch:
    """One ICD-10-CM code with its tabular-list description."""

    code: str
    description: str
    is_billable: bool


@dataclass(frozen=True, slots=True)
class _Index:
    """Billable codes ("records") numbered in rank order, with lookups over them.

    Rank order is (priority tier, number of words, description length, tabular order), so
    whatever meets records in ascending number meets better matches first.
    """

    codes: tuple[str, ...]
    # "\n" + folded description of every record, then a closing "\n".
    text: str
    # Offset of each record's "\n" in text, plus one for the closing "\n".
    starts: array[int]
    # Record ranges [first, end): F01-F99 and Z55-Z65, then everything else.
    tiers: tuple[tuple[int, int], ...]
    tabular_positions: array[int]
    # Record numbers sorted by code and by folded description, for prefix lookups.
    by_code: array[int]
    by_description: array[int]
    # Every folded description word, sorted; postings[i] lists (ascending) the records
    # containing vocabulary[i]; posting_totals is their running total length.
    vocabulary: tuple[str, ...]
    postings: tuple[array[int], ...]
    posting_totals: array[int]

    def posting_count(self, words: tuple[int, int]) -> int:
        """How many postings the vocabulary range [first, end) holds, in constant time."""
        return self.posting_totals[words[1]] - self.posting_totals[words[0]]

    def folded(self, record: int) -> str:
        """The record's description as search sees it: lower case, words split by spaces."""
        return self.text[self.starts[record] + len(_RECORD_START) : self.starts[record + 1]]


def normalize_code(text: str) -> str:
    """Spell `text` as the tabular list does: upper case, dot after the third character.

    Formatting only ("f321" becomes "F32.1"); whether the code exists is `is_valid_code`'s job.
    """
    compact = "".join(text.split()).replace(".", "").upper()
    if len(compact) > 3:
        return f"{compact[:3]}.{compact[3:]}"
    return compact


def is_valid_code(code: str) -> bool:
    """Whether `code` is an ICD-10-CM category or subcategory, billable or not.

    Accepts any spelling `normalize_code` accepts ("f321"); chapters and blocks are not codes.
    """
    normalized = normalize_code(code)
    icd = _classification()
    return bool(icd.is_valid_item(normalized) and icd.is_category_or_subcategory(normalized))


def describe(code: str) -> str:
    """Return the tabular-list description of `code`, billable or not.

    Raises LookupError if `code` is not an ICD-10-CM category or subcategory.
    """
    normalized = normalize_code(code)
    if not is_valid_code(normalized):
        raise LookupError(f"{code!r} is not an ICD-10-CM code")
    return _display(_classification().get_description(normalized))


@cache
def code_set_version() -> str:
    """The release of the bundled code set, e.g. "ICD-10-CM April 1, 2026 update".

    Read from the name of the CMS tabular file the package ships (without loading it), so a
    diagnosis records exactly which release its code and description came from.
    """
    for path in importlib.metadata.files("simple_icd_10_cm") or ():
        match = _TABULAR_FILE.search(path.name)
        if match:
            month, day, year = match.groups()
            return f"ICD-10-CM {month} {int(day)}, {year} update"
    raise LookupError("The simple_icd_10_cm package ships no tabular list.")


def search(query: str, *, limit: int = 20) -> list[CodeMatch]:
    """Return up to `limit` billable codes for a code prefix or for words of a description.

    A code-shaped query ("F32", "f32.1", "Z59") lists the billable codes starting with it in
    tabular order. Any other query, or a code-shaped one no code starts with ("B12"), is a word
    search: every query word must begin a word of the description, in any order; case, accents
    and punctuation are ignored. F01-F99 and Z55-Z65 come before all other codes; within each
    tier an exact description ranks first, then one starting with the query as a phrase, then
    one containing the phrase, then one with the words apart; ties go to fewer words, then a
    shorter description, then tabular order. A blank query returns [].
    """
    if limit < 1:
        return []
    stripped = query.strip()
    if not stripped:
        return []
    index = _index()
    records: list[int] = []
    if _CODE_SHAPE.fullmatch(stripped.upper()):
        records = _records_under_code(index, normalize_code(stripped), limit)
    if not records:
        records = _records_matching_words(index, _words(stripped), limit)
    icd = _classification()
    return [
        CodeMatch(
            code=index.codes[record],
            description=_display(icd.get_description(index.codes[record])),
            is_billable=True,
        )
        for record in records
    ]


@cache
def _classification() -> ModuleType:
    # Importing the package parses its 10 MB tabular XML (about 3 s and 150 MB), so it waits
    # for the first lookup instead of slowing every process that imports this module.
    with warnings.catch_warnings():
        # The package reads its data with importlib.resources.read_text, deprecated on
        # Python 3.12; nothing the caller can act on.
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm
    return simple_icd_10_cm


def _display(description: str) -> str:
    # Some descriptions carry stray tabs ("involvement/\tadvanced dry stage", H35.3113).
    return " ".join(description.split())


def _words(text: str) -> list[str]:
    # Folding lets "sezary" find "Sézary", "alzheimers" find "Alzheimer's" and "hodgkin"
    # find "non-Hodgkin".
    folded = text.casefold()
    if not folded.isascii():  # rare, and the per-character pass dominates index build time
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", folded)).split()


def _is_priority(code: str) -> bool:
    # Chapter 5 (mental, behavioral and neurodevelopmental disorders, F01-F99) and the social
    # determinants of health (Z55-Z65) are what a therapist codes most.
    return code.startswith("F") or "Z55" <= code[:3] <= "Z65"


@cache
def _index() -> _Index:
    icd = _classification()
    ranked: list[tuple[tuple[int, int, int, int], str, str]] = []
    seen: set[str] = set()
    for position, code in enumerate(icd.get_all_codes()):
        # A block holding a single category shares its name (F99 is both), so names repeat.
        if code in seen or not icd.is_category_or_subcategory(code) or not icd.is_leaf(code):
            continue
        seen.add(code)
        folded = " ".join(_words(icd.get_description(code)))
        tier = 0 if _is_priority(code) else 1
        ranked.append(((tier, folded.count(" ") + 1, len(folded), position), code, folded))
    ranked.sort()

    codes = tuple(code for _, code, _ in ranked)
    descriptions = [folded for _, _, folded in ranked]
    starts = array("I", accumulate((len(_RECORD_START) + len(d) for d in descriptions), initial=0))
    word_records: defaultdict[str, array[int]] = defaultdict(lambda: array("I"))
    for record, description in enumerate(descriptions):
        for word in set(description.split()):
            word_records[word].append(record)
    vocabulary = tuple(sorted(word_records))
    postings = tuple(word_records[word] for word in vocabulary)
    priority_count = sum(1 for rank, _, _ in ranked if rank[0] == 0)
    return _Index(
        codes=codes,
        text=_RECORD_START + _RECORD_START.join(descriptions) + _RECORD_START,
        starts=starts,
        tiers=((0, priority_count), (priority_count, len(codes))),
        tabular_positions=array("I", (rank[3] for rank, _, _ in ranked)),
        by_code=array("I", sorted(range(len(codes)), key=codes.__getitem__)),
        by_description=array("I", sorted(range(len(codes)), key=descriptions.__getitem__)),
        vocabulary=vocabulary,
        postings=postings,
        posting_totals=array("I", accumulate((len(posting) for posting in postings), initial=0)),
    )


def _records_under_code(index: _Index, prefix: str, limit: int) -> list[int]:
    codes = index.codes
    first = bisect_left(index.by_code, prefix, key=codes.__getitem__)
    end = bisect_left(index.by_code, prefix + _PREFIX_END, key=codes.__getitem__)
    # Tabular order is not quite alphabetical (C96.Z comes before C96.9).
    return nsmallest(limit, index.by_code[first:end], key=index.tabular_positions.__getitem__)


def _records_matching_words(index: _Index, tokens: list[str], limit: int) -> list[int]:
    if not tokens:
        return []
    vocabulary = index.vocabulary
    word_ranges = sorted(
        (
            (bisect_left(vocabulary, token), bisect_left(vocabulary, token + _PREFIX_END))
            for token in tokens
        ),
        key=index.posting_count,
    )
    # Every token must begin some word, so the token beginning the fewest words bounds the
    # candidates, and one beginning none means no match at all.
    rarest = word_ranges[0]
    if rarest[0] == rarest[1]:
        return []

    phrase = " ".join(tokens)
    by_description = index.by_description
    first = bisect_left(by_description, phrase, key=index.folded)
    exact_end = bisect_right(by_description, phrase, lo=first, key=index.folded)
    end = bisect_left(by_description, phrase + _PREFIX_END, lo=exact_end, key=index.folded)
    exact = sorted(by_description[first:exact_end])
    starting = sorted(by_description[first:end])
    phrase_needle = " " + phrase
    word_needles = [" " + token for token in tokens]
    has_few_candidates = index.posting_count(rarest) <= _FEW_CANDIDATES

    found: list[int] = []
    for tier_first, tier_end in index.tiers:
        # Best kind of match first, each kind in rank order: the whole description, its
        # start, a phrase inside it, then the words apart.
        kinds: list[Iterable[int]] = [
            _within(exact, tier_first, tier_end),
            _within(starting, tier_first, tier_end),
            _records_containing(index, [rarest], [phrase_needle], tier_first, tier_end)
            if has_few_candidates
            else _records_with_phrase(index, phrase_needle, tier_first, tier_end),
        ]
        if len(tokens) > 1:
            kinds.append(
                _records_containing(index, word_ranges, word_needles, tier_first, tier_end)
            )
        seen: set[int] = set()
        for record in chain.from_iterable(kinds):
            if record in seen:
                continue
            seen.add(record)
            found.append(record)
            if len(found) == limit:
                return found
    return found


def _within(records: list[int], first: int, end: int) -> list[int]:
    return records[bisect_left(records, first) : bisect_left(records, end)]


def _records_with_phrase(index: _Index, needle: str, first: int, end: int) -> Iterator[int]:
    # str.find walks the text in rank order at C speed, so the first hits are the best ones
    # and a common phrase costs only as many hits as the caller takes.
    text, starts = index.text, index.starts
    stop = starts[end]
    position = text.find(needle, starts[first], stop)
    while position != -1:
        record = bisect_right(starts, position) - 1
        yield record
        position = text.find(needle, starts[record + 1], stop)


def _records_containing(
    index: _Index, word_ranges: list[tuple[int, int]], needles: list[str], first: int, end: int
) -> Iterator[int]:
    """Records in [first, end) with a word from each of word_ranges (rarest first) whose
    text holds every needle, in rank order."""
    candidates = _records_with_word(index, word_ranges[0], first, end)
    for word_range in word_ranges[1:]:
        # A set intersection runs in C and beats checking candidates one by one in Python,
        # unless the other set is much bigger than the candidates.
        if index.posting_count(word_range) > _INTERSECT_RATIO * len(candidates):
            break
        candidates &= _records_with_word(index, word_range, first, end)
    for record in sorted(candidates):
        words = " " + index.folded(record)
        if all(needle in words for needle in needles):
            yield record


def _records_with_word(
    index: _Index, word_range: tuple[int, int], first: int, end: int
) -> set[int]:
    records: set[int] = set()
    for posting in index.postings[word_range[0] : word_range[1]]:
        records.update(posting[bisect_left(posting, first) : bisect_left(posting, end)])
    return records
