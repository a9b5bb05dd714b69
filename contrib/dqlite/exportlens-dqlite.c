/*
** exportlens-dqlite: a dqlite node with the exportlens extension, and a small
** client for it.
**
**   exportlens-dqlite node --id N --address HOST:PORT --dir DIR [--join ADDRS]
**                          [--full] [--latency-ms MS] [--no-handover]
**   exportlens-dqlite sql      --cluster ADDRS [--db NAME] [--exec] [--header] [SQL]
**   exportlens-dqlite leader   --cluster ADDRS
**   exportlens-dqlite cluster  --cluster ADDRS
**   exportlens-dqlite transfer --cluster ADDRS [--to ID]
**
** The node registers the extension with sqlite3_auto_extension() before
** dqlite_node_start(): dqlite opens its connections with sqlite3_open_v2()
** against the same SQLite library, so every connection of the node has it.
** The entry point is sqlite3_exportlens_noread_init unless --full is given,
** so that SQL sent to the cluster cannot read the node's own files.
**
** libdqlite 1.11 has no client API, so the client side speaks dqlite's wire
** protocol (version 1) itself: a handshake word, then messages of one header
** word (body size in words, type, revision) and a body of 8-byte words.
** Only what this program needs is implemented: LEADER, OPEN, EXEC_SQL,
** QUERY_SQL, ADD, ASSIGN, CLUSTER, TRANSFER.
**
** Exit codes of the client commands: 0 success; 1 usage or SQL error; 2 no
** leader could be reached before --timeout; 3 the connection was lost after a
** write was sent, so whether it was applied is unknown.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <dqlite.h>
#include <sqlite3.h>

#include "exportlens.h"

/* ---- wire protocol constants (dqlite's doc/protocol.md) ------------------ */
#define WP_VERSION 1
#define REQ_LEADER 0
#define REQ_OPEN 3
#define REQ_EXEC_SQL 8
#define REQ_QUERY_SQL 9
#define REQ_ADD 12
#define REQ_ASSIGN 13
#define REQ_CLUSTER 16
#define REQ_TRANSFER 17
#define RES_FAILURE 0
#define RES_SERVER 1
#define RES_SERVERS 3
#define RES_DB 4
#define RES_RESULT 6
#define RES_ROWS 7
#define RES_EMPTY 8
#define ROWS_PART 0xeeeeeeeeeeeeeeeeULL
#define ROWS_DONE 0xffffffffffffffffULL
#define ROLE_VOTER 0
/* dqlite's extended SQLite codes for "this node is not (or no longer) the leader" */
#define EL_IOERR_NOT_LEADER (SQLITE_IOERR | (40 << 8))
#define EL_IOERR_LEADERSHIP_LOST (SQLITE_IOERR | (41 << 8))
/* A response larger than this is refused rather than allocated. */
#define MAX_BODY ((size_t)1 << 30)

enum { EXIT_SQL = 1, EXIT_NO_LEADER = 2, EXIT_UNKNOWN = 3 };

static const char *progname = "exportlens-dqlite";

static void die_usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", progname);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(run %s --help for usage)\n", progname);
  va_end(ap);
  exit(EXIT_SQL);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* ---- message buffers -------------------------------------------------------- */
typedef struct {
  uint8_t *p;
  size_t len, cap;
  int oom;
} wbuf;

static void wb_reserve(wbuf *b, size_t n) {
  if (b->oom || b->len + n <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + n) cap *= 2;
  uint8_t *p = realloc(b->p, cap);
  if (p == NULL) {
    b->oom = 1;
    return;
  }
  b->p = p;
  b->cap = cap;
}

static void wb_u64(wbuf *b, uint64_t v) {
  wb_reserve(b, 8);
  if (b->oom) return;
  for (int i = 0; i < 8; i++) b->p[b->len++] = (uint8_t)(v >> (8 * i));
}

/* text: the bytes, a NUL, zero padding to the next word */
static void wb_text(wbuf *b, const char *s, size_t n) {
  size_t padded = (n + 1 + 7) & ~(size_t)7;
  wb_reserve(b, padded);
  if (b->oom) return;
  memcpy(b->p + b->len, s, n);
  memset(b->p + b->len + n, 0, padded - n);
  b->len += padded;
}

typedef struct {
  const uint8_t *p;
  size_t len, pos;
  int bad;
} rbuf;

