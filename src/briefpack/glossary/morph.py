"""German noun morphology from a real lexicon: lemma, grammatical number, compound splits.

The lexicon is the Wiktionary-derived `german-nouns` data (~90 000 nouns with every case
and number form, CC BY-SA 4.0). It was chosen over HanTa because it states number directly
(each form sits in a "singular" or "plural" column), it is plain data (no model to run, so a
lookup costs microseconds) and it lists lexicalised compounds (*Sanktionspaket*,
*Bundeswehrsoldat*), which is what tells a compound reading from an accidental substring.
HanTa analyses any word but yields POS tags and morphemes, not number, at ~1 ms a word.

briefpack ships the forms it needs as package data (`data/german-nouns.tsv.xz`, 0.9 MB,
built from the CSV by `scripts/build_lexicon.py`, licence and attribution beside it): the
`german-nouns` package itself cannot be a dependency, as it requires the parser that made
the data, which pins lxml < 5. Shipping the derived forms, not a second lexicon, keeps
matching exactly as it was: indexed from this file or from the CSV, every one of the 255,831
forms and 89,243 lemmas gets the same analyses and paradigm. On first use (~0.7 s) the
data is indexed into SQLite under the user's cache folder (`$XDG_CACHE_HOME/briefpack`,
named by the hash of the data: new data, new file) and queried lazily; a process opens it
in milliseconds. If the folder cannot be written the index is built in memory. If the
data is missing (a broken installation), `lexicon()` logs a warning, which `--strict`
counts, and matching falls back to Snowball stemming (numbers unknown).

Also here: the transliteration skeleton that folds spelling variants of Ukrainian and
Russian names (*Selenskyj, Zelenskij, Zelensky*) to one key.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefpack.util.collector import collector_paused

log = logging.getLogger(__name__)

Number = str  # "sg" or "pl"
SCHEMA = 4
# The packaged noun data and where it came from (scripts/build_lexicon.py makes it; a new
# source means a new name here, so the caches keyed by briefpack's code start afresh).
LEXICON_SOURCE = "german-nouns 1.2.5"
LEXICON_FILE = "german-nouns.tsv.xz"
# Linking elements between the parts of a compound (Wirtschaft-s-sanktion, Frieden-s-…).
FUGEN = ("", "s", "es", "n", "en", "er", "e", "ns")
# Parts shorter than this are never a compound reading ("Bei|rat", "Ver|rat").
MIN_PART = 3
# How many letters of a word `prefix_key` keeps (see there).
KEY_LENGTH = 5
_FOLD = str.maketrans("äöü", "aou")


def prefix_key(word: str) -> str:
    """Return a word's first KEY_LENGTH letters, lower-cased, umlauts folded.

    Inflection changes the end of a German noun and the umlaut of its stem, so every form of
    most nouns has the key of its lemma ("Vertrag", "Verträgen": "vertr"). The matcher indexes
    an entry only once a text holds a word with its key (`briefpack.glossary.triggers`); the
    nouns whose forms do not all share a key (`Lexicon.irregular`) are indexed up front.
    """
    return _key_of_lower(word.lower())


def _key_of_lower(lower: str) -> str:
    return lower[:KEY_LENGTH].translate(_FOLD)  # one letter for one: slice first


@dataclass(frozen=True)
class Analysis:
    """One reading of a noun form: its lemma, number and gender (m/f/n or "")."""

    lemma: str
    number: Number
    genus: str


class Lexicon:
    """Read-only lookups in the noun lexicon (thread-safe, memoised per word)."""

    def __init__(self, db: sqlite3.Connection, location: str = ":memory:") -> None:
        self._db = db
        self.location = location  # the index file, or ":memory:" when none could be written
        self._lock = threading.Lock()
        self._analyses: dict[str, tuple[Analysis, ...]] = {}
        self._forms: dict[str, tuple[tuple[str, Number], ...]] = {}
        self._irregular: frozenset[str] | None = None

    def analyses(self, word: str) -> tuple[Analysis, ...]:
        """Return every noun reading of `word` (case-insensitive), lexicon order."""
        key = word.casefold()
        found = self._analyses.get(key)
        if found is None:
            with self._lock:
                rows = self._db.execute(
                    "SELECT lemma, number, genus FROM forms WHERE form = ? ORDER BY rowid", (key,)
                ).fetchall()
            found = tuple(dict.fromkeys(Analysis(*row) for row in rows))
            self._analyses[key] = found
        return found

    def irregular(self) -> frozenset[str]:
        """Return the forms (case-folded) whose `prefix_key` does not start every form's key.

        Nearly every form of a noun has a key that starts the keys of all its forms and of
        its lemma ("Tag": "tag", "tage", "tages"); those that have not ("Tage", "Atlanten")
        are listed here, from the data, so the matcher can index their entries up front.
        """
        if self._irregular is None:
            with self._lock:
                rows = self._db.execute("SELECT form FROM irregular").fetchall()
            self._irregular = frozenset(str(form) for (form,) in rows)
        return self._irregular

    def size(self) -> int:
        """Return the number of nouns (lemmas) in the lexicon."""
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(DISTINCT lemma) FROM forms").fetchone()
        return int(count)

    def is_noun(self, word: str) -> bool:
        """Return whether `word` is a form of some noun."""
        return bool(self.analyses(word))

    def forms(self, lemma: str) -> tuple[tuple[str, Number], ...]:
        """Return every (form, number) of the noun `lemma` (case-insensitive), forms as listed."""
        key = lemma.casefold()
        found = self._forms.get(key)
        if found is None:
            with self._lock:
                rows = self._db.execute(
                    "SELECT surface, number FROM forms WHERE lemma_ci = ? ORDER BY rowid", (key,)
                ).fetchall()
            found = tuple(dict.fromkeys((str(s), str(n)) for s, n in rows))
            self._forms[key] = found
        return found

    def numbers(self, word: str, lemma: str | None = None) -> frozenset[Number]:
        """Return the numbers `word` can have (as a form of `lemma`, if given)."""
        want = lemma.casefold() if lemma else None
        return frozenset(
            a.number for a in self.analyses(word) if want is None or a.lemma.casefold() == want
        )

    def lemma(self, word: str) -> str | None:
        """Return the first lemma of `word`, preferring one spelt like the word itself."""
        found = self.analyses(word)
        if not found:
            return None
        for a in found:
            if a.lemma.casefold() == word.casefold():
                return a.lemma
        return found[0].lemma

    def is_part(self, text: str, *, depth: int = 1) -> bool:
        """Return whether `text` can stand before another noun in a compound (Wirtschaft-s)."""
        low = text.casefold()
        if len(low) < MIN_PART:
            return False
        for fuge in FUGEN:
            stem = low[: len(low) - len(fuge)] if fuge else low
            if fuge and not low.endswith(fuge):
                continue
            if len(stem) >= MIN_PART and (self.is_noun(stem) or (depth and self._split(stem))):
                return True
        return False

    def _split(self, word: str) -> tuple[str, str, str] | None:
        """Return (prefix, head, head lemma) of a compound whose head the lexicon knows."""
        low = word.casefold()
        for i in range(MIN_PART, len(low) - MIN_PART + 1):
            head = low[i:]
            found = self.analyses(head)
            if found and self.is_part(low[:i], depth=0):
                return word[:i], word[i:], found[0].lemma
        return None

    def paradigm(self, word: str) -> tuple[str, tuple[tuple[str, Number], ...]] | None:
        """Return the lemma and (form, number) list of the noun `word`, also of a new compound.

        A compound the lexicon does not list (*Gebietsabtretung*) inflects like its head
        (*Abtretung*): its forms are the first part plus the head's forms.
        """
        lemma = self.lemma(word)
        if lemma is not None:
            return lemma, self.forms(lemma)
        split = self._split(word)
        if split is None:
            return None
        prefix, _, head_lemma = split
        forms = tuple((prefix + form.lower(), n) for form, n in self.forms(head_lemma))
        return prefix + head_lemma.lower(), forms

    def word_numbers(self, word: str, lemma: str | None = None) -> frozenset[Number]:
        """Return the numbers `word` can have, through its compound head if it is unlisted."""
        found = self.numbers(word, lemma)
        if found or (lemma is not None and self.analyses(word)):
            return found
        split = self._split(word)
        return self.numbers(split[1]) if split else frozenset()


def cache_folder() -> Path:
    """Return the user's cache folder for briefpack (where the lexicon's index lies)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefpack"


