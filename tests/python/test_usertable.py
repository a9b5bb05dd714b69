"""The shared user-table module (ext/common/el_usertable.c), through the three
functions that read a user's table: entities_with()'s dictionary,
export_terms_with()'s lexicon and screen()'s list. Each check runs for all
three: a rolled-back row stops matching, another connection's change to an
attached database is seen, an unchanged table is not read again, names and
columns are resolved the same way, and the same mistakes give the same
errors."""
import os
import sqlite3
import tempfile

from helpers import connect, expect_error

# fn, argument, noun, the columns, a row that matches WORD, how to query
KINDS = [
    ("entities_with", "dictionary", "dictionary", "name, label, canonical",
     lambda w: (w, "ORG", "x"),
     "SELECT count(*) FROM entities_with(?1, ?2) WHERE source LIKE 'dictionary:%'"),
    ("export_terms_with", "lexicon", "lexicon", "term, category, canonical",
     lambda w: (w, "thing", "x"),
     "SELECT count(*) FROM export_terms_with(?1, ?2) WHERE category = 'thing'"),
    ("screen", "list_table", "list", "name, alt_names, source, programs",
     lambda w: (w, "", "test", ""),
     "SELECT count(*) FROM screen(?1, ?2)"),
]
WORD = "Zentroxa Quillforge"


def _plain(path=":memory:"):
    c = connect(path)
    c.isolation_level = None  # BEGIN, COMMIT and ROLLBACK are ours
    return c


def _count(c, kind, table, text=WORD):
    return c.execute(kind[5], (text, table)).fetchone()[0]


def _make(c, kind, table):
    c.execute("CREATE TABLE %s(%s)" % (table, kind[3]))
    c.execute("INSERT INTO %s VALUES (%s)" % (table, ", ".join("?" * len(kind[4]("a")))),
              kind[4]("Plinthwark Ostrava"))


def _insert(c, kind, table, word=WORD):
    c.execute("INSERT INTO %s VALUES (%s)" % (table, ", ".join("?" * len(kind[4](word)))),
              kind[4](word))


def test_rolled_back_rows_stop_matching():
    for kind in KINDS:
        c = _plain()
        _make(c, kind, "t")
        assert _count(c, kind, "t") == 0, kind[0]
        c.execute("BEGIN")
        _insert(c, kind, "t")
        assert _count(c, kind, "t") == 1, kind[0]
        assert _count(c, kind, "t") == 1, kind[0]  # again, in the same transaction
        c.execute("ROLLBACK")
        assert _count(c, kind, "t") == 0, "%s: a rolled-back row still matches" % kind[0]
        # ROLLBACK TO a savepoint, inside a transaction that goes on
        c.execute("BEGIN")
        c.execute("SAVEPOINT s")
        _insert(c, kind, "t")
        assert _count(c, kind, "t") == 1, kind[0]
        c.execute("ROLLBACK TO s")
        assert _count(c, kind, "t") == 0, "%s: a row rolled back to a savepoint still matches" % kind[0]
        _insert(c, kind, "t")
        c.execute("COMMIT")
        assert _count(c, kind, "t") == 1, kind[0]
        # DDL inside a transaction, then rolled back
        c.execute("BEGIN")
        c.execute("DROP TABLE t")
        _make(c, kind, "t")
        assert _count(c, kind, "t") == 0, kind[0]
        c.execute("ROLLBACK")
        assert _count(c, kind, "t") == 1, kind[0]


def test_another_connection_changing_an_attached_database_is_seen():
    for kind in KINDS:
        d = tempfile.mkdtemp()
        other_db = os.path.join(d, "other.db")
        w = sqlite3.connect(other_db)
        w.isolation_level = None
        w.execute("CREATE TABLE t(%s)" % kind[3])
        c = _plain()
        c.execute("ATTACH ? AS lists", (other_db,))
        assert _count(c, kind, "lists.t") == 0, kind[0]
        _insert(w, kind, "t")  # another connection commits
        assert _count(c, kind, "lists.t") == 1, "%s: another connection's insert not seen" % kind[0]
        w.execute("DELETE FROM t")
        assert _count(c, kind, "lists.t") == 0, "%s: another connection's delete not seen" % kind[0]
        # the unqualified name finds it too (no table t in temp or main)
        _insert(w, kind, "t")
        assert _count(c, kind, "t") == 1, kind[0]
        # another file attached under the same name
        other2 = os.path.join(d, "other2.db")
        w2 = sqlite3.connect(other2)
        w2.execute("CREATE TABLE t(%s)" % kind[3])
        w2.commit()
        w2.close()
        c.execute("DETACH lists")
        c.execute("ATTACH ? AS lists", (other2,))
        assert _count(c, kind, "lists.t") == 0, "%s: a re-attached file is read as the old one" % kind[0]
        w.close()
        c.close()