static uint64_t rb_u64(rbuf *r) {
  if (r->bad || r->len - r->pos < 8) {
    r->bad = 1;
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v |= (uint64_t)r->p[r->pos + i] << (8 * i);
  r->pos += 8;
  return v;
}

static uint64_t rb_peek_u64(const rbuf *r) {
  rbuf copy = *r;
  return rb_u64(&copy);
}

/* Returns a pointer to a NUL-terminated string inside the buffer. */
static const char *rb_text(rbuf *r, size_t *n) {
  if (r->bad) return "";
  const uint8_t *start = r->p + r->pos;
  const uint8_t *nul = memchr(start, 0, r->len - r->pos);
  if (nul == NULL) {
    r->bad = 1;
    return "";
  }
  size_t len = (size_t)(nul - start);
  size_t padded = (len + 1 + 7) & ~(size_t)7;
  if (padded > r->len - r->pos) {
    r->bad = 1;
    return "";
  }
  r->pos += padded;
  if (n) *n = len;
  return (const char *)start;
}

static const uint8_t *rb_blob(rbuf *r, size_t *n) {
  uint64_t len = rb_u64(r);
  if (r->bad) return NULL;
  uint64_t padded = (len + 7) & ~(uint64_t)7;
  if (len > r->len - r->pos || padded > r->len - r->pos) {
    r->bad = 1;
    return NULL;
  }
  const uint8_t *p = r->p + r->pos;
  r->pos += (size_t)padded;
  *n = (size_t)len;
  return p;
}

/* ---- connections ------------------------------------------------------------ */
typedef struct {
  int fd;
  char addr[256];
  uint8_t *body; /* last response */
  size_t body_len;
  int type;
  uint64_t fail_code;
  char fail_msg[512];
} dconn;

/* Waits for fd to be readable (POLLIN) or writable (POLLOUT) until deadline. */
static int wait_fd(int fd, short events, double deadline) {
  for (;;) {
    double left = deadline - now_s();
    if (left <= 0) return -1;
    struct pollfd pfd = {fd, events, 0};
    int ms = left > 3600 ? 3600000 : (int)(left * 1000) + 1;
    int rc = poll(&pfd, 1, ms);
    if (rc > 0) return 0;
    if (rc < 0 && errno != EINTR) return -1;
  }
}

static int split_hostport(const char *addr, char *host, size_t hostsz, char *port, size_t portsz) {
  const char *colon = strrchr(addr, ':');
  if (colon == NULL || colon == addr || colon[1] == 0) return -1;
  size_t hl = (size_t)(colon - addr);
  if (hl >= hostsz || strlen(colon + 1) >= portsz) return -1;
  memcpy(host, addr, hl);
  host[hl] = 0;
  strcpy(port, colon + 1);
  return 0;
}

/* Connects with a deadline and sends the protocol version word. */
static int dconn_open(dconn *c, const char *addr, double deadline) {
  char host[256], port[32];
  memset(c, 0, sizeof *c);
  c->fd = -1;
  if (strlen(addr) >= sizeof c->addr || split_hostport(addr, host, sizeof host, port, sizeof port) != 0) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "bad address '%s' (want HOST:PORT)", addr);
    return -1;
  }
  strcpy(c->addr, addr);
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &res) != 0 || res == NULL) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "cannot resolve %s", addr);
    return -1;
  }
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int ok = fd >= 0;
  if (ok && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    ok = errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) == 0;
    if (ok) {
      int err = 0;
      socklen_t len = sizeof err;
      ok = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
  }
  freeaddrinfo(res);
  if (!ok) {
    if (fd >= 0) close(fd);
    snprintf(c->fail_msg, sizeof c->fail_msg, "cannot connect to %s", addr);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->fd = fd;
  return 0;
}

static void dconn_close(dconn *c) {
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
  free(c->body);
  c->body = NULL;
  c->body_len = 0;
}

static int send_all(int fd, const uint8_t *p, size_t n, double deadline) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (wait_fd(fd, POLLOUT, deadline) != 0) return -1;
    } else {
      return -1;
    }
  }
  return 0;
}

static int recv_all(int fd, uint8_t *p, size_t n, double deadline) {
  while (n > 0) {
    ssize_t r = recv(fd, p, n, 0);
    if (r > 0) {
      p += r;
      n -= (size_t)r;
    } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (wait_fd(fd, POLLIN, deadline) != 0) return -1;
    } else {
      return -1; /* closed or error */
    }
  }
  return 0;
}

/* Sends one message (the first connection's message is preceded by the
** protocol version word). */
static int dconn_send(dconn *c, int type, const wbuf *body, double deadline, int handshake) {
  uint8_t hdr[16];
  size_t off = 0;
  if (handshake) {
    uint64_t v = WP_VERSION;
    for (int i = 0; i < 8; i++) hdr[off++] = (uint8_t)(v >> (8 * i));
  }
  uint32_t words = (uint32_t)(body->len / 8);
  for (int i = 0; i < 4; i++) hdr[off++] = (uint8_t)(words >> (8 * i));
  hdr[off++] = (uint8_t)type;
  hdr[off++] = 0; /* schema revision */
  hdr[off++] = 0;
  hdr[off++] = 0;
  if (send_all(c->fd, hdr, off, deadline) != 0 || send_all(c->fd, body->p, body->len, deadline) != 0) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "connection to %s lost while sending", c->addr);
    return -1;
  }
  return 0;
}

/* Receives one message into c->body; a FAILURE response fills fail_code and
** fail_msg. Returns -1 on a broken connection or malformed message. */
static int dconn_recv(dconn *c, double deadline) {
  uint8_t hdr[8];
  free(c->body);
  c->body = NULL;
  c->body_len = 0;
  if (recv_all(c->fd, hdr, 8, deadline) != 0) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "connection to %s lost or timed out", c->addr);
    return -1;
  }
  size_t words = (size_t)hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 24;
  if (words > MAX_BODY / 8) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "response from %s too large (%zu bytes)", c->addr, words * 8);
    return -1;
  }
  c->type = hdr[4];
  c->body_len = words * 8;
  c->body = malloc(c->body_len ? c->body_len : 1);
  if (c->body == NULL) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "out of memory");
    return -1;
  }
  if (recv_all(c->fd, c->body, c->body_len, deadline) != 0) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "connection to %s lost or timed out", c->addr);
    return -1;
  }
  c->fail_code = 0;
  if (c->type == RES_FAILURE) {
    rbuf r = {c->body, c->body_len, 0, 0};
    c->fail_code = rb_u64(&r);
    const char *msg = rb_text(&r, NULL);
    snprintf(c->fail_msg, sizeof c->fail_msg, "%s", r.bad ? "malformed failure response" : msg);
  }
  return 0;
}