def data_path() -> Path:
    """Return where the packaged lexicon data lies (it may be missing in a broken install)."""
    return Path(__file__).resolve().parent / "data" / LEXICON_FILE


@lru_cache(maxsize=1)
def lexicon() -> Lexicon | None:
    """Return the noun lexicon (built or opened once per process), or None if it is missing."""
    source = data_path()
    try:
        data = source.read_bytes()
    except OSError as exc:
        log.warning(
            "%s: the German noun lexicon is missing (%s); German matching falls back to "
            "stemming and cannot tell singular from plural: reinstall briefpack",
            source,
            exc.strerror or exc,
        )
        return None
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = cache_folder() / f"german-nouns-{digest}-v{SCHEMA}.sqlite"
    if target.is_file():
        try:
            db = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
            db.execute("SELECT 1 FROM forms LIMIT 1")
            db.execute("SELECT 1 FROM irregular LIMIT 1")
            return Lexicon(db, str(target))
        except sqlite3.Error:
            pass  # a broken cache file is rebuilt below
    try:
        text = lzma.decompress(data).decode("utf-8")
    except (lzma.LZMAError, UnicodeDecodeError) as exc:
        log.warning(
            "%s: the German noun lexicon is damaged (%s); German matching falls back to "
            "stemming: reinstall briefpack",
            source,
            exc,
        )
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        db = sqlite3.connect(tmp)
        _fill(db, text)
        db.close()
        os.replace(tmp, target)
        db = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error):
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(db, text)
        return Lexicon(db)
    return Lexicon(db, str(target))


