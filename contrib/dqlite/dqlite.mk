# contrib/dqlite: exportlens on dqlite, Canonical's Raft-replicated SQLite.
# Included by the top Makefile.
#
#   make dqlite        build/exportlens-dqlite (a node with the extension, and a client)
#   make test-dqlite   3 nodes on loopback: same answers as sqlite3, failover, catch-up
#
# libdqlite-dev (1.11 in Debian 12) is the node's library; go-dqlite brings
# the `dqlite` shell, which the test also drives.
DQLITE_PACKAGES := libdqlite-dev go-dqlite
DQLITE_CFLAGS    = $(shell pkg-config --cflags dqlite 2>/dev/null)
DQLITE_LIBS      = $(shell pkg-config --libs dqlite 2>/dev/null || echo -ldqlite)

.PHONY: dqlite dqlite-deps test-dqlite

dqlite-deps: build/.deps-ok
	$(call ensure_packages,$(DQLITE_PACKAGES))

dqlite: $(B)/exportlens-dqlite

# Linked with the static library, so the node carries the extension it runs.
$(B)/exportlens-dqlite: contrib/dqlite/exportlens-dqlite.c include/exportlens.h $(B)/libexportlens.a | dqlite-deps
	$(CC) $(ALL_CFLAGS) $(DQLITE_CFLAGS) -o $@ $< $(B)/libexportlens.a $(DQLITE_LIBS) -lsqlite3 $(LIBS) -lpthread

test-dqlite: dqlite
	@B=$(B) SQLITE3=$(SQLITE3) bash contrib/dqlite/test_cluster.sh