/* One request, one response of the expected type. Returns 0, or -1 with
** c->fail_msg set; *lost is set when the connection broke. */
static int dconn_call(dconn *c, int type, const wbuf *body, int want, double deadline, int handshake, int *lost) {
  *lost = 0;
  if (body->oom) {
    snprintf(c->fail_msg, sizeof c->fail_msg, "out of memory");
    return -1;
  }
  if (dconn_send(c, type, body, deadline, handshake) != 0 || dconn_recv(c, deadline) != 0) {
    *lost = 1;
    return -1;
  }
  if (c->type == RES_FAILURE) return -1;
  if (c->type != want) {
    c->fail_code = 0;
    snprintf(c->fail_msg, sizeof c->fail_msg, "unexpected response type %d from %s", c->type, c->addr);
    return -1;
  }
  return 0;
}

/* ---- finding the leader ------------------------------------------------------- */
typedef struct {
  char **addrs;
  int n;
} addr_list;

static addr_list parse_addrs(const char *s) {
  addr_list l = {NULL, 0};
  char *copy = strdup(s);
  if (copy == NULL) die_usage("out of memory");
  for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
    while (*tok == ' ') tok++;
    if (*tok == 0) continue;
    char **a = realloc(l.addrs, sizeof *a * (size_t)(l.n + 1));
    if (a == NULL || (a[l.n] = strdup(tok)) == NULL) die_usage("out of memory");
    l.addrs = a;
    l.n++;
  }
  free(copy);
  if (l.n == 0) die_usage("no address in '%s'", s);
  return l;
}

static void free_addrs(addr_list *l) {
  for (int i = 0; i < l->n; i++) free(l->addrs[i]);
  free(l->addrs);
  l->addrs = NULL;
  l->n = 0;
}

/* Asks the node at addr who leads. Returns 0 and fills id/leader (empty when
** the node knows no leader), -1 when the node cannot be reached. The
** connection is left open in *c (handshake done). */
static int ask_leader(dconn *c, const char *addr, double deadline, uint64_t *id, char *leader, size_t lsz) {
  double d = deadline < now_s() + 2 ? deadline : now_s() + 2;
  if (dconn_open(c, addr, d) != 0) return -1;
  wbuf b = {0};
  wb_u64(&b, 0);
  int lost;
  int rc = dconn_call(c, REQ_LEADER, &b, RES_SERVER, d, 1, &lost);
  free(b.p);
  if (rc != 0) {
    dconn_close(c);
    return -1;
  }
  rbuf r = {c->body, c->body_len, 0, 0};
  *id = rb_u64(&r);
  const char *a = rb_text(&r, NULL);
  if (r.bad) {
    dconn_close(c);
    return -1;
  }
  snprintf(leader, lsz, "%s", a);
  return 0;
}

/* Connects to the current leader, trying every address until deadline.
** Returns 0 with *c open on the leader (handshake done), or -1. */
static int connect_leader(const addr_list *l, double deadline, dconn *c, uint64_t *leader_id, int quiet) {
  char leader[256];
  uint64_t id = 0;
  for (;;) {
    for (int i = 0; i < l->n; i++) {
      if (ask_leader(c, l->addrs[i], deadline, &id, leader, sizeof leader) != 0) continue;
      if (leader[0] == 0) {
        dconn_close(c);
        continue;
      }
      if (strcmp(leader, l->addrs[i]) != 0) {
        dconn_close(c);
        uint64_t id2;
        char again[256];
        /* Ask the leader itself, so that a stale answer is not followed. */
        if (ask_leader(c, leader, deadline, &id2, again, sizeof again) != 0) continue;
        if (strcmp(again, leader) != 0) {
          dconn_close(c);
          continue;
        }
      }
      if (leader_id) *leader_id = id;
      return 0;
    }
    if (now_s() >= deadline) break;
    sleep_ms(100);
  }
  if (!quiet) fprintf(stderr, "%s: no leader reachable through %s ... before the timeout\n", progname, l->addrs[0]);
  return -1;
}

/* ---- SQL statements ------------------------------------------------------------ */

/* Skips whitespace and comments. */
static const char *skip_space(const char *s, const char *end) {
  for (;;) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f')) s++;
    if (end - s >= 2 && s[0] == '-' && s[1] == '-') {
      while (s < end && *s != '\n') s++;
    } else if (end - s >= 2 && s[0] == '/' && s[1] == '*') {
      s += 2;
      while (end - s >= 2 && !(s[0] == '*' && s[1] == '/')) s++;
      s = end - s >= 2 ? s + 2 : end;
    } else {
      return s;
    }
  }
}

