"""Type-ahead search over a reference list (offences, courts, ...), fast enough per keystroke.

Every row gets a lower-case haystack " code word word ..." built once, so "does a token
match the start of some word" is the substring test `" " + token in haystack`. Rows are
kept pre-sorted by the tie-break order (shorter label, then alphabetical, then input
order), so every list of row numbers is already in display order within a rank.

While a user types, each new query usually extends the last one, and then only the
rows that matched before can match now: recent candidate sets are remembered and a new
query narrows from the longest remembered query it starts with (backspacing finds its
earlier answer again). Ranking a large candidate set walks precomputed "code starts
with" and "label starts with" lists and stops once it has `limit` rows, instead of
classifying every candidate.
"""

from __future__ import annotations

import heapq
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["SearchEntry", "TypeAheadIndex", "tokenise"]

# Punctuation is ignored: "s.1(1)" and "49/01" split into words.
_WORD = re.compile(r"[^\W_]+")

# Enough remembered queries to cover a typed phrase and backspacing through it.
_REMEMBERED_QUERIES = 64


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """One row a type-ahead field can offer: its code, what staff read, and extra words."""

    code: str
    label: str
    keywords: str = ""


def tokenise(text: str) -> list[str]:
    """Split text into lower-case words, ignoring punctuation."""
    return _WORD.findall(text.casefold())


def _merged(lists: Iterable[list[int]]) -> Iterator[int]:
    """Ascending row numbers from several ascending lists (duplicates possible)."""
    present = [rows for rows in lists if rows]
    if len(present) == 1:
        return iter(present[0])
    return heapq.merge(*present)


def _add_prefixes(table: defaultdict[str, list[int]], word: str, row: int) -> None:
    for end in range(1, len(word) + 1):
        table[word[:end]].append(row)


