"""The notebook examples/exportlens.ipynb: the committed copy has its outputs
(tables and the charts as PNG, no errors) and matches its generator
(examples/make_notebook.py), and a copy of it runs headless top to bottom
with Debian's jupyter-nbconvert against the build under test. The committed
file is never written to."""
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile

from helpers import EXT, ROOT, Skip

NOTEBOOK = os.path.join(ROOT, "examples", "exportlens.ipynb")


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _outputs(nb):
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def _pngs(nb):
    return sum(1 for o in _outputs(nb) if "image/png" in o.get("data", {}))


def test_committed_notebook_keeps_its_outputs():
    nb = _load(NOTEBOOK)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("execution_count") for c in code), "the committed notebook was not run"
    errors = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    assert not errors, errors[0].get("evalue")
    assert _pngs(nb) >= 2, "the two charts are missing"
    assert sum(1 for o in _outputs(nb) if "text/html" in o.get("data", {})) >= 6, "tables are missing"


def test_committed_notebook_matches_its_generator():
    try:
        import nbformat  # noqa: F401
    except ImportError:
        raise Skip("nbformat is not installed (apt-get install python3-nbformat)")
    spec = importlib.util.spec_from_file_location("make_notebook", os.path.join(ROOT, "examples", "make_notebook.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    got = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in _load(NOTEBOOK)["cells"]]
    want = [src for _, src in mod.CELLS]
    assert got == want, "examples/exportlens.ipynb is out of date: run /usr/bin/python3 examples/make_notebook.py --execute"


def test_notebook_runs_headless():
    nbconvert = shutil.which("jupyter-nbconvert")
    if not nbconvert:
        raise Skip("jupyter-nbconvert is not installed (apt-get install jupyter-nbconvert python3-ipykernel "
                   "python3-nbformat python3-matplotlib)")
    out = tempfile.mkdtemp()
    env = dict(os.environ, EXPORTLENS_ROOT=ROOT, EXPORTLENS_EXT=EXT,
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.pop("MPLBACKEND", None)  # the kernel's inline backend puts the charts in the notebook
    before = os.stat(NOTEBOOK).st_mtime_ns
    p = subprocess.run([nbconvert, "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=300",
                        "--output-dir", out, "--output", "run.ipynb", NOTEBOOK],
                       capture_output=True, text=True, timeout=600, env=env)
    try:
        assert p.returncode == 0, (p.stderr or p.stdout)[-3000:]
        nb = _load(os.path.join(out, "run.ipynb"))
        assert not [o for o in _outputs(nb) if o.get("output_type") == "error"]
        assert _pngs(nb) >= 2, "the charts were not drawn"
        text = json.dumps(nb)
        for needle in ("country_exposure", "claim_check", "consistent", "differs"):
            assert needle in text, needle
    finally:
        shutil.rmtree(out, ignore_errors=True)
    assert os.stat(NOTEBOOK).st_mtime_ns == before, "the committed notebook was written to"