/* Scans a statement's words at parenthesis depth 0 (strings, quoted names
** and comments skipped) and reports whether any of them is one of kw. */
static int has_top_level_word(const char *s, const char *end, const char *const *kw, size_t nkw, int eq) {
  int depth = 0;
  while (s < end) {
    s = skip_space(s, end);
    if (s >= end) break;
    char c = *s;
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      for (s++; s < end && *s != close; s++) {
      }
      s++;
    } else if (c == '(') {
      depth++, s++;
    } else if (c == ')') {
      depth--, s++;
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      const char *w = s;
      while (s < end && (((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) s++;
      for (size_t i = 0; depth == 0 && i < nkw; i++) {
        if (strlen(kw[i]) == (size_t)(s - w) && strncasecmp(w, kw[i], (size_t)(s - w)) == 0) return 1;
      }
    } else {
      if (eq && c == '=' && depth == 0) return 1;
      s++;
    }
  }
  return 0;
}

/* A statement that yields rows goes to QUERY_SQL, the rest to EXEC_SQL.
** dqlite replicates only what EXEC_SQL runs, so a statement that may write
** is never sent as a query: WITH ... INSERT/UPDATE/DELETE/REPLACE and
** PRAGMA name = value go to EXEC_SQL. */
static int is_query(const char *s, const char *end) {
  static const char *const reads[] = {"SELECT", "VALUES", "WITH", "PRAGMA", "EXPLAIN"};
  static const char *const writes[] = {"INSERT", "UPDATE", "DELETE", "REPLACE"};
  s = skip_space(s, end);
  size_t n = 0;
  while (s + n < end && ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z')) n++;
  for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
    if (strlen(reads[i]) != n || strncasecmp(s, reads[i], n) != 0) continue;
    if (i == 2) return !has_top_level_word(s + n, end, writes, sizeof writes / sizeof writes[0], 0);
    if (i == 3) return !has_top_level_word(s + n, end, NULL, 0, 1);
    return 1;
  }
  return 0;
}

/* Splits a script into complete statements (sqlite3_complete decides where a
** ';' ends one, so that ';' in strings, comments and trigger bodies stays).
** Calls fn on each non-empty statement; stops at the first non-zero return. */
static int for_each_statement(const char *sql, int (*fn)(const char *, size_t, void *), void *arg) {
  size_t n = strlen(sql);
  size_t start = 0;
  char *tmp = malloc(n + 1);
  if (tmp == NULL) return EXIT_SQL;
  int rc = 0;
  for (size_t i = 0; i <= n && rc == 0; i++) {
    int at_end = i == n;
    if (!at_end && sql[i] != ';') continue;
    size_t len = i - start + (at_end ? 0 : 1);
    memcpy(tmp, sql + start, len);
    tmp[len] = 0;
    if (!at_end && !sqlite3_complete(tmp)) continue;
    const char *b = skip_space(sql + start, sql + start + len);
    if (b < sql + start + len && !(*b == ';' && skip_space(b + 1, sql + start + len) == sql + start + len)) {
      rc = fn(sql + start, len, arg);
    }
    start = i + 1;
  }
  free(tmp);
  return rc;
}

typedef struct {
  const addr_list *cluster;
  const char *db;
  double timeout;
  int force_exec, header;
  dconn c;
  int open; /* c is connected to the leader with db opened */
} sql_session;

static int session_connect(sql_session *s, double deadline) {
  if (s->open) return 0;
  if (connect_leader(s->cluster, deadline, &s->c, NULL, 0) != 0) return EXIT_NO_LEADER;
  wbuf b = {0};
  wb_text(&b, s->db, strlen(s->db));
  wb_u64(&b, 0);
  wb_text(&b, "", 0);
  int lost;
  int rc = dconn_call(&s->c, REQ_OPEN, &b, RES_DB, deadline, 0, &lost);
  free(b.p);
  if (rc != 0) {
    fprintf(stderr, "%s: opening %s: %s\n", progname, s->db, s->c.fail_msg);
    dconn_close(&s->c);
    return EXIT_SQL;
  }
  s->open = 1;
  return 0;
}

static void print_value(int type, rbuf *r) {
  char num[64];
  size_t n = 0;
  const char *t;
  const uint8_t *p;
  switch (type) {
    case SQLITE_INTEGER:
    case 9:  /* unix time */
    case 11: /* boolean */
      printf("%lld", (long long)rb_u64(r));
      break;
    case SQLITE_FLOAT: {
      uint64_t bits = rb_u64(r);
      double d;
      memcpy(&d, &bits, sizeof d);
      sqlite3_snprintf(sizeof num, num, "%!.15g", d); /* as the sqlite3 shell prints it */
      fputs(num, stdout);
      break;
    }
    case SQLITE_TEXT:
    case 10: /* ISO 8601 */
      t = rb_text(r, &n);
      fwrite(t, 1, n, stdout);
      break;
    case SQLITE_BLOB:
      p = rb_blob(r, &n);
      if (p) fwrite(p, 1, n, stdout);
      break;
    case SQLITE_NULL:
      rb_u64(r);
      break;
    default:
      r->bad = 1;
  }
}

/* Prints the rows of one ROWS response; returns 1 when more follow, 0 at
** the end, -1 on a malformed message, -2 when a batch that promises more
** holds no row. dqlite 1.11 repeats the column names in every batch of about
** 4 KiB and steps the statement only while the batch has room, so names
** longer than that give an endless stream of empty batches. */
static int print_rows(sql_session *s, int *printed_header) {
  rbuf r = {s->c.body, s->c.body_len, 0, 0};
  uint64_t ncol = rb_u64(&r);
  if (r.bad || ncol == 0 || ncol > 32767) return -1;
  for (uint64_t i = 0; i < ncol; i++) {
    const char *name = rb_text(&r, NULL);
    if (s->header && !*printed_header) printf("%s%s", i ? "|" : "", name);
  }
  if (s->header && !*printed_header) putchar('\n');
  *printed_header = 1;
  size_t hdr_words = (size_t)((ncol + 15) / 16);
  for (int nrows = 0;; nrows++) {
    uint64_t w = rb_peek_u64(&r);
    if (r.bad) return -1;
    if (w == ROWS_DONE || w == ROWS_PART) {
      rb_u64(&r);
      return w == ROWS_DONE ? 0 : nrows > 0 ? 1 : -2;
    }
    if (r.len - r.pos < hdr_words * 8) return -1;
    const uint8_t *types = r.p + r.pos;
    r.pos += hdr_words * 8;
    for (uint64_t i = 0; i < ncol; i++) {
      int type = (types[i / 2] >> (4 * (i % 2))) & 0x0f;
      if (i) putchar('|');
      print_value(type, &r);
      if (r.bad) return -1;
    }
    putchar('\n');
  }
}

static int is_not_leader(uint64_t code) {
  return code == EL_IOERR_NOT_LEADER || code == EL_IOERR_LEADERSHIP_LOST;
}

/* Runs one statement on the leader. A statement is retried on another leader
** only while nothing of it can have happened: the node said "not leader"
** before running it, or the connection broke before any row of a query. */
static int run_statement(const char *sql, size_t len, void *arg) {
  sql_session *s = arg;
  double deadline = now_s() + s->timeout;
  int query = !s->force_exec && is_query(sql, sql + len);
  for (;;) {
    int rc = session_connect(s, deadline);
    if (rc != 0) return rc;
    wbuf b = {0};
    wb_u64(&b, 0); /* database id */
    wb_text(&b, sql, len);
    int lost = 0;
    rc = dconn_call(&s->c, query ? REQ_QUERY_SQL : REQ_EXEC_SQL, &b, query ? RES_ROWS : RES_RESULT, deadline, 0,
                    &lost);
    free(b.p);
    if (rc == 0 && !query) return 0;
    if (rc == 0) {
      int printed_header = 0, more;
      while ((more = print_rows(s, &printed_header)) == 1) {
        if (dconn_recv(&s->c, deadline) != 0 || s->c.type != RES_ROWS) {
          fprintf(stderr, "%s: %s\n", progname,
                  s->c.type == RES_FAILURE ? s->c.fail_msg : "query interrupted (connection lost)");
          dconn_close(&s->c);
          s->open = 0;
          return EXIT_SQL;
        }
      }
      fflush(stdout);
      if (more < 0) {
        fprintf(stderr, "%s: %s\n", progname,
                more == -2 ? "dqlite cannot send this result: its column names take more than a batch "
                             "(about 4 KiB); name long expressions with AS"
                           : "malformed rows response");
        dconn_close(&s->c);
        s->open = 0;
        return EXIT_SQL;
      }
      return 0;
    }
    /* Retry only what cannot have run: a write the node refused as "not
    ** leader", or a query. A write whose connection broke, or whose leader
    ** lost the leadership while replicating it, may or may not be there. */
    int retry = lost ? query : s->c.fail_code == EL_IOERR_NOT_LEADER || (query && is_not_leader(s->c.fail_code));
    if (!retry) {
      if (lost || s->c.fail_code == EL_IOERR_LEADERSHIP_LOST) {
        fprintf(stderr, "%s: %s: the statement may or may not have been applied\n", progname, s->c.fail_msg);
        rc = EXIT_UNKNOWN;
      } else {
        fprintf(stderr, "%s: %s\n", progname, s->c.fail_msg);
        rc = EXIT_SQL;
      }
    }
    dconn_close(&s->c);
    s->open = 0;
    if (!retry) return rc;
    if (now_s() >= deadline) {
      fprintf(stderr, "%s: no leader before the timeout\n", progname);
      return EXIT_NO_LEADER;
    }
    sleep_ms(50);
  }
}

static char *read_stream(FILE *f) {
  size_t cap = 65536, len = 0;
  char *p = malloc(cap);
  if (p == NULL) return NULL;
  size_t r;
  while ((r = fread(p + len, 1, cap - len - 1, f)) > 0) {
    len += r;
    if (cap - len - 1 == 0) {
      char *q = cap > SIZE_MAX / 2 ? NULL : realloc(p, cap * 2);
      if (q == NULL) {
        free(p);
        return NULL;
      }
      p = q;
      cap *= 2;
    }
  }
  p[len] = 0;
  if (strlen(p) != len) {
    free(p);
    die_usage("the SQL text contains a NUL byte");
  }
  return p;
}

/* ---- membership commands ------------------------------------------------------- */
typedef struct {
  uint64_t id;
  char addr[256];
  uint64_t role;
} node_info;

/* CLUSTER (format 1: id, address, role). Returns the number of nodes or -1. */
static int list_nodes(dconn *c, double deadline, node_info *out, int max) {
  wbuf b = {0};
  wb_u64(&b, 1);
  int lost;
  int rc = dconn_call(c, REQ_CLUSTER, &b, RES_SERVERS, deadline, 0, &lost);
  free(b.p);
  if (rc != 0) return -1;
  rbuf r = {c->body, c->body_len, 0, 0};
  uint64_t n = rb_u64(&r);
  int k = 0;
  for (uint64_t i = 0; i < n && !r.bad; i++) {
    node_info ni;
    ni.id = rb_u64(&r);
    snprintf(ni.addr, sizeof ni.addr, "%s", rb_text(&r, NULL));
    ni.role = rb_u64(&r);
    if (k < max) out[k++] = ni;
  }
  return r.bad ? -1 : k;
}

static int simple_call(dconn *c, int type, uint64_t a, int with_b, uint64_t bval, double deadline) {
  wbuf b = {0};
  wb_u64(&b, a);
  if (with_b) wb_u64(&b, bval);
  int lost;
  int rc = dconn_call(c, type, &b, RES_EMPTY, deadline, 0, &lost);
  free(b.p);
  return rc;
}

static const char *role_name(uint64_t role) {
  return role == 0 ? "voter" : role == 1 ? "standby" : role == 2 ? "spare" : "unknown";
}

/* Makes node id (at addr) a voter of the cluster reachable through l: ADD
** unless it is a member already, then ASSIGN voter unless it is one. Safe to
** repeat, so a restarted node may be given --join again. */
static int join_cluster(const addr_list *l, uint64_t id, const char *addr, double deadline) {
  for (;;) {
    dconn c;
    if (connect_leader(l, deadline, &c, NULL, 1) != 0) {
      fprintf(stderr, "%s: join: no leader reachable before the timeout\n", progname);
      return -1;
    }
    node_info nodes[64];
    int n = list_nodes(&c, deadline, nodes, 64);
    int member = -1;
    for (int i = 0; i < n; i++) {
      if (nodes[i].id == id) member = i;
    }
    int rc = 0;
    if (n < 0) {
      rc = -1;
    } else if (member >= 0 && strcmp(nodes[member].addr, addr) != 0) {
      fprintf(stderr, "%s: join: node %llu is already a member with address %s\n", progname,
              (unsigned long long)id, nodes[member].addr);
      dconn_close(&c);
      return -1;
    } else {
      if (member < 0) {
        wbuf b = {0};
        wb_u64(&b, id);
        wb_text(&b, addr, strlen(addr));
        int lost;
        rc = dconn_call(&c, REQ_ADD, &b, RES_EMPTY, deadline, 0, &lost);
        free(b.p);
      }
      if (rc == 0 && (member < 0 || nodes[member].role != ROLE_VOTER)) {
        rc = simple_call(&c, REQ_ASSIGN, id, 1, ROLE_VOTER, deadline);
      }
    }
    if (rc == 0) {
      dconn_close(&c);
      return 0;
    }
    fprintf(stderr, "%s: join: %s (retrying)\n", progname, c.fail_msg);
    dconn_close(&c);
    if (now_s() >= deadline) return -1;
    sleep_ms(200);
  }
}

/* Transfers leadership to `to` (0: the first other voter). */
static int transfer_leadership(const addr_list *l, uint64_t to, double deadline, int quiet) {
  dconn c;
  uint64_t leader = 0;
  if (connect_leader(l, deadline, &c, &leader, quiet) != 0) return EXIT_NO_LEADER;
  if (to == 0) {
    node_info nodes[64];
    int n = list_nodes(&c, deadline, nodes, 64);
    for (int i = 0; i < n && to == 0; i++) {
      if (nodes[i].id != leader && nodes[i].role == ROLE_VOTER) to = nodes[i].id;
    }
    if (to == 0) {
      if (!quiet) fprintf(stderr, "%s: transfer: no other voter to take the leadership\n", progname);
      dconn_close(&c);
      return EXIT_SQL;
    }
  }
  if (to == leader) {
    dconn_close(&c);
    return 0;
  }
  int rc = simple_call(&c, REQ_TRANSFER, to, 0, 0, deadline);
  if (rc != 0 && !quiet) fprintf(stderr, "%s: transfer to %llu: %s\n", progname, (unsigned long long)to, c.fail_msg);
  dconn_close(&c);
  return rc == 0 ? 0 : EXIT_SQL;
}

/* ---- options ----------------------------------------------------------------- */
typedef struct {
  const char *cluster, *db, *address, *bind, *dir, *join, *sql;
  uint64_t id, to;
  unsigned latency_ms;
  double timeout;
  int full, exec, header, handover;
} options;

static uint64_t parse_u64(const char *opt, const char *v) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, 10);
  if (errno || end == v || *end || v[0] == '-') die_usage("%s wants a positive integer, not '%s'", opt, v);
  return (uint64_t)x;
}

