"""Annotators' guidelines: ``annotations/guidelines.<language>.md``, partly generated.

The prose (how to judge stance, quotes inside quotes, what to do when) is written by hand; the
sections that repeat data — each cue label's definition with positive and negative examples,
the stance values, the genres and the key table — are generated from the taxonomy and the
keyboard between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` markers, so the
guidelines and the labeling tool cannot drift apart (``agitprop sync config --write`` rewrites
them; a test checks that the committed files are current).

The guidelines in the project's ``guidelines_language`` become the Label Studio project's
instructions, rendered to HTML with markdown-it-py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt

from builders.config import ProjectConfig
from builders.sync.keyboard import key_caption
from builders.sync.labeling_config import (
    LANGUAGES,
    REGION_COLORS,
    LabelingConfig,
    guidelines_language,
    project_labeling_config,
)

MARKER = re.compile(r"(<!-- generated:([a-z_]+) -->\n)(.*?)(<!-- /generated:\2 -->)", re.DOTALL)
MARKER_LINE = re.compile(r"^<!-- /?generated:[a-z_]+ -->\n", re.MULTILINE)
# Label Studio shows the instructions inside <p style="white-space: pre-wrap"> under a CSS reset
# that removes list bullets and table borders: put them back, for this block only.
STYLE = (
    "<style>.agitprop-guidelines{white-space:normal;line-height:1.45}"
    ".agitprop-guidelines ul{list-style:disc;padding-left:1.6em;margin:.3em 0}"
    ".agitprop-guidelines ol{list-style:decimal;padding-left:1.6em;margin:.3em 0}"
    ".agitprop-guidelines h1,.agitprop-guidelines h2,.agitprop-guidelines h3"
    "{font-weight:600;margin:.9em 0 .3em}"
    ".agitprop-guidelines h1{font-size:1.4em}.agitprop-guidelines h2{font-size:1.2em}"
    ".agitprop-guidelines h3{font-size:1.05em}.agitprop-guidelines p{margin:.4em 0}"
    ".agitprop-guidelines table{border-collapse:collapse;margin:.4em 0}"
    ".agitprop-guidelines td,.agitprop-guidelines th{border:1px solid #ccc;padding:2px 8px}"
    ".agitprop-guidelines code,.agitprop-guidelines kbd{background:#f3f3f3;padding:0 3px}"
    "</style>"
)

WORDS = {
    "en": {
        "key": "key",
        "yes": "Mark",
        "no": "Do not mark",
        "action": "Action",
        "mac": "macOS",
        "cue": "cue label",
        "region": "region label",
        "sentence_stance": "sentence stance toward {target}: {value}",
        "article_stance": "article stance toward {target}: {value}",
        "choice": "{label}: {value}",
        "same": "same",
    },
    "pl": {
        "key": "klawisz",
        "yes": "Zaznacz",
        "no": "Nie zaznaczaj",
        "action": "Czynność",
        "mac": "macOS",
        "cue": "etykieta wskaźnika",
        "region": "etykieta regionu",
        "sentence_stance": "stanowisko zdania wobec: {target} — {value}",
        "article_stance": "stanowisko artykułu wobec: {target} — {value}",
        "choice": "{label}: {value}",
        "same": "to samo",
    },
}


class GuidelinesError(ValueError):
    """A guidelines file lacks a generated section, or names an unknown one."""


def guidelines_path(config: ProjectConfig, language: str) -> Path:
    return Path(config.annotations) / f"guidelines.{language}.md"


def generated_sections(labeling: LabelingConfig, language: str) -> dict[str, str]:
    """Section name → its Markdown, from the taxonomy and the keyboard."""
    return {
        "labels": _labels(labeling, language),
        "stance_values": _definitions(labeling.taxonomy.stance_definitions, language),
        "genres": "\n\n".join(
            f"**{choice.get('label', {}).get(language, choice['name'])}**\n\n"
            + _definitions(choice.get("definitions", {}), language)
            for choice in labeling.taxonomy.article_choices
        ),
        "keys": _key_table(labeling, language),
    }


def render(text: str, sections: dict[str, str], where: str = "guidelines") -> str:
    """``text`` with every generated section replaced by its current content."""
    found = set()

    def replace(match: re.Match) -> str:
        name = match.group(2)
        if name not in sections:
            raise GuidelinesError(f"{where}: unknown generated section {name!r}")
        found.add(name)
        return f"{match.group(1)}{sections[name].rstrip()}\n{match.group(4)}"

    result = MARKER.sub(replace, text)
    missing = sorted(set(sections) - found)
    if missing:
        raise GuidelinesError(
            f"{where}: no generated section(s) {missing}; add "
            + ", ".join(f"<!-- generated:{m} --> … <!-- /generated:{m} -->" for m in missing)
        )
    return result


def current_guidelines(config: ProjectConfig) -> dict[Path, str]:
    """Every guidelines file with its generated sections brought up to date."""
    current = {}
    for language in LANGUAGES:
        path = guidelines_path(config, language)
        labeling = replace(project_labeling_config(config), language=language)
        text = path.read_text(encoding="utf-8")
        current[path] = render(text, generated_sections(labeling, language), str(path))
    return current


def guidelines_html(markdown: str) -> str:
    """Guidelines Markdown as the HTML Label Studio shows in its instructions modal.

    The section markers are left out: Label Studio's bleach would strip the comments, and the
    stored instructions would then never equal these, so every push would rewrite them."""
    body = MarkdownIt("commonmark").enable("table").render(MARKER_LINE.sub("", markdown))
    return f'{STYLE}<div class="agitprop-guidelines">{body}</div>'


def project_instructions(config: ProjectConfig) -> str:
    """The project's instructions: the guidelines in ``guidelines_language`` as HTML."""
    path = guidelines_path(config, guidelines_language(config))
    if not path.exists():
        return ""
    return guidelines_html(path.read_text(encoding="utf-8"))