def _fill(db: sqlite3.Connection, text: str) -> None:
    """Write the noun forms of the packaged lexicon `text` into a fresh `forms` table.

    Each line is `lemma TAB genus TAB forms`, the forms separated by spaces, plural forms
    marked with a leading `+` (see scripts/build_lexicon.py).
    """

    # lemma (case-folded) -> (its forms with the key each is looked up by, the keys of the
    # spellings the matcher may index); see `Lexicon.irregular`
    nouns: dict[str, tuple[list[tuple[str, str]], set[str]]] = {}

    def records() -> Iterator[tuple[str, str, str, str, str, str]]:
        for line in text.splitlines():
            lemma, genus, forms = line.split("\t")
            lemma_ci = lemma.casefold()
            keyed, keys = nouns.setdefault(lemma_ci, ([], set()))
            if "ß" not in (lower := lemma.lower()):  # a spelling with ß never matches
                keys.add(_key_of_lower(lower))
            for token in forms.split(" "):
                surface, number = (token[1:], "pl") if token.startswith("+") else (token, "sg")
                form, lower = surface.casefold(), surface.lower()
                key = _key_of_lower(lower)
                if "ß" not in lower:
                    keys.add(key)
                keyed.append((form, key if form == lower else prefix_key(form)))
                yield form, surface, lemma, lemma_ci, number, genus

    db.execute(
        "CREATE TABLE forms (form TEXT, surface TEXT, lemma TEXT, lemma_ci TEXT, number TEXT,"
        " genus TEXT)"
    )
    with collector_paused():  # 255,831 forms kept until the irregular ones are known
        db.executemany("INSERT INTO forms VALUES (?, ?, ?, ?, ?, ?)", records())
    db.execute("CREATE INDEX forms_form ON forms (form)")
    db.execute("CREATE INDEX forms_lemma ON forms (lemma_ci)")
    irregular: set[str] = set()
    for keyed, keys in nouns.values():
        if keys:
            # What starts the first and the last key in sorted order starts every key between.
            lo, hi = min(keys), max(keys)
            irregular.update(f for f, k in keyed if not (lo.startswith(k) and hi.startswith(k)))
    db.execute("CREATE TABLE irregular (form TEXT)")
    db.executemany("INSERT INTO irregular VALUES (?)", ((f,) for f in sorted(irregular)))
    db.commit()


# --- number from context -------------------------------------------------------------------