static void parse_options(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  o->db = "exportlens.db";
  o->timeout = 10;
  o->latency_ms = 0;
  o->handover = 1;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE()                                  \
  do {                                           \
    if (v == NULL) die_usage("%s wants a value", a); \
    i++;                                         \
  } while (0)
    if (strcmp(a, "--cluster") == 0 || strcmp(a, "-c") == 0) {
      VALUE();
      o->cluster = v;
    } else if (strcmp(a, "--db") == 0) {
      VALUE();
      o->db = v;
    } else if (strcmp(a, "--address") == 0) {
      VALUE();
      o->address = v;
    } else if (strcmp(a, "--bind") == 0) {
      VALUE();
      o->bind = v;
    } else if (strcmp(a, "--dir") == 0) {
      VALUE();
      o->dir = v;
    } else if (strcmp(a, "--join") == 0) {
      VALUE();
      o->join = v;
    } else if (strcmp(a, "--id") == 0) {
      VALUE();
      o->id = parse_u64(a, v);
      if (o->id == 0) die_usage("--id must be at least 1");
    } else if (strcmp(a, "--to") == 0) {
      VALUE();
      o->to = parse_u64(a, v);
    } else if (strcmp(a, "--latency-ms") == 0) {
      VALUE();
      uint64_t x = parse_u64(a, v);
      if (x == 0 || x > 3600000) die_usage("--latency-ms must be between 1 and 3600000");
      o->latency_ms = (unsigned)x;
    } else if (strcmp(a, "--timeout") == 0) {
      VALUE();
      char *end;
      o->timeout = strtod(v, &end);
      if (end == v || *end || !(o->timeout > 0) || o->timeout > 86400) die_usage("--timeout wants seconds, not '%s'", v);
    } else if (strcmp(a, "--full") == 0) {
      o->full = 1;
    } else if (strcmp(a, "--exec") == 0) {
      o->exec = 1;
    } else if (strcmp(a, "--header") == 0) {
      o->header = 1;
    } else if (strcmp(a, "--no-handover") == 0) {
      o->handover = 0;
    } else if (a[0] == '-' && a[1] != 0) {
      die_usage("unknown option '%s'", a);
    } else if (o->sql == NULL) {
      o->sql = a;
    } else {
      die_usage("unexpected argument '%s'", a);
    }
#undef VALUE
  }
}