def _labels(labeling: LabelingConfig, language: str) -> str:
    words = WORDS[language]
    parts = []
    for label in labeling.taxonomy.annotator_labels:
        definition = label.definition.get(language) or label.description
        lines = [
            f"### {label.name} ({words['key']} {_kbd(label.hotkey)})",
            "",
            definition,
            "",
            f"{words['yes']}:",
            "",
            *(f"- `{example}`" for example in label.examples),
            "",
            f"{words['no']}:",
            "",
            *(f"- `{c['text']}` — {c['why'][language]}" for c in label.counterexamples),
        ]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _definitions(definitions: dict[str, dict[str, str]], language: str) -> str:
    return "\n".join(f"- **{value}** — {text[language]}" for value, text in definitions.items())


def _key_table(labeling: LabelingConfig, language: str) -> str:
    words = WORDS[language]
    rows = [(f"{words['cue']} {x.name}", x.hotkey) for x in labeling.taxonomy.annotator_labels]
    keyboard = labeling.keyboard
    rows += [(f"{words['region']} {n}", keyboard.region_label_key(n)) for n in REGION_COLORS]
    levels = (
        ("sentence_stance", labeling.sentence_stance_controls, keyboard.sentence_stance_key),
        ("article_stance", labeling.article_stance_controls, keyboard.article_stance_key),
    )
    for kind, controls, key_of in levels:
        for index, target in enumerate(controls.values()):
            for value in labeling.taxonomy.stance_values:
                action = words[kind].format(target=target, value=value)
                rows.append((action, key_of(index, target, value)))
    for choice in labeling.taxonomy.article_choices:
        label = choice.get("label", {}).get(language, choice["name"])
        for value in choice["choices"]:
            action = words["choice"].format(label=label, value=value)
            rows.append((action, keyboard.article_choice_key(choice["name"], value)))
    lines = [f"| {words['action']} | {words['key']} | {words['mac']} |", "|---|---|---|"]
    lines += [f"| {action} | {_kbd(key)} | {words['same']} |" for action, key in rows]
    for entry in keyboard.studio_keys:
        mac = _kbd(entry["mac"]) if "mac" in entry else words["same"]
        lines.append(f"| {entry['action'][language]} | {_kbd(entry['key'])} | {mac} |")
    return "\n".join(lines)


def _kbd(key: str) -> str:
    return f"<kbd>{key_caption(key)}</kbd>"
