/* The baseline for store ingest: a plain C loop over a CSV of payments with one prepared INSERT
 * into the same transactions table, in one transaction (what a hand-written loader does).
 * Usage: ingest DB CSV   (columns: account_id,amount,effective_date,reference,seq) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long long cents(const char* s) {
    long long whole = 0, frac = 0;
    int neg = 0, digits = 0;
    if (*s == '-') { neg = 1; ++s; }
    while (*s >= '0' && *s <= '9') whole = whole * 10 + (*s++ - '0');
    if (*s == '.') {
        ++s;
        while (*s >= '0' && *s <= '9' && digits < 2) { frac = frac * 10 + (*s++ - '0'); ++digits; }
    }
    while (digits++ < 2) frac *= 10;
    return (neg ? -1 : 1) * (whole * 100 + frac);
}

int main(int argc, char** argv) {
    if (argc != 3) { fprintf(stderr, "usage: ingest DB CSV\n"); return 2; }
    sqlite3* db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) { fprintf(stderr, "open failed\n"); return 1; }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", 0, 0, 0);
    FILE* f = fopen(argv[2], "r");
    if (!f) { fprintf(stderr, "no csv\n"); return 1; }
    char line[1024];
    if (!fgets(line, sizeof line, f)) return 1; /* header */
    sqlite3_stmt* st;
    const char* sql =
        "INSERT INTO transactions (account_id, seq, type, effective_date, posted_at, amount_cents, currency, "
        "reference, actor) VALUES (?, ?, 'payment', ?, '2026-11-23T00:00:00Z', ?, 'USD', ?, 'c-loop')";
    if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
    sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
    long n = 0;
    while (fgets(line, sizeof line, f)) {
        char* field[5];
        int k = 0;
        char* p = line;
        field[k++] = p;
        for (; *p && k < 5; ++p)
            if (*p == ',') { *p = 0; field[k++] = p + 1; }
        char* end = field[4] + strcspn(field[4], "\r\n");
        *end = 0;
        sqlite3_bind_text(st, 1, field[0], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, atoll(field[4]));
        sqlite3_bind_text(st, 3, field[2], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, cents(field[1]));
        sqlite3_bind_text(st, 5, field[3], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
        sqlite3_reset(st);
        ++n;
    }
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("%ld\n", n);
    return 0;
}