class TypeAheadIndex:
    """Answers "which rows match what has been typed so far", best first.

    Ranks: the code typed exactly, then codes starting with a typed word, then labels
    whose first word starts with the first typed word, then every other match. Within
    a rank: shorter label, then alphabetical, then the order given.
    """

    # Below this many candidates, classifying each one is cheaper than walking lists.
    classify_below = 1500

    def __init__(self, entries: Iterable[SearchEntry]) -> None:
        given = list(entries)
        order = sorted(
            range(len(given)),
            key=lambda i: (len(given[i].label), given[i].label.casefold(), i),
        )
        self._entries: list[SearchEntry] = [given[i] for i in order]
        self._codes: list[str] = []
        self._first_words: list[str] = []
        self._haystacks: list[str] = []
        # Row numbers (ascending) by exact code, by code prefix, by label-first-word prefix.
        self._by_code: defaultdict[str, list[int]] = defaultdict(list)
        self._by_code_prefix: defaultdict[str, list[int]] = defaultdict(list)
        self._by_first_word_prefix: defaultdict[str, list[int]] = defaultdict(list)
        # Row numbers (ascending) having a word that starts with these 1 or 2 characters:
        # the first keystrokes match most rows, so scanning for them is the slowest part.
        self._by_short_prefix: defaultdict[str, list[int]] = defaultdict(list)
        for row, entry in enumerate(self._entries):
            code_words = tokenise(entry.code)
            code_key = "".join(code_words)
            label_words = tokenise(entry.label)
            first_word = label_words[0] if label_words else ""
            # "49/01" is findable as "4901" and as "49 01".
            words = [code_key, *(code_words if len(code_words) > 1 else []), *label_words]
            words.extend(tokenise(entry.keywords))
            # Repeated words (the wording often repeats the label) only lengthen the scan.
            words = list(dict.fromkeys(words))
            self._codes.append(code_key)
            self._first_words.append(first_word)
            self._haystacks.append(" " + " ".join(words))
            by_short_prefix = self._by_short_prefix
            for short in {word[:2] for word in words} | {word[:1] for word in words}:
                by_short_prefix[short].append(row)
            self._by_code[code_key].append(row)
            _add_prefixes(self._by_code_prefix, code_key, row)
            _add_prefixes(self._by_first_word_prefix, first_word, row)
        # Normalised query -> row numbers (ascending) that match it; most recent last.
        self._remembered: OrderedDict[str, list[int]] = OrderedDict()
        # Searches may come from a worker thread while the field searches too.
        self._remembered_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, limit: int = 10) -> list[SearchEntry]:
        """The best `limit` rows for the query; every token must start the code or a word."""
        tokens = tokenise(query)
        if not tokens or limit <= 0:
            return []
        with self._remembered_lock:
            candidates = self._candidates(tokens)
        if not candidates:
            return []
        if len(candidates) < self.classify_below:
            ranked = self._rank_by_classifying(candidates, tokens, limit)
        else:
            ranked = self._rank_by_walking(candidates, tokens, limit)
        return [self._entries[i] for i in ranked]

    def _candidates(self, tokens: list[str]) -> list[int]:
        normalised = " ".join(tokens)
        remembered = self._remembered.get(normalised)
        if remembered is not None:
            self._remembered.move_to_end(normalised)
            return remembered
        # A query that extends an earlier one (another character typed, or a new word)
        # can only match rows the earlier one matched: each earlier token is a prefix
        # of the token in the same place now. Tokens the earlier query already had
        # need no second test.
        pool: list[int] | None = None
        earlier_tokens: set[str] = set()
        best_length = -1
        for earlier, matched in self._remembered.items():
            if len(earlier) > best_length and normalised.startswith(earlier):
                pool, best_length = matched, len(earlier)
                earlier_tokens = set(earlier.split(" "))
        to_test = [token for token in dict.fromkeys(tokens) if token not in earlier_tokens]
        found = pool if not to_test and pool is not None else self._scan(pool, to_test, tokens)
        self._remembered[normalised] = found
        if len(self._remembered) > _REMEMBERED_QUERIES:
            self._remembered.popitem(last=False)
        return found

    def _scan(self, pool: list[int] | None, to_test: list[str], tokens: list[str]) -> list[int]:
        """Rows of `pool` (None: all rows) matching `to_test`; all of them match `tokens`."""
        haystacks = self._haystacks
        # Start from the smallest list known to satisfy something: the earlier
        # query's rows, or the precomputed rows for a one- or two-character token.
        base = pool
        base_token: str | None = None
        for token in dict.fromkeys(tokens):
            if len(token) <= 2:
                short = self._by_short_prefix.get(token, [])
                if base is None or len(short) < len(base):
                    base, base_token = short, token
        if base_token is not None:
            # Not narrowing from the pool after all: every token needs its test.
            to_test = list(dict.fromkeys(tokens))
        # The longest token first: it usually rules out the most rows.
        needles = [
            " " + token for token in sorted(to_test, key=len, reverse=True) if token != base_token
        ]
        if base is None:
            needle = needles.pop(0)
            found = [i for i, hay in enumerate(haystacks) if needle in hay]
        else:
            found = base
        for needle in needles:
            found = [i for i in found if needle in haystacks[i]]
        return found

    def _rank_by_classifying(
        self, candidates: list[int], tokens: list[str], limit: int
    ) -> list[int]:
        """Drop each candidate into its rank bucket; buckets stay in tie-break order."""
        exact_keys = {"".join(tokens), *tokens}
        prefixes = tuple(tokens)
        first_token = tokens[0]
        codes = self._codes
        first_words = self._first_words
        exact: list[int] = []
        code_prefix: list[int] = []
        label_start: list[int] = []
        other: list[int] = []
        for i in candidates:
            code = codes[i]
            if code in exact_keys:
                exact.append(i)
                if len(exact) >= limit:
                    break
            elif code.startswith(prefixes):
                code_prefix.append(i)
            elif first_words[i].startswith(first_token):
                label_start.append(i)
            else:
                other.append(i)
        return (exact + code_prefix + label_start + other)[:limit]

    def _rank_by_walking(self, candidates: list[int], tokens: list[str], limit: int) -> list[int]:
        """Walk each rank's precomputed rows in order, keeping those that match."""
        haystacks = self._haystacks
        needles = [" " + token for token in dict.fromkeys(tokens)]
        ranked: list[int] = []
        seen: set[int] = set()
        unique_tokens = list(dict.fromkeys(tokens))
        exact_keys = dict.fromkeys(["".join(tokens), *unique_tokens])
        walks = (
            _merged(self._by_code.get(key, []) for key in exact_keys),
            _merged(self._by_code_prefix.get(token, []) for token in unique_tokens),
            _merged([self._by_first_word_prefix.get(tokens[0], [])]),
        )
        for walk in walks:
            for i in walk:
                if i in seen:
                    continue
                hay = haystacks[i]
                if all(needle in hay for needle in needles):
                    ranked.append(i)
                    seen.add(i)
                    if len(ranked) >= limit:
                        return ranked
        # Everything of a better rank that matches is in `seen` by now.
        for i in candidates:
            if i not in seen:
                ranked.append(i)
                if len(ranked) >= limit:
                    break
        return ranked
