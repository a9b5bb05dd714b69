"""The notebook's charts, drawn from its generator's cells with matplotlib's
Agg backend and read back as matplotlib objects: a missing value is written
"no data" (never a zero-length bar alone), years are written where they differ
by country, the claims are a dot chart with a tolerance band and the article
each came from, and the labels are words, not metric identifiers."""
import contextlib
import importlib.util
import io
import os
import re

from helpers import EXT, ROOT, Skip


_CACHE = []


def _figures():
    if not _CACHE:
        _CACHE.append(_draw())
    return _CACHE[0]


def _draw():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import pandas  # noqa: F401
    except ImportError:
        raise Skip("matplotlib or pandas is not installed (apt-get install python3-matplotlib python3-pandas)")
    spec = importlib.util.spec_from_file_location("make_notebook", os.path.join(ROOT, "examples", "make_notebook.py"))
    try:
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    except ImportError:
        raise Skip("nbformat is not installed (apt-get install python3-nbformat)")
    shown = []
    old = dict((k, os.environ.get(k)) for k in ("EXPORTLENS_ROOT", "EXPORTLENS_EXT"))
    os.environ.update(EXPORTLENS_ROOT=ROOT, EXPORTLENS_EXT=EXT)
    real_show = plt.show
    plt.show = lambda *a, **k: shown.append(plt.gcf())
    try:
        env = {}
        with contextlib.redirect_stdout(io.StringIO()):  # the cells' printed summaries
            for kind, src in mod.CELLS:
                if kind == "code":
                    exec(compile(src, "<notebook cell>", "exec"), env)
    finally:
        plt.show = real_show
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return shown


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_exposure_chart_marks_missing_values_and_years():
    exposure = _figures()[0]
    axes = exposure.axes
    wdi, ic = axes[1], axes[2]
    names = [t.get_text() for t in axes[0].get_yticklabels()]
    row = names.index("Taiwan")  # the World Bank has no Taiwan
    missing = [t for t in wdi.texts if t.get_text() == "no data"]
    assert missing and any(abs(t.get_position()[1] - row) < 0.01 for t in missing), _texts(wdi)
    # the latest year differs by country (2021 and 2022): each value carries its year
    years = {m.group(1) for t in _texts(wdi) for m in [re.search(r"\((\d{4})\)$", t)] if m}
    assert {"2021", "2022"} <= years, _texts(wdi)
    for ax in axes:
        assert "_" not in ax.get_title(), ax.get_title()


def test_claims_chart_is_a_dot_chart_with_bands_and_articles():
    claims = _figures()[1]
    ax = claims.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels and all(re.search(r"\narticle \d+: \S", l) for l in labels), labels
    assert not any(re.search(r"\b[a-z]+_[a-z_]+\b", l) for l in labels), "metric identifiers in %s" % labels
    assert any("China's share of South Korea's exports" in l for l in labels), labels
    assert len(ax.collections) >= 2 * len(labels), "a claimed and a data dot per claim"
    assert len(ax.patches) >= len(labels), "a tolerance band per claim"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("fit the claim" in t for t in legend) and any("dataset" in t for t in legend), legend
