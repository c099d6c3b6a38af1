"""The annotator's keyboard (rules/keyboard.json): every hotkey the labeling config sets.

Label Studio gives any label or choice without a ``hotkey`` the next free key of
"1234567890qwetasdfgzxcvby…", so keys shifted from target to target and one view could hold
the same letter twice. Here every key is data: a stance value has one letter (sentence level) or
one digit (article level) under every target, and a modifier says which target. Keys follow
Label Studio's keymaster syntax ("shift+f", "ctrl+alt+1"), which matches modifiers exactly: "f",
"shift+f" and "alt+f" are three different keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from builders.paths import RULES_DIR
from builders.schemas import load_data_file

KEYBOARD_FILE = RULES_DIR / "keyboard.json"


class KeyboardError(ValueError):
    """The keyboard rules do not cover the taxonomy or the targets."""


@dataclass(frozen=True)
class Keyboard:
    version: str
    stance_value_keys: dict[str, str]
    article_stance_value_keys: dict[str, str]
    target_modifiers: tuple[str, ...]
    region_label_keys: dict[str, str]
    article_choice_keys: dict[str, dict[str, str]]
    studio_keys: tuple[dict, ...]
    path: Path = KEYBOARD_FILE

    def target_modifier(self, index: int, target: str) -> str:
        if index >= len(self.target_modifiers):
            raise KeyboardError(
                f"{self.path}: target_modifiers has {len(self.target_modifiers)} modifier(s), "
                f"too few for stance target {target!r} (number {index + 1}); add one"
            )
        return self.target_modifiers[index]

    def sentence_stance_key(self, index: int, target: str, value: str) -> str:
        return self._stance_key(self.stance_value_keys, "stance_value_keys", index, target, value)

    def article_stance_key(self, index: int, target: str, value: str) -> str:
        keys = self.article_stance_value_keys
        return self._stance_key(keys, "article_stance_value_keys", index, target, value)

    def _stance_key(self, keys: dict, field: str, index: int, target: str, value: str) -> str:
        if value not in keys:
            raise KeyboardError(f"{self.path}: {field} has no key for stance value {value!r}")
        return f"{self.target_modifier(index, target)}+{keys[value]}"

    def region_label_key(self, label: str) -> str:
        if label not in self.region_label_keys:
            raise KeyboardError(f"{self.path}: region_label_keys has no key for {label!r}")
        return self.region_label_keys[label]

    def article_choice_key(self, name: str, value: str) -> str:
        key = self.article_choice_keys.get(name, {}).get(value)
        if key is None:
            raise KeyboardError(
                f"{self.path}: article_choice_keys has no key for {name!r} choice {value!r}"
            )
        return key

    @property
    def reserved(self) -> set[str]:
        """Label Studio's own keys, which no label or choice may take."""
        systems = ("key", "mac")
        return {entry[s] for entry in self.studio_keys for s in systems if s in entry}


@cache
def load_keyboard(path: Path = KEYBOARD_FILE) -> Keyboard:
    data = load_data_file(path)
    return Keyboard(
        version=data["version"],
        stance_value_keys=data["stance_value_keys"],
        article_stance_value_keys=data["article_stance_value_keys"],
        target_modifiers=tuple(data["target_modifiers"]),
        region_label_keys=data["region_label_keys"],
        article_choice_keys=data["article_choice_keys"],
        studio_keys=tuple(data["studio_keys"]),
        path=path,
    )


def key_caption(key: str) -> str:
    """A key as the guidelines print it: "ctrl+alt+f" → "Ctrl+Alt+F"."""
    names = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "command": "⌘", "escape": "Esc"}
    parts = key.split("+")
    return "+".join(names.get(p, p.upper() if len(p) == 1 else p.capitalize()) for p in parts)
