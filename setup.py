"""One build step on top of pyproject.toml: the wheel carries the data the package reads.

The checkout's own folders stay the one source of truth: ``schema/``, the annotation
guidelines and labeling config in ``annotations/``, and the example article from ``seeds/`` are
copied into ``builders/_data/`` of the built package when a wheel is built, never into git.
An editable install (``pip install -e .``, what ``make`` does) skips the copy: its package is the
checkout, and ``builders.paths`` reads the same folders there.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# source (relative to the checkout) → destination (relative to builders/_data/)
SHIPPED = {
    "schema": "schema",
    "annotations/guidelines.pl.md": "annotations/guidelines.pl.md",
    "annotations/guidelines.en.md": "annotations/guidelines.en.md",
    "annotations/labeling_config.xml": "annotations/labeling_config.xml",
    # one article, the example `agitprop init` puts in a new project (not the whole corpus)
    "seeds/000_fa55aadce6e6f1d2.txt": "seeds/000_fa55aadce6e6f1d2.txt",
}


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "builders" / "_data"
        for source, destination in SHIPPED.items():
            source, destination = ROOT / source, target / destination
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                ignore = shutil.ignore_patterns(".*", "__pycache__")
                shutil.copytree(source, destination, ignore=ignore, dirs_exist_ok=True)
            else:
                shutil.copy2(source, destination)


setup(cmdclass={"build_py": BuildWithData})
