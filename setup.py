"""Build hooks for `pip install .` (the metadata is in pyproject.toml).

The extension is built by the Makefile, from the same sources and with the
same flags as `make`, then copied into the package with the data files the
Python helpers read (the trade dataset, sql/load_data.sql, sql/schema.sql).
The wheel is platform-specific: it holds a compiled library."""
import os
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

ROOT = os.path.dirname(os.path.abspath(__file__))
DATA = ("sql/data/country_trade.csv", "sql/load_data.sql", "sql/schema.sql", "sql/bi.sql")


def version():
    with open(os.path.join(ROOT, "include", "exportlens.h"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#define EXPORTLENS_VERSION "):
                return line.split('"')[1]
    raise RuntimeError("no EXPORTLENS_VERSION in include/exportlens.h")


class BuildWithMake(build_py):
    """build_py, plus the library built by make and the bundled data."""

    def run(self):
        super().run()
        try:
            subprocess.run(["make", "-C", ROOT, "build/exportlens.so"], check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            raise SystemExit("exportlens: building the extension with make failed (%s); run make in %s "
                             "to see why" % (e, ROOT))
        pkg = os.path.join(self.build_lib, "exportlens")
        os.makedirs(os.path.join(pkg, "data"), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, "build", "exportlens.so"), os.path.join(pkg, "exportlens.so"))
        for rel in DATA:
            shutil.copy2(os.path.join(ROOT, rel), os.path.join(pkg, "data", os.path.basename(rel)))
        with open(os.path.join(pkg, "_version.py"), "w", encoding="utf-8") as f:
            f.write("version = %r\n" % version())


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


setup(version=version(), cmdclass={"build_py": BuildWithMake}, distclass=BinaryDistribution)
