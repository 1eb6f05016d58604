"""A small knowledge base of actors: one canonical name for every alias, spelling and title.

``ActorIndex.canonical("Kellog")`` → ``"Keith Kellogg"``; ``canonical("Zelenskiy's chief of military
intelligence")`` → ``"Kyrylo Budanov"``. Unknown names come back cleaned but otherwise as written:
unknown actors are still actors.

The shipped table is ``data/actors.json``; a user extends it with files of the same shape
(``~/.config/sitroom/actors.json`` or a project's ``actors.json``), whose entries win.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from .lexicon import load_data

_POSSESSIVE = re.compile(r"[’']s?$")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[“”\"«»()\[\],.:;!?]")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and typographic quotes: the key names are matched on."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip().lower()


@dataclass(slots=True)
class Actor:
    name: str
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    role: str = ""
    country: str | None = None
    type: str = "person"


class ActorIndex:
    """Alias and title lookup over a list of actors."""

    def __init__(self, actors: Iterable[Actor], demonyms: dict[str, str] | None = None) -> None:
        self.demonyms: dict[str, str] = {k.lower(): v for k, v in (demonyms or {}).items()}
        self.actors: dict[str, Actor] = {}
        self._keys: dict[str, str] = {}
        self._titles: list[tuple[str, str]] = []
        for actor in actors:
            self.add(actor)

    def add(self, actor: Actor) -> None:
        self.actors[actor.name] = actor
        for alias in (actor.name, *actor.aliases):
            key = self._key(alias)
            if key:
                self._keys[key] = actor.name
        for title in actor.titles:
            key = self._key(title)
            if key:
                self._titles.append((key, actor.name))
        # longest titles first, so "zelenskiy's chief of military intelligence" beats "chief of ..."
        self._titles.sort(key=lambda item: -len(item[0]))

    @staticmethod
    def _key(text: str) -> str:
        key = _LEADING.sub("", fold(text))
        return _POSSESSIVE.sub("", key).strip()

    @classmethod
    def load(cls, paths: Iterable[str | Path] = ()) -> ActorIndex:
        """The shipped table, then each existing extra file in order (later entries win)."""
        shipped = load_data(None, "actors.json")
        index = cls(_parse(shipped, "actors.json"), shipped.get("demonyms", {}))
        for path in paths:
            p = Path(path).expanduser()
            if not p.exists():
                continue
            try:
                raw = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ConfigError(f"cannot read actors file ({exc})", input=str(p)) from exc
            for actor in _parse(raw, str(p)):
                index.add(actor)
            index.demonyms.update({k.lower(): v for k, v in raw.get("demonyms", {}).items()})
        return index

    def demonym(self, word: str) -> str | None:
        """The actor an adjective stands for: 'German' → Germany, 'European' → European leaders."""
        return self.demonyms.get(fold(word))

    def by_name(self, text: str) -> Actor | None:
        """The actor ``text`` names exactly (its name or an alias), no titles or surname guessing."""
        name = self._keys.get(self._key(text))
        return self.actors.get(name) if name else None

    def lookup(self, text: str) -> Actor | None:
        """The known actor ``text`` names, by alias, surname-style suffix or title."""
        key = self._key(text)
        if not key:
            return None
        name = self._keys.get(key)
        if name is None:
            for title, actor_name in self._titles:
                if key == title or key.endswith(" " + title) or key.startswith(title + " "):
                    name = actor_name
                    break
        if name is None:
            # "General Kellog", "Ukraine's RADA": the last word(s) may be a known alias
            words = key.split(" ")
            for i in range(1, len(words)):
                name = self._keys.get(" ".join(words[i:]))
                if name and self.actors[name].type == "person":
                    break
                name = None
        return self.actors.get(name) if name else None

    def canonical(self, text: str) -> str:
        """The canonical name for ``text``; a cleaned copy of it when the actor is unknown."""
        actor = self.lookup(text)
        if actor:
            return actor.name
        cleaned = _SPACE.sub(" ", text).strip().strip('"“”,.;:')
        return _POSSESSIVE.sub("", cleaned) if cleaned.endswith(("'s", "’s")) else cleaned


def _parse(raw: object, where: str) -> list[Actor]:
    if not isinstance(raw, dict) or not isinstance(raw.get("actors"), list):
        raise ConfigError('an actors file is an object with an "actors" list', input=where)
    actors = []
    for entry in raw["actors"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError("every actor needs a name", input=where)
        actors.append(
            Actor(
                name=entry["name"],
                aliases=list(entry.get("aliases", [])),
                titles=list(entry.get("titles", [])),
                role=entry.get("role", "") or "",
                country=entry.get("country"),
                type=entry.get("type", "person"),
            )
        )
    return actors
