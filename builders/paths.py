"""Where the project's own files live (schemas next to the package, rules inside it)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
SCHEMA_DIR = REPO_ROOT / "schema"
RULES_DIR = PACKAGE_DIR / "rules"