/* ---- the node ------------------------------------------------------------------ */
typedef int (*entry_point)(sqlite3 *, char **, const sqlite3_api_routines *);

/* Registers the entry point for every connection opened from now on, and
** checks that it loads, so that a node never starts without the extension. */
static int register_extension(int full) {
  entry_point ep = full ? sqlite3_exportlens_init : sqlite3_exportlens_noread_init;
  int rc = sqlite3_auto_extension((void (*)(void))ep);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "%s: sqlite3_auto_extension: %s\n", progname, sqlite3_errstr(rc));
    return -1;
  }
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "SELECT exportlens_version()", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;
  if (rc != SQLITE_OK) fprintf(stderr, "%s: the extension does not load: %s\n", progname, db ? sqlite3_errmsg(db) : "");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rc == SQLITE_OK ? 0 : -1;
}

static int mkdir_p(const char *path) {
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(buf, 0700) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int dir_is_empty(const char *path) {
  DIR *d = opendir(path);
  if (d == NULL) return 1;
  struct dirent *e;
  int empty = 1;
  while (empty && (e = readdir(d)) != NULL) empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
  closedir(d);
  return empty;
}

static int run_node(const options *o) {
  if (o->id == 0 || o->address == NULL || o->dir == NULL) die_usage("node wants --id, --address and --dir");
  if (o->id != 1 && o->join == NULL) {
    /* Only node 1 bootstraps a cluster; any other id must join one (once;
    ** a restart finds its membership in --dir). */
    if (dir_is_empty(o->dir)) die_usage("node %llu is new: give --join ADDRS (node 1 starts a cluster)",
                                        (unsigned long long)o->id);
  }
  if (o->id == 1 && o->join != NULL && dir_is_empty(o->dir)) {
    die_usage("a new node 1 starts a cluster of its own: give a node that joins another id");
  }
  /* A peer that goes away must not kill this node through a write to its socket. */
  signal(SIGPIPE, SIG_IGN);
  /* Block the stop signals in every thread; the main thread waits for them. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);

  if (register_extension(o->full) != 0) return 1;
  if (mkdir_p(o->dir) != 0) {
    fprintf(stderr, "%s: cannot create %s: %s\n", progname, o->dir, strerror(errno));
    return 1;
  }
  dqlite_node *node = NULL;
  int rc = dqlite_node_create(o->id, o->address, o->dir, &node);
  if (rc != 0) {
    fprintf(stderr, "%s: dqlite_node_create: %s\n", progname, node ? dqlite_node_errmsg(node) : "failed");
    if (node) dqlite_node_destroy(node);
    return 1;
  }
  rc = dqlite_node_set_bind_address(node, o->bind ? o->bind : o->address);
  if (rc != 0) {
    fprintf(stderr, "%s: cannot listen on %s (in use?)\n", progname, o->bind ? o->bind : o->address);
    dqlite_node_destroy(node);
    return 1;
  }
  if (o->latency_ms) rc = dqlite_node_set_network_latency_ms(node, o->latency_ms);
  if (rc == 0) rc = dqlite_node_start(node);
  if (rc != 0) {
    fprintf(stderr, "%s: dqlite_node_start: %s\n", progname, dqlite_node_errmsg(node));
    dqlite_node_destroy(node);
    return 1;
  }
  if (o->join) {
    addr_list l = parse_addrs(o->join);
    rc = join_cluster(&l, o->id, o->address, now_s() + o->timeout);
    free_addrs(&l);
    if (rc != 0) {
      dqlite_node_stop(node);
      dqlite_node_destroy(node);
      return 1;
    }
  }
  fprintf(stderr, "%s: node %llu serving at %s (%s entry point)\n", progname, (unsigned long long)o->id,
          o->address, o->full ? "full" : "noread");

  int sig = 0;
  while (sigwait(&stop, &sig) != 0) {
  }
  fprintf(stderr, "%s: node %llu stopping (signal %d)\n", progname, (unsigned long long)o->id, sig);
  if (o->handover) {
    /* If this node leads, hand the leadership over first: the others then
    ** do not wait an election timeout. Best effort, a few seconds at most. */
    addr_list self = parse_addrs(o->address);
    dconn c;
    uint64_t leader = 0;
    if (connect_leader(&self, now_s() + 0.5, &c, &leader, 1) == 0) {
      dconn_close(&c);
      if (leader == o->id) transfer_leadership(&self, 0, now_s() + 3, 1);
    }
    free_addrs(&self);
  }
  rc = dqlite_node_stop(node);
  dqlite_node_destroy(node);
  if (rc != 0) fprintf(stderr, "%s: dqlite_node_stop returned %d\n", progname, rc);
  return rc == 0 ? 0 : 1;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage:\n"
          "  %1$s node --id N --address HOST:PORT --dir DIR [--join ADDRS] [--full]\n"
          "            [--latency-ms MS] [--bind HOST:PORT] [--no-handover] [--timeout S]\n"
          "      Runs a dqlite node with the exportlens extension on every connection\n"
          "      (the no-file-access entry point unless --full). Node 1 starts a cluster;\n"
          "      other nodes --join one through any of its members (ADDRS: comma-separated).\n"
          "      --latency-ms sets dqlite's network latency: election timeout = 15x it.\n"
          "      SIGTERM or SIGINT: hand the leadership over (unless --no-handover), stop.\n"
          "  %1$s sql --cluster ADDRS [--db NAME] [--exec] [--header] [--timeout S] [SQL]\n"
          "      Runs SQL (or stdin) on the leader, statement by statement, printing rows\n"
          "      as the sqlite3 shell's list mode does. SELECT, VALUES, WITH, PRAGMA and\n"
          "      EXPLAIN statements are queries; --exec runs every statement as a write.\n"
          "  %1$s leader   --cluster ADDRS        prints the leader's id and address\n"
          "  %1$s cluster  --cluster ADDRS        prints id, address and role of each node\n"
          "  %1$s transfer --cluster ADDRS [--to ID]   moves the leadership (to ID, or\n"
          "      to another voter)\n"
          "Exit codes: 0 ok; 1 usage or SQL error; 2 no leader before --timeout (default\n"
          "10 s); 3 connection lost after a write was sent (outcome unknown).\n",
          progname);
}

