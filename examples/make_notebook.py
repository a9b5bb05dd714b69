#!/usr/bin/python3
"""Writes examples/exportlens.ipynb from the cells below, then (with --execute)
runs it with nbconvert so that the committed copy keeps its outputs (tables
and charts as PNG).

    /usr/bin/python3 examples/make_notebook.py --execute     # after `make`

Edit the notebook here, not in Jupyter, so that the diff stays readable.
"""
import os
import subprocess
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "exportlens.ipynb")

CELLS = [
    ("md", """# exportlens in a notebook: articles, trade data and claims

This notebook uses the exportlens SQLite extension from Python. It

1. loads the sample articles (`sql/data/articles`) and the trade dataset
   (`sql/data/country_trade.csv`: World Bank WDI, UN Comtrade, KOSIS) into SQLite,
2. runs the showcase queries (the views of `sql/schema.sql`) into pandas DataFrames,
3. draws two charts: the countries the articles mention beside their trade indicators, and the
   articles' numeric claims against the data.

Everything happens in SQL: the extension turns each article into rows (`entities()`,
`export_terms()`, `quotes()`, `claims()`), and the views join those rows with the dataset.

It is the companion of the tutorial, `docs/tutorial.md`, which takes the same steps in the
`sqlite3` shell.

**To run it:** build the extension first (`make` in the repository root, or `pip install .`),
then run the notebook with a Python whose `sqlite3` module can load extensions, such as Debian's
`python3-ipykernel`. It finds the repository from its own folder. `EXPORTLENS_ROOT` and
`EXPORTLENS_EXT` (the library, without `.so`) override that."""),
    ("code", """import os
import sqlite3
import sys

import matplotlib.pyplot as plt
import pandas as pd

# The repository: the folder above this notebook's (Jupyter runs a notebook in its own folder).
ROOT = os.environ.get("EXPORTLENS_ROOT") or os.path.abspath("..")
assert os.path.exists(os.path.join(ROOT, "sql", "schema.sql")), "not the exportlens repository: " + ROOT
try:
    import exportlens  # installed with pip install .
except ImportError:
    sys.path.insert(0, ROOT)  # or the package in the repository, with the library that make built
    import exportlens

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 160)"""),
    ("md", """## 1. Load the articles and the trade dataset

One in-memory database. `exportlens.load` loads the extension into this connection and switches
extension loading off again, so SQL run later cannot load other libraries. `load_articles`
reads the folder into `articles(id, path, title, body, published, source, url)` (it also reads
JSON Lines and CSV collections), `load_dataset` imports the CSV with `csv_import()` into
`country_trade`, and `create_views` creates the showcase views."""),
    ("code", """conn = sqlite3.connect(":memory:")
exportlens.load(conn)

n_articles = exportlens.load_articles(conn, os.path.join(ROOT, "sql", "data", "articles"))
n_rows = exportlens.load_dataset(conn)
exportlens.create_views(conn)
version = conn.execute("SELECT exportlens_version()").fetchone()[0]
print(f"exportlens {version}: {n_articles} articles, {n_rows} rows of trade data")

def q(sql, **params):
    \"\"\"A query as a DataFrame.\"\"\"
    return pd.read_sql(sql, conn, params=params or None)

q(\"\"\"SELECT id, title, (SELECT count(*) FROM sentences(body)) AS sentences, token_count(body) AS tokens
     FROM articles ORDER BY id\"\"\")"""),
    ("md", """The dataset is in long form: one row per economy, year, indicator and object (a partner
economy or a product). `basis` says whether a figure was measured, derived from measured ones, or
only reported by an article (reported figures are never used to check a claim)."""),
    ("code", """q(\"\"\"SELECT indicator, basis, count(*) AS rows, count(DISTINCT iso3) AS economies,
            min(year) AS first_year, max(year) AS last_year
     FROM country_trade GROUP BY indicator, basis ORDER BY rows DESC\"\"\")"""),
    ("md", """## 2. Countries the articles mention, and their trade indicators

The view `country_exposure` counts, for each economy, the articles that mention it (by name or
demonym: "South Korean" counts for KOR) and its mentions, beside the latest value of three
indicators: exports as a share of GDP (WDI), its share of world exports of integrated circuits and
its integrated-circuit exports in US$ billions (Comtrade, HS 8542)."""),
    ("code", """exposure = q("SELECT * FROM country_exposure ORDER BY mentions DESC, iso3")
exposure.head(15)"""),
    ("code", """top = exposure.head(12).iloc[::-1]  # largest at the top of the chart
panels = [
    ("mentions", None, "Mentions in the articles", "#4c72b0", "{:.0f}"),
    ("exports_pct_gdp", "exports_pct_gdp_year", "Exports, % of GDP\\n(World Bank WDI)", "#55a868", "{:.1f}"),
    ("ic_world_export_share", "ic_world_export_share_year",
     "Share of world exports of\\nintegrated circuits, % (UN Comtrade)", "#c44e52", "{:.1f}"),
]
fig, axes = plt.subplots(1, 3, figsize=(14, 5.5), sharey=True)
for ax, (col, year_col, title, colour, fmt) in zip(axes, panels):
    values = top[col]
    years = top[year_col] if year_col else None
    one_year = years is not None and years.dropna().nunique() == 1
    ax.barh(top["country"], values, color=colour)  # a missing value draws no bar ...
    right = values.max() * 1.45
    for i, (v, y) in enumerate(zip(values, years if years is not None else [None] * len(values))):
        if pd.isna(v):  # ... and is said to be missing, so that it never looks like zero
            ax.text(0.01 * right, i, "no data", va="center", ha="left", fontsize=8, color="#777777", style="italic")
        else:
            label = fmt.format(v) + ("" if y is None or one_year or pd.isna(y) else f" ({y:.0f})")
            ax.text(v + 0.01 * right, i, label, va="center", fontsize=8)
    if one_year:
        title += f", {years.dropna().iloc[0]:.0f}"
    elif years is not None:
        title += ", latest year (in brackets)"
    ax.set_title(title, fontsize=10)
    ax.set_xlim(0, right)
    ax.grid(axis="x", alpha=0.3)
fig.suptitle("Countries by mentions in the articles, beside their trade indicators")
fig.tight_layout()
plt.show()"""),
    ("md", """Reading the chart: the articles talk most about China, the United States and South Korea.
Each figure is the latest year the dataset has for that country, and the year is written beside
it, because it is not the same for every country (the World Bank has 2022 for some and only 2021
for others). "no data" means the dataset has no such figure (the World Bank has no row for Taiwan,
for example): it is not a zero."""),
    ("md", """## 3. Export-control terms, people and quotes

`article_terms` counts the export-control measures, technologies, lists, agencies and citations
in each article; `entities()` gives people and organisations with their full names; and
`article_quotes` lists who said what."""),
    ("code", """q(\"\"\"SELECT canonical AS term, category, sum(mentions) AS mentions,
            group_concat(article_id, ',') AS articles
     FROM (SELECT * FROM article_terms ORDER BY article_id)
     GROUP BY canonical, category ORDER BY sum(mentions) DESC, canonical LIMIT 12\"\"\")"""),
    ("code", """q(\"\"\"SELECT e.label, e.canonical, count(*) AS mentions, group_concat(DISTINCT a.id) AS articles
     FROM articles a, entities(a.body) e
     WHERE e.label IN ('PERSON', 'ORG')
     GROUP BY e.label, e.canonical ORDER BY mentions DESC, e.label DESC, e.canonical LIMIT 12\"\"\")"""),
    ("code", """q(\"\"\"SELECT article_id, coalesce(speaker_canonical, speaker, '(unattributed)') AS speaker, quote
     FROM article_quotes ORDER BY article_id, start\"\"\")"""),
    ("md", """## 4. Claims against the data

`claims()` reads numeric claims such as "China accounts for more than 30% of South Korean
exports" as (subject CHN, metric share_of_exports, object KOR, value 30, qualifier "more
than"). The view `claim_check` puts each claim beside the dataset's figure for the same subject,
metric, object and year (the latest year when the claim states none) and gives a verdict:
`consistent`, `differs` or `no data`. A bound ("more than 30%") must hold exactly; a plain or
approximate figure may be off by 1 percentage point or 5% of its value."""),
    ("code", """checks = q(\"\"\"SELECT article_id, subject, metric, coalesce(object, '') AS object, qualifier,
            claim_value, unit, claim_year, data_value, data_year, year_basis, difference, verdict,
            data_source
     FROM claim_check ORDER BY article_id, start\"\"\")
print(checks["verdict"].value_counts().to_string())
checked = checks[checks["verdict"] != "no data"]
checked"""),
    ("code", """names = dict(conn.execute("SELECT iso3, common_name FROM countries"))
titles = dict(conn.execute("SELECT id, title FROM articles"))

def name(code):
    return names.get(code, code) if code else ""

def describe(r):
    \"\"\"The claim in words: what is measured, of whom.\"\"\"
    s, o = name(r.subject), name(r.object)
    return {
        "share_of_exports": f"{s}'s share of {o}'s exports",
        "share_of_imports": f"{o}'s share of {s}'s imports",
        "share_of_world_exports": f"{s}'s share of world exports of {o}",
        "share_of_world_production": f"{s}'s share of world production of {o}",
        "exports_pct_gdp": f"{s}'s exports as a share of GDP",
        "exports_value": f"{s}'s exports to {o}",
        "imports_value": f"{s}'s imports from {o}",
    }.get(r.metric, f"{s}: {r.metric.replace('_', ' ')} {o}".strip())

def short(title, n=55):
    return title if len(title) <= n else title[:n].rsplit(" ", 1)[0] + "…"

def band(r):
    \"\"\"The data values that would make the claim consistent (the rule of claim_check).\"\"\"
    v, q = r.claim_value, (r.qualifier or "").lower()
    if q in ("more than", "over", "above", "exceeding", "at least"):
        return v, float("inf")
    if q in ("less than", "under", "below", "fewer than", "up to", "at most", "no more than"):
        return float("-inf"), v
    tol = max(1.0, 0.05 * abs(v)) if r.unit == "%" else 0.05 * abs(v)
    return v - tol, v + tol

checked = checked.assign(what=[describe(r) for r in checked.itertuples()])
pct = checked[checked["unit"] == "%"].iloc[::-1]
money = checked[checked["unit"] != "%"].iloc[::-1]
colours = {"consistent": "#55a868", "differs": "#c44e52"}
fig, axes = plt.subplots(2, 1, figsize=(11, 1.6 + 0.62 * len(checked)),
                         gridspec_kw={"height_ratios": [max(len(pct), 1), max(len(money), 1)]})
for ax, part, scale, unit in ((axes[0], pct, 1, "%"), (axes[1], money, 1e9, "US$ billion")):
    if part.empty:
        ax.set_visible(False)
        continue
    hi = max(part["claim_value"].max(), part["data_value"].max()) / scale * 1.25
    for i, r in enumerate(part.itertuples()):
        lo_b, hi_b = (x / scale for x in band(r))
        ax.barh(i, min(hi_b, hi) - max(lo_b, 0), left=max(lo_b, 0), height=0.5, color="#4c72b0",
                alpha=0.15, label="data values that fit the claim (tolerance or bound)" if i == 0 else None)
        ax.plot([r.claim_value / scale, r.data_value / scale], [i, i], color="#999999", lw=1.5, zorder=1)
        ax.scatter(r.claim_value / scale, i, marker="D", s=55, color=colours[r.verdict], zorder=3,
                   label="claimed (green: consistent, red: differs)" if i == 0 else None)
        ax.scatter(r.data_value / scale, i, marker="o", s=45, color="black", zorder=3,
                   label="dataset" if i == 0 else None)
    ax.set_yticks(range(len(part)))
    ax.set_yticklabels([f"{r.what}: {(r.qualifier + ' ') if r.qualifier else ''}{r.claim_value / scale:g}"
                        f" vs {r.data_value / scale:.4g} ({r.data_year:.0f})\\n"
                        f"article {r.article_id}: {short(titles[r.article_id])}" for r in part.itertuples()], fontsize=8)
    ax.set_xlim(0, hi)
    ax.set_xlabel(unit)
    ax.grid(axis="x", alpha=0.3)
axes[0].set_title("Claims in the articles against the dataset")
axes[0].legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()"""),
    ("md", """Each row is one claim and the article it came from. The diamond is what the article says,
the black dot what the dataset has for the same economy, indicator and year (the year is in
brackets). The shaded band is the range of data values that would make the claim consistent:
within 1 percentage point or 5% of the claim for a plain or approximate figure ("about 25%"),
and everything above the claim for a bound such as "more than 30%" (the band runs off the
chart). A claim differs when the dot falls outside its band, however close it is."""),
    ("code", """q(\"\"\"SELECT article_id, subject, metric, qualifier, claim_value, data_value, data_year, verdict, evidence
     FROM claim_check WHERE verdict = 'differs' ORDER BY article_id, start\"\"\")"""),
    ("md", """## 5. Your own questions

Every view is an ordinary SQL view over the extension's functions, so any question is one query
away. For example, the sentences that mention an export-control list together with a country:"""),
    ("code", """q(\"\"\"SELECT a.id AS article_id, s.sentence, t.canonical AS list, group_concat(DISTINCT e.canonical) AS countries
     FROM articles a, sentences(a.body) s, export_terms(s.text) t, entities(s.text) e
     WHERE t.category = 'list' AND e.label IN ('GPE', 'NORP') AND length(e.canonical) = 3
     GROUP BY a.id, s.sentence, t.canonical ORDER BY a.id, s.sentence LIMIT 10\"\"\")"""),
    ("code", """conn.close()"""),
]


def build():
    nb = new_notebook()
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in CELLS]
    for i, cell in enumerate(nb.cells):
        cell["id"] = "cell-%02d" % i  # stable ids keep the committed diff small
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    with open(OUT, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)


def main(argv):
    build()
    if "--execute" in argv:
        subprocess.run(["jupyter-nbconvert", "--to", "notebook", "--execute", "--inplace",
                        "--ExecutePreprocessor.timeout=300", OUT], check=True)
    print("wrote", os.path.relpath(OUT))


if __name__ == "__main__":
    main(sys.argv)
