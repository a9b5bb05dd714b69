#!/usr/bin/python3
"""Load a folder of article files into articles(id, path, title, body,
published, source, url): the Python equivalent of sql/load_articles.sql.

The loaders live in the Python package (exportlens/articles.py, installed by
`pip install .`); this script runs them from a source tree, and keeps the
names older code imports from here.

    /usr/bin/python3 sql/load_articles.py news.db [FOLDER]   # from a shell

    import exportlens                      # after pip install ., or with the repository on sys.path
    exportlens.load_articles(conn, "sql/data/articles")      # -> number of rows added

See exportlens/articles.py for the rules (the same as sql/load_articles.sql
for .txt files) and the JSON Lines and CSV collections it also reads. The
script loads the extension when this Python can, so that a JSON Lines file
(.jsonl, .ndjson, .gz too) is read by one lines_file() statement; otherwise
the Python reader loads it, with the same rows.
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from exportlens import ExtensionLoadError, create_views, load, load_dataset  # noqa: E402,F401
from exportlens.articles import CREATE, article_paths, load_articles, read_article  # noqa: E402,F401


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print("usage: load_articles.py DATABASE [FOLDER]   (FOLDER defaults to sql/data/articles;\n"
              "       a .txt, .jsonl, .ndjson, .json or .csv file, optionally .gz, is read too)",
              file=sys.stderr)
        return 2
    conn = sqlite3.connect(argv[1])
    try:
        load(conn)  # JSON Lines are then read by lines_file(), in C
    except ExtensionLoadError:
        pass  # a Python that cannot load extensions: the Python reader does it all
    try:
        n = load_articles(conn, argv[2] if len(argv) > 2 else "sql/data/articles")
    except (OSError, ValueError, sqlite3.Error) as e:
        print(str(e), file=sys.stderr)
        return 1
    print("load_articles: %d articles added to %s" % (n, argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