static int run_client(const char *cmd, const options *o, const addr_list *l) {
  double deadline = now_s() + o->timeout;
  if (strcmp(cmd, "sql") == 0) {
    char *script = o->sql ? strdup(o->sql) : read_stream(stdin);
    if (script == NULL) die_usage("out of memory");
    sql_session s;
    memset(&s, 0, sizeof s);
    s.cluster = l;
    s.db = o->db;
    s.timeout = o->timeout;
    s.force_exec = o->exec;
    s.header = o->header;
    s.c.fd = -1;
    int rc = for_each_statement(script, run_statement, &s);
    if (s.open) dconn_close(&s.c);
    free(script);
    return rc;
  }
  if (strcmp(cmd, "leader") == 0) {
    dconn c;
    uint64_t id = 0;
    if (connect_leader(l, deadline, &c, &id, 0) != 0) return EXIT_NO_LEADER;
    printf("%llu %s\n", (unsigned long long)id, c.addr);
    dconn_close(&c);
    return 0;
  }
  if (strcmp(cmd, "cluster") == 0) {
    dconn c;
    if (connect_leader(l, deadline, &c, NULL, 0) != 0) return EXIT_NO_LEADER;
    node_info nodes[64];
    int n = list_nodes(&c, deadline, nodes, 64);
    if (n < 0) fprintf(stderr, "%s: cluster: %s\n", progname, c.fail_msg);
    for (int i = 0; i < n; i++) {
      printf("%llu %s %s\n", (unsigned long long)nodes[i].id, nodes[i].addr, role_name(nodes[i].role));
    }
    dconn_close(&c);
    return n < 0 ? EXIT_SQL : 0;
  }
  if (strcmp(cmd, "transfer") == 0) return transfer_leadership(l, o->to, deadline, 0);
  die_usage("unknown command '%s'", cmd);
  return EXIT_SQL;
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? EXIT_SQL : 0;
  }
  const char *cmd = argv[1];
  options o;
  parse_options(argc, argv, &o);
  if (strcmp(cmd, "node") == 0) return run_node(&o);
  if (strcmp(cmd, "sql") != 0 && strcmp(cmd, "leader") != 0 && strcmp(cmd, "cluster") != 0 &&
      strcmp(cmd, "transfer") != 0) {
    die_usage("unknown command '%s'", cmd);
  }
  signal(SIGPIPE, SIG_IGN);
  if (o.cluster == NULL) die_usage("%s wants --cluster HOST:PORT[,HOST:PORT...]", cmd);
  addr_list l = parse_addrs(o.cluster);
  int rc = run_client(cmd, &o, &l);
  free_addrs(&l);
  return rc;
}
