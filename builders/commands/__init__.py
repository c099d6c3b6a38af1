"""One module per ``agitprop`` subcommand; each exposes ``register(subparsers)``.

Keeping subcommands apart keeps ``cli.py`` small and lets each feature own its command.
"""

from builders.commands import (
    agreement,
    build,
    corpus_export,
    corpus_import,
    diff,
    init,
    release,
    review,
    status,
    studio,
    sync,
    validate,
)

COMMANDS = [
    init,
    build,
    release,
    diff,
    validate,
    studio,
    sync,
    review,
    status,
    agreement,
    corpus_import,
    corpus_export,
]