def test_an_unchanged_table_is_not_read_again():
    """A TEMP view that counts its reads stands in for the table."""
    for kind in KINDS:
        c = _plain()
        reads = [0]

        def seen():
            reads[0] += 1
            return 1
        c.create_function("seen", 0, seen)
        _make(c, kind, "t")
        _insert(c, kind, "t")
        c.execute("CREATE TEMP VIEW tv AS SELECT * FROM t WHERE seen()")
        assert _count(c, kind, "tv") == 1
        n = reads[0]
        assert n > 0
        assert _count(c, kind, "tv") == 1 and _count(c, kind, "tv") == 1
        assert reads[0] == n, "%s: read again with nothing changed" % kind[0]
        # one statement over many rows reads it once
        c.execute("CREATE TABLE docs(body)")
        c.executemany("INSERT INTO docs VALUES (?)", [(WORD,)] * 20)
        n = reads[0]
        q = kind[5].replace("(?1, ?2)", "(docs.body, 'tv')").replace("FROM ", "FROM docs, ", 1)
        assert c.execute(q).fetchone()[0] == 20, (kind[0], q)
        assert reads[0] - n <= 2, "%s: read %d times in one statement" % (kind[0], reads[0] - n)
        # a change anywhere makes the next statement read it again (and see the change)
        n = reads[0]
        _insert(c, kind, "t", "Vorbelt Carrowind")
        assert _count(c, kind, "tv", "Vorbelt Carrowind") == 1
        assert reads[0] > n


def test_names_and_columns():
    for kind in KINDS:
        c = _plain()
        # a table whose name has a dot, and whose prefix is not a schema
        c.execute('CREATE TABLE "my.list"(%s)' % kind[3])
        _insert(c, kind, '"my.list"')
        assert _count(c, kind, "my.list") == 1, kind[0]
        # schema names are matched without regard to case
        c.execute("CREATE TEMP TABLE tt(%s)" % kind[3])
        _insert(c, kind, "tt")
        assert _count(c, kind, "TEMP.tt") == 1 and _count(c, kind, "temp.tt") == 1, kind[0]
        # columns are found by name, in any order, with others beside them
        cols = [x.strip() for x in kind[3].split(",")]
        c.execute("CREATE TABLE shuffled(extra1, %s, extra2)" % ", ".join(reversed(cols)))
        row = list(reversed(kind[4](WORD)))
        c.execute("INSERT INTO shuffled VALUES (0, %s, 0)" % ", ".join("?" * len(row)), row)
        assert _count(c, kind, "shuffled") == 1, kind[0]
        # a view works as the table
        c.execute("CREATE VIEW asview AS SELECT * FROM shuffled")
        assert _count(c, kind, "asview") == 1, kind[0]


def test_the_same_mistakes_give_the_same_errors():
    c = _plain()
    for fn, arg, noun, cols, row, q in KINDS:
        call = "SELECT * FROM %s('x', %%s)" % fn
        expect_error(c, call % "42", "%s(): %s must be a table name" % (fn, arg))
        expect_error(c, call % "''", "%s(): %s must be a table name" % (fn, arg))
        expect_error(c, call % "x'00'", "%s(): %s must be a table name" % (fn, arg))
        expect_error(c, call % "'nope'", "%s(): cannot read %s 'nope': no such table: nope" % (fn, noun))
        expect_error(c, call % "'nope.t'", "%s(): cannot read %s 'nope.t': no such table: nope.t" % (fn, noun))
        first = cols.split(",")[0]
        c.execute("CREATE TABLE IF NOT EXISTS wrong(zzz)")
        expect_error(c, call % "'wrong'", "%s(): %s 'wrong' has no column %s (it needs %s" % (
            fn, noun, first, cols.replace(", ", ", ", 1).rsplit(", ", 1)[0]))
    # and the pure forms check the argument the same way before naming the other form
    for fn, arg in (("entities", "dictionary"), ("export_terms", "lexicon")):
        expect_error(c, "SELECT * FROM %s('x', 42)" % fn, "%s(): %s must be a table name" % (fn, arg))