# Determiners that fix the number of a following masculine or neuter noun whose form alone
# does not ("die Soldaten" pl, "des Soldaten" sg). Feminine nouns rarely have such forms.
_SG_DETERMINERS = frozenset(
    "der des dem ein eines einem einen dieser dieses diesem jenes jenem jeder jedes jedem "
    "kein keines keinem keinen sein seines seinem seinen ihr ihres ihrem ihren".split()
)
_PL_DETERMINERS = frozenset(
    "die diese jene alle beide viele mehrere einige wenige keine manche zwei drei vier "
    "fünf sechs sieben acht neun zehn zwölf hundert tausend".split()
)
# A preposition contracted with a singular article marks the number just as the article
# does: vom = von dem, zum = zu dem, beim = bei dem, im = in dem, am = an dem, zur = zu der,
# ins = in das, ans = an das, aufs = auf das. None of them stands before a plural.
_SG_CONTRACTIONS = frozenset("vom zum zur beim im am ins ans aufs".split())
# Articles before which a nominalised adjective's ending tells the number: "die Gesandte"
# (feminine singular) but "die Gesandten" (plural); "die" alone would say plural.
_WEAK_ENDING_ARTICLES = frozenset({"die", "diese", "jene"})


def number_from_context(before: str, word: str = "") -> Number | None:
    """Return the number a determiner right before a noun (past adjectives) implies, if any.

    `word` is the noun itself: a nominalised adjective with the weak ending -e after
    "die" ("die Gesandte") is singular. A word joined to the noun by a hyphen ("dem
    US-Gesandten") is part of the noun, not another noun between it and its determiner.
    """
    words = re.findall(r"[^\W_]+-?|\d[\d.,]*", before[-80:])
    if words and words[-1].endswith("-"):
        words.pop()  # the first part of the hyphenated compound the noun ends
    for word_before in reversed(words[-4:]):
        low = word_before.casefold()
        if low[:1].isdigit():
            return "sg" if low in {"1", "1."} else "pl"
        if low in _SG_DETERMINERS or low in _SG_CONTRACTIONS:
            return "sg"
        if low in _WEAK_ENDING_ARTICLES and _nominalised_singular(word):
            return "sg"
        if low in _PL_DETERMINERS:
            return "pl"
        if word_before[:1].isupper():  # another noun: no determiner of ours in between
            return None
    return None


# Weak singular endings of nominalised participles: „Gesandte“, „Abgeordnete“,
# „Vorsitzende“, „Gefangene“. Narrow on purpose: neuter nouns whose plural is the same
# form (Gebäude, Gemälde) end in -e too and are plural after "die".
_NOMINALISED_SG = ("te", "nde", "ene")


def _nominalised_singular(word: str) -> bool:
    """Whether a noun ends like a nominalised participle in the weak singular."""
    return word.casefold().endswith(_NOMINALISED_SG)


def resolve_number(numbers: frozenset[Number], before: str, word: str = "") -> Number | None:
    """Return the number of an occurrence: from its form, else from its determiner."""
    if len(numbers) == 1:
        return next(iter(numbers))
    if not numbers:
        return None
    return number_from_context(before, word)


# --- transliterated names --------------------------------------------------------------------

_SKELETON_RULES = (
    ("tsch", "ch"),
    ("tz", "s"),
    ("ts", "s"),
    ("sch", "sh"),
    ("zh", "sh"),
    ("kh", "h"),
    ("ch", "h"),
    ("w", "v"),
    ("z", "s"),
    ("y", "i"),
    ("j", "i"),
    ("ie", "i"),
)
_REPEATS = re.compile(r"(.)\1+")
# The letters no rule writes or removes: every spelling with one skeleton has the same ones.
_RULE_LETTERS = frozenset("".join(old + new for old, new in _SKELETON_RULES))


@lru_cache(maxsize=8192)
def skeleton(name: str) -> str:
    """Return the transliteration skeleton of a name: spelling variants share it.

    German and English romanisations of Ukrainian and Russian names differ by regular
    correspondences: w/v (Wolodymyr, Volodymyr), s/z (Selenskyj, Zelensky), y/j/ij/i
    (Selenskyj, Selenskij, Zelensky, Kyjiw), sch/zh/sh and ch/kh/h (Saporischschja,
    Zaporizhzhia; Charkiw, Kharkiv), ie/i (Kiew, Kyiv). Folding each pair to one letter and
    collapsing doubled letters maps every variant to the same key.
    """
    text = name.casefold()
    for old, new in _SKELETON_RULES:
        text = text.replace(old, new)
    return _REPEATS.sub(r"\1", text)


def skeleton_letters(name: str) -> frozenset[str]:
    """Return the letters of a name that every name with the same `skeleton` has too.

    No folding rule writes or removes them and collapsing doubled letters keeps the set, so
    equal skeletons have equal sets: a cheap key that narrows where a skeleton can match.
    """
    return frozenset(name.casefold()).difference(_RULE_LETTERS)
