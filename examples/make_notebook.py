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

**To run it:** build the extension first (`make` in the repository root), then run the notebook
with a Python whose `sqlite3` module can load extensions, such as Debian's `python3-ipykernel`.
It finds the repository from its own folder. `EXPORTLENS_ROOT` and `EXPORTLENS_EXT` (the
library, without `.so`) override that."""),
    ("code", """import os
import sqlite3
import sys

import matplotlib.pyplot as plt
import pandas as pd

# The repository: the folder above this notebook's (Jupyter runs a notebook in its own folder).
ROOT = os.environ.get("EXPORTLENS_ROOT") or os.path.abspath("..")
EXT = os.environ.get("EXPORTLENS_EXT") or os.path.join(ROOT, "build", "exportlens")
assert os.path.exists(os.path.join(ROOT, "sql", "schema.sql")), "not the exportlens repository: " + ROOT
assert os.path.exists(EXT + ".so"), "build the extension first: run make in " + ROOT

sys.path.insert(0, os.path.join(ROOT, "sql"))
from load_articles import create_views, load_articles, load_dataset

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 160)"""),
    ("md", """## 1. Load the articles and the trade dataset

One in-memory database. The extension is loaded into this connection, then extension loading is
switched off again, so SQL run later cannot load other libraries. `load_articles` reads the
folder into `articles(id, path, title, body)`, `load_dataset` imports the CSV with `csv_import()`
into `country_trade`, and `create_views` creates the showcase views."""),
    ("code", """conn = sqlite3.connect(":memory:")
conn.enable_load_extension(True)
conn.load_extension(EXT)
conn.enable_load_extension(False)

n_articles = load_articles(conn, os.path.join(ROOT, "sql", "data", "articles"))
n_rows = load_dataset(conn)
create_views(conn)
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
fig, axes = plt.subplots(1, 3, figsize=(13, 5), sharey=True)
axes[0].barh(top["country"], top["mentions"], color="#4c72b0")
axes[0].set_title("Mentions in the articles")
axes[1].barh(top["country"], top["exports_pct_gdp"], color="#55a868")
axes[1].set_title("Exports, % of GDP (WDI, latest year)")
axes[2].barh(top["country"], top["ic_world_export_share"], color="#c44e52")
axes[2].set_title("Share of world IC exports, % (Comtrade)")
for ax in axes:
    ax.grid(axis="x", alpha=0.3)
fig.suptitle("Countries by mentions, beside their trade indicators")
fig.tight_layout()
plt.show()"""),
    ("md", """Reading the chart: the articles talk most about China, the United States and South Korea.
Among the economies they mention, the most export-dependent (exports well over half of GDP) and
the big integrated-circuit exporters (Taiwan, Hong Kong, Singapore, Malaysia) are mentioned far
less than the three leading ones. A missing bar means the dataset has no such figure (WDI has no
row for Taiwan, for example)."""),
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
    ("code", """def label(r):
    obj = f" {r.object}" if r.object else ""
    qual = f"{r.qualifier} " if r.qualifier else ""
    value = f"{r.claim_value:g}%" if r.unit == "%" else f"{r.claim_value / 1e9:g} bn"
    return f"{r.subject} {r.metric.replace('_', ' ')}{obj}: {qual}{value} ({r.data_year:.0f})"

pct = checked[checked["unit"] == "%"].iloc[::-1]
money = checked[checked["unit"] != "%"].iloc[::-1]
colours = {"consistent": "#55a868", "differs": "#c44e52"}
fig, axes = plt.subplots(1, 2, figsize=(13, 1.2 + 0.45 * max(len(pct), len(money), 1)),
                         gridspec_kw={"width_ratios": [3, 2]})
for ax, part, scale, unit in ((axes[0], pct, 1, "%"), (axes[1], money, 1e9, "US$ bn")):
    y = range(len(part))
    ax.barh([i + 0.2 for i in y], part["data_value"] / scale, height=0.4, color="#8c8c8c", label="dataset")
    ax.barh([i - 0.2 for i in y], part["claim_value"] / scale, height=0.4,
            color=[colours[v] for v in part["verdict"]], label="claim (colour: verdict)")
    ax.set_yticks(list(y))
    ax.set_yticklabels([label(r) for r in part.itertuples()], fontsize=8)
    ax.set_xlabel(unit)
    ax.grid(axis="x", alpha=0.3)
axes[0].set_title("Claims in %: claimed (green consistent, red differs) vs dataset (grey)")
axes[1].set_title("Claims in money")
axes[0].legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()"""),
    ("md", """Each pair of bars is one claim: the coloured bar is what the article says, the grey bar
what the dataset has for the same economy, indicator and year. Where they differ, the table
above shows the evidence sentence's figures and the source of the data; the claim with a bound
("more than ...") differs when the data does not satisfy the bound, however close it is."""),
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
