"""Finding clients by what a person types.

Client names are stored as people wrote them ("ООО «Ромашка»", "Ромашка, ООО",
"ROMASHKA LLC"), and people search the way they think of the client ("ромашка").
Both sides are reduced to the same *search key* — case, ё, quotes, punctuation and
legal forms removed — and then compared (equality or substring, the caller decides).
The key is meant to be stored next to the name so that the database can index it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SEARCH_LIMIT", "looks_like_inn", "query_key", "search_key"]

SEARCH_LIMIT = 20  # matches a search shows at most

# Every quote character people or word processors produce. They are removed rather
# than kept, because «Ромашка» and "Ромашка" are the same client.
_QUOTES = "\"'«»„“”‘’‚‹›`´"
# An apostrophe inside a word (O'Brien, Д'Артаньян) is part of the word and is simply
# dropped; any other quote may be glued to a neighbour (ООО"Ромашка") and becomes a
# space so that the words stay apart.
_IN_WORD_APOSTROPHE_RE = re.compile(r"(?<=\w)['’`´](?=\w)")
_QUOTE_RE = re.compile(f"[{re.escape(_QUOTES)}]")
# Dotted forms must be removed before punctuation turns "S.A." into two words "s a"
# that could not be told apart from a name's initials.
_DOTTED_FORMS_RE = re.compile(r"(?<!\w)s\.\s?a\.(?!\w)")
# Everything that is not a letter or a digit separates words ("Ёлки-Палки" is two).
_SEPARATOR_RE = re.compile(r"[\W_]+")

# Legal forms, as sequences of words after normalisation. Longest first, so that
# "публичное акционерное общество" is removed as a whole before its tail
# "акционерное общество" could match.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(form.split())
            for form in (
                "ооо",
                "оао",
                "зао",
                "пао",
                "ао",
                "нао",
                "ип",
                "чп",
                "гуп",
                "муп",
                "фгуп",
                "нко",
                "ано",
                "тоо",
                "одо",
                "llc",
                "ltd",
                "inc",
                "gmbh",
                "jsc",
                "pjsc",
                "cjsc",
                "llp",
                "ag",
                "общество с ограниченной ответственностью",
                "акционерное общество",
                "публичное акционерное общество",
                "закрытое акционерное общество",
                "открытое акционерное общество",
                "индивидуальный предприниматель",
            )
        ),
        key=len,
        reverse=True,
    )
)


def _words(text: str) -> list[str]:
    # NFKC folds compatibility characters (full-width letters, ligatures, "№") and
    # composes "й"/"ё" typed as a letter plus a combining mark, which would otherwise
    # split a word in two at the separator step.
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    folded = _IN_WORD_APOSTROPHE_RE.sub("", folded)
    folded = _QUOTE_RE.sub(" ", folded)
    folded = _DOTTED_FORMS_RE.sub(" ", folded)
    return _SEPARATOR_RE.sub(" ", folded).split()


# The forms by their first word, longest first still: a word that starts none of them (most
# words of most names) is kept after one dictionary lookup.
_FORMS_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(form for form in _LEGAL_FORMS if form[0] == first)
    for first in {form[0] for form in _LEGAL_FORMS}
}


def _drop_legal_forms(words: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(words):
        for form in _FORMS_BY_FIRST.get(words[i], ()):
            if tuple(words[i : i + len(form)]) == form:
                i += len(form)
                break
        else:
            kept.append(words[i])
            i += 1
    return kept


def search_key(name: str) -> str:
    """The normalised form of a client name used for searching.

    ``search_key('ООО «Ромашка»') == 'ромашка'``,
    ``search_key('Ёлки-Палки LLC') == 'елки палки'``.

    If the name consists of legal forms only (a client literally called "AG"), the
    forms are kept: an empty key would make the client unfindable, or match every
    query if the caller tests for a substring.
    """
    words = _words(name)
    return " ".join(_drop_legal_forms(words) or words)


def query_key(text: str) -> str:
    """What the user typed, normalised exactly like ``search_key`` so the two compare.

    A separate name because the call sites read better, and because it is the place
    to diverge should queries ever need different treatment from stored names.
    """
    return search_key(text)


def looks_like_inn(text: str) -> bool:
    """Whether the text is 10 or 12 digits once spaces are removed, i.e. the user is
    searching by INN rather than by name. The check digits are not verified: a typo
    in an INN should still be searched for (and report "not found") rather than be
    treated as a company name."""
    compact = "".join(text.split())
    return len(compact) in (10, 12) and compact.isascii() and compact.isdigit()
