/* SPDX-License-Identifier: MIT */
/*
 * The device registry through the CLI: `fwseal lot`, `fwseal device new`,
 * `import`, `list`, `retire`, `compromise`.  The registry file is read
 * back with SQLite directly; every refusal leaves it exactly as it was.
 * Two processes adding devices to one lot at once never exceed its quota.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "keyfile.h"

static fixture fx;
static char *db_path;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    fx_init(&fx);
    db_path = fx_path(&fx, "fleet.db");
}
static void teardown(void)
{
    free(db_path);
    fx_free(&fx);
}
#define fws(...) fx_fwseal(&fx, __VA_ARGS__)
#define fws_ok(...) fx_fwseal_ok(&fx, __VA_ARGS__)
#define fws_fails(status, want, ...) fx_fwseal_fails(&fx, status, want, __VA_ARGS__)

TestSuite(registry, .init = setup, .fini = teardown, .timeout = 120);




/* One number from the registry, read with SQLite itself. */
static long long db_int(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void db_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* A CSV of n fresh X25519 public keys (ids dev-<first+i>); the secrets
 * are dropped. */
static void write_csv(const char *name, const char *header, int first, int n, const char *tail)
{
    char *p = fx_path(&fx, name);
    FILE *f = fopen(p, "w");
    cr_assert(f);
    fprintf(f, "%s\n", header);
    for (int i = 0; i < n; i++) {
        uint8_t sk[32], pk[32];
        char hex[65];
        randombytes_buf(sk, sizeof sk);
        crypto_scalarmult_base(pk, sk);
        sodium_bin2hex(hex, sizeof hex, pk, 32);
        fprintf(f, "dev-%d,%s\n", first + i, hex);
    }
    fputs(tail, f);
    fclose(f);
    free(p);
}

Test(registry, lots)
{
    fws_fails(3, "fleet.db: no such registry (create one with 'fwseal lot create",
              "lot list --registry fleet.db");
    fws_ok("lot create lot-a --quota 3 --registry fleet.db");
    fws_ok("lot create lot-b --quota 0 --registry fleet.db");
    fws_fails(1, "fleet.db: lot 'lot-a' already exists",
              "lot create lot-a --quota 9 --registry fleet.db");
    cr_assert_eq(db_int("SELECT quota FROM lots WHERE name = 'lot-a'"), 3);
    run_result r = fws("lot list --registry fleet.db");
    cr_assert_eq(r.status, 0);
    cr_assert(!strncmp(r.out, "lot-a\t3\t0\t", 10) && strstr(r.out, "\nlot-b\t0\t0\t"), "%s",
              r.out);
    run_free(&r);
    r = fws("lot list --registry fleet.db --json");
    const char *want = "[{\"lot\":\"lot-a\",\"quota\":3,\"devices\":0,\"created\":\"";
    cr_assert(!strncmp(r.out, want, strlen(want)), "%s", r.out);
    run_free(&r);
    fws_fails(2, "LOT '-x': not a lot name (1..64 of A-Z",
              "lot create --quota 1 --registry fleet.db -- -x");
    fws_fails(2, "LOT 'a/b': not a lot name (1..64 of A-Z",
              "lot create a/b --quota 1 --registry fleet.db");
    fws_fails(2, "missing --quota N", "lot create c --registry fleet.db");
    fws_fails(2, "--quota 'x': expected 0..", "lot create c --quota x --registry fleet.db");
    fws_fails(2, "missing --registry FILE", "lot create c --quota 1");
    fws_fails(2, "missing the LOT name", "lot create --quota 1 --registry fleet.db");
    fws_fails(2, "unknown subcommand 'delete'", "lot delete a --registry fleet.db");
    fws_fails(2, "--lock-timeout 'y': expected 0..3600", "lot list --registry fleet.db "
                                                         "--lock-timeout y");
    cr_assert_eq(db_int("SELECT count(*) FROM lots"), 2);
}

Test(registry, device_new_writes_keys_configs_and_rows)
{
    fws_ok("lot create lot-a --quota 4 --registry fleet.db");
    run_result r = fws("device new --registry fleet.db --class acme/x --lot lot-a --count 3 "
                       "--out-dir factory --trust sign1.pub --max-chunk 1024");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "NOT passphrase-protected"), "%s", r.err);
    char ids[3][17];
    cr_assert_eq(sscanf(r.out, "%16s\n%16s\n%16s\n", ids[0], ids[1], ids[2]), 3, "%s", r.out);
    run_free(&r);
    for (int i = 0; i < 3; i++) {
        char *kp = path_fmt("%s/factory/%s/device.key", fx.dir, ids[i]);
        char *cp = path_fmt("%s/factory/%s/fws_device_config.h", fx.dir, ids[i]);
        char idhex[17], sql[256];
        struct stat st;
        fws_key k;
        cr_assert_eq(stat(kp, &st), 0);
        cr_assert_eq(st.st_mode & 0777, 0600, "%s: mode %o", kp, st.st_mode & 0777);
        /* an unencrypted key file: loads without a passphrase source */
        cr_assert_eq(fws_key_load(kp, NULL, &k), 0);
        cr_assert_eq(k.type, FWS_KEY_X25519);
        fws_key_id_hex(k.id, idhex);
        cr_assert_str_eq(idhex, ids[i]);
        /* the row's public key is the file's */
        char hex[65];
        sodium_bin2hex(hex, sizeof hex, k.pub, 32);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM devices WHERE id = '%s' AND "
                                  "hex(public_key) = upper('%s') AND lot = 'lot-a' AND "
                                  "state = 'active' AND class_name = 'acme/x'", ids[i], hex);
        cr_assert_eq(db_int(sql), 1, "%s", sql);
        size_t len;
        char *cfg = (char *)file_read(cp, &len);
        cr_assert(cfg && strstr(cfg, "#define FWS_DEVICE_KEY_X25519 1") &&
                      strstr(cfg, "#define FWS_DEVICE_MAX_CHUNK 1024u") &&
                      strstr(cfg, ids[i]), "%s", cfg ? cfg : "(missing)");
        free(cfg);
        fws_key_wipe(&k);
        free(kp);
        free(cp);
    }
    /* quota 4: 2 more do not fit; nothing is written */
    fws_fails(1, "lot 'lot-a': quota exceeded: it has 3 of its 4 devices; 2 more would exceed it",
              "device new --registry fleet.db --class acme/x --lot lot-a --count 2 "
              "--out-dir more --trust sign1.pub");
    cr_assert(!file_exists(fx_path(&fx, "more")));
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 3);
    fws_fails(1, "no lot 'lot-z'", "device new --registry fleet.db --class acme/x --lot lot-z "
                                   "--out-dir z --no-config");
    /* the last one fits, without a configuration */
    fws_ok("device new --registry fleet.db --class acme/x --lot lot-a --out-dir factory "
           "--no-config");
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 4);
}

Test(registry, device_new_usage)
{
    fws_ok("lot create l --quota 10 --registry fleet.db");
    static const struct {
        const char *args, *message;
    } cases[] = {
        {"--class c --lot l --out-dir d", "give its policy (--trust PUB"},
        {"--lot l --out-dir d --no-config", "missing --class CLASS"},
        {"--class c --out-dir d --no-config", "missing --lot LOT"},
        {"--class c --lot l --no-config", "missing --out-dir DIR"},
        {"--class c --lot l --out-dir d --no-config --trust sign1.pub",
         "the policy options (--trust, --max-chunk, ...) does not apply"},
        /* given, even as its default */
        {"--class c --lot l --out-dir d --no-config --threshold 1",
         "the policy options (--trust, --max-chunk, ...) does not apply"},
        {"--class c --lot l --out-dir d --no-config --max-chunk 4096",
         "the policy options (--trust, --max-chunk, ...) does not apply"},
        {"--any-class --lot l --out-dir d --trust sign1.pub", "a registered device has one class"},
        {"--class c --lot l --out-dir d --no-config --count 0", "--count '0': expected 1..1000000"},
        {"--class c --lot 'l l' --out-dir d --no-config",
         "--lot 'l l': not a lot name (1..64 of A-Z a-z 0-9 . _ -, starting with a letter"},
        {"--class c --lot l --out-dir d --no-config extra", "unexpected argument 'extra'"},
        {"--class c --lot l --out-dir d --trust dev.pub", "--trust needs an Ed25519 public key"},
        {"--class c --lot l --out-dir d --no-config --cuont 2",
         "unknown option '--cuont' (did you mean --count?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, "device new --registry fleet.db %s", cases[i].args);
        fws_fails(2, cases[i].message, "%s", args);
    }
    fws_fails(2, "unknown subcommand 'nwe'; did you mean new?", "device nwe");
    /* a class the registry would cut (its id hashes all of it): refused */
    char *long_class = malloc(1026);
    cr_assert(long_class);
    memset(long_class, 'k', 1025);
    long_class[1025] = 0;
    fws_fails(2, "--class: 1025 bytes; the registry keeps class names of at most 1024 bytes",
              "device new --registry fleet.db --class %s --lot l --out-dir d --no-config",
              long_class);
    write_csv("one.csv", "id,key", 0, 1, "");
    fws_fails(2, "--class: 1025 bytes; the registry keeps class names of at most 1024 bytes",
              "device import --registry fleet.db --class %s --lot l one.csv", long_class);
    cr_assert(!file_exists(fx_path(&fx, "d")));
    long_class[1024] = 0;
    fws_ok("device new --registry fleet.db --class %s --lot l --out-dir d --no-config",
           long_class);
    cr_assert_eq(db_int("SELECT length(class_name) FROM devices"), 1024);
    fws_ok("device import --registry fleet.db --class %s --lot l one.csv", long_class);
    free(long_class);
    db_exec(db_path, "DELETE FROM devices");
    /* --json asked for: the usage error is also the JSON document on stdout */
    run_result j = fx_fwseal(&fx, "device new --registry fleet.db --class c --lot l --out-dir d "
                                  "--no-config --json");
    cr_assert_eq(j.status, 2);
    cr_assert(strstr(j.err, "--json does not apply"), "%s", j.err);
    cr_assert(strstr(j.out, "{\"error\":") && strstr(j.out, "--json does not apply"), "%s", j.out);
    run_free(&j);
    fws_fails(3, "sign1.pub: exists and is not a directory",
              "device new --registry fleet.db --class c --lot l --out-dir sign1.pub --no-config");
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 0);
}

/* Two processes ask for 30 devices each from a lot of 50, at the same
 * time: one gets them, the other is refused, never 60. */
Test(registry, concurrent_device_new_never_exceeds_the_quota)
{
    for (int round = 0; round < 3; round++) {
        char args[256], sql[128];
        snprintf(args, sizeof args, "lot create race-%d --quota 50 --registry fleet.db", round);
        fws_ok("%s", args);
        run_result r = run(
            "cd '%s' && for p in a b; do ( %s device new --registry fleet.db --class c "
            "--lot race-%d --count 30 --out-dir out-%d-$p --no-config >$p.out 2>$p.err; "
            "echo $? >$p.rc ) & done; wait; cat a.rc b.rc; cat a.err b.err >&2",
            fx.dir, FWSEAL_BIN, round, round);
        cr_assert_eq(r.status, 0);
        cr_assert(!strcmp(r.out, "0\n1\n") || !strcmp(r.out, "1\n0\n"), "round %d: %s\n%s",
                  round, r.out, r.err);
        cr_assert(strstr(r.err, "quota exceeded"), "%s", r.err);
        char loser = r.out[0] == '1' ? 'a' : 'b', winner = loser == 'a' ? 'b' : 'a';
        run_free(&r);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM devices WHERE lot = 'race-%d'", round);
        cr_assert_eq(db_int(sql), 30);
        r = run("cd '%s' && ls out-%d-%c | wc -l && ls -d out-%d-%c 2>/dev/null | wc -l", fx.dir,
                round, winner, round, loser);
        cr_assert_str_eq(r.out, "30\n0\n", "round %d: %s", round, r.out);
        run_free(&r);
    }
}

/* The quota is checked again under the write lock: a process that looked
 * before another one committed is refused after. */
Test(registry, quota_is_checked_again_under_the_lock)
{
    sqlite3 *db;
    char sql[512];
    fws_ok("lot create q --quota 10 --registry fleet.db");
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < 10; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO devices (id, key_type, public_key, key_id, "
                                  "class_id, class_name, lot, created, state) VALUES ('held-%d', "
                                  "'x25519', randomblob(32), randomblob(8), randomblob(16), 'c', "
                                  "'q', 0, 'active')", i);
        cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    }
    /* Not committed yet: device new sees 0 of 10 used, stages its files,
     * then waits for the write lock. */
    run_result r = run("cd '%s' && ( %s device new --registry fleet.db --class c --lot q "
                       "--out-dir late --no-config >late.out 2>late.err; echo $? >late.rc ) "
                       "</dev/null >/dev/null 2>&1 &", fx.dir, FWSEAL_BIN);
    run_free(&r);
    usleep(1500 * 1000);
    cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char *rc_path = fx_path(&fx, "late.rc");
    for (int i = 0; i < 200 && !file_exists(rc_path); i++)
        usleep(100 * 1000);
    r = run("cd '%s' && cat late.rc late.err", fx.dir);
    cr_assert(!strncmp(r.out, "1\n", 2), "%s", r.out);
    cr_assert(strstr(r.out, "quota exceeded: it has 10 of its 10 devices; 1 more would exceed it "
                            "(another process added devices since this one started)"),
              "%s", r.out);
    run_free(&r);
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 10);
    cr_assert(!file_exists(fx_path(&fx, "late")));
    free(rc_path);
}

Test(registry, import_csv)
{
    fws_ok("lot create l1 --quota 100 --registry fleet.db");
    fws_ok("lot create l2 --quota 100 --registry fleet.db");
    uint8_t psk[32], psk_id[8], pk[32], sk[32];
    char pk_hex[65], id_hex[17], text[2048];
    randombytes_buf(psk, sizeof psk);
    fws_key_compute_id(FWS_KEY_PSK, psk, psk_id);
    randombytes_buf(sk, sizeof sk);
    crypto_scalarmult_base(pk, sk);
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, 32);
    snprintf(text, sizeof text,
             "# devices from the secure-element line\r\n"
             "id,key,type,class,lot\r\n"
             "sn-1,%s,,\"acme/x, rev \"\"B\"\"\",l2\r\n"
             "\r\n"
             ",%s,psk,,\r\n",
             pk_hex, (sodium_bin2hex(id_hex, sizeof id_hex, psk_id, 8), id_hex));
    free(fx_write(&fx, "in.csv", text, strlen(text)));
    fws_ok("device import --registry fleet.db --class acme/y --lot l1 in.csv");
    cr_assert_eq(db_int("SELECT count(*) FROM devices WHERE id = 'sn-1' AND lot = 'l2' AND "
                        "class_name = 'acme/x, rev \"B\"' AND key_type = 'x25519'"), 1);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM devices WHERE id = '%s' AND lot = 'l1' AND "
                              "key_type = 'psk' AND public_key IS NULL AND class_name = 'acme/y'",
             id_hex);
    cr_assert_eq(db_int(sql), 1, "%s", sql);
    /* from standard input, ids defaulting to the key id */
    write_csv("more.csv", "id,key", 0, 5, "");
    run_result r = run("cd '%s' && %s device import --registry fleet.db --class c --lot l1 - "
                       "< more.csv", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "5 devices imported"), "%s", r.err);
    run_free(&r);
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 7);
}

/* Every bad CSV is refused with its line number, and nothing of it is
 * imported. */
Test(registry, import_refusals)
{
    fws_ok("lot create l --quota 12 --registry fleet.db");
    write_csv("base.csv", "id,key", 0, 10, "");
    fws_ok("device import --registry fleet.db --class c --lot l base.csv");
    static const struct {
        const char *tail, *message;
        int status;
    } cases[] = {
        {"dev-x,00112233\n", "bad.csv: line 4: key: '00112233' is not 64 hex digits", 3},
        {"dev-x,"
         "0000000000000000000000000000000000000000000000000000000000000000\n",
         "bad.csv: line 4: key: a small-order point", 3},
        {"dev-x,a,b\n", "bad.csv: line 4: 3 fields, the header line has 2", 3},
        {"dev-x\n", "bad.csv: line 4: 1 field, the header line has 2", 3},
        {"dev x,"
         "1111111111111111111111111111111111111111111111111111111111111111\n",
         "bad.csv: line 4: id: 'dev x' is not a device id", 3},
        {"\"dev-x,1111\n", "bad.csv: line 4: field 1: a quote is not closed", 3},
        {"dev\"x,1\n", "bad.csv: line 4: field 1: a quote inside an unquoted field", 3},
        {"\"dev\"x,1\n", "bad.csv: line 4: field 1: text after the closing quote", 3},
        {"dev-x,\x01\n", "bad.csv: line 4: a control character", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_csv("bad.csv", "id,key", 100, 2, cases[i].tail);
        fws_fails(cases[i].status, cases[i].message,
                  "device import --registry fleet.db --class c --lot l bad.csv");
        cr_assert_eq(db_int("SELECT count(*) FROM devices"), 10, "case %zu", i);
    }
    /* whole files: a header line, n good lines, a tail; then the options */
    static const struct {
        const char *header, *tail;
        int first, n, status;
        const char *message, *options;
    } files[] = {
        {"id,key,colour", "", 100, 0, 3, "bad.csv: line 1: unknown column 'colour'", ""},
        {"id,type", "", 100, 0, 3, "bad.csv: line 1: no 'key' column", ""},
        {"key,key", "", 100, 0, 3, "bad.csv: line 1: column 'key' twice", ""},
        {"id,key", "", 100, 0, 3, "bad.csv: no device lines", ""},
        {"type,key", "rsa,00\n", 100, 0, 3, "bad.csv: line 2: type: 'rsa' is not x25519 or psk",
         ""},
        {"type,key", "psk,0011\n", 100, 0, 3,
         "bad.csv: line 2: key: '0011' is not 16 hex digits (a PSK id", ""},
        {"id,key", "", 100, 1, 3, "bad.csv: line 2: no class (a 'class' column or --class)",
         "--lot l"},
        {"id,key", "", 100, 1, 3, "bad.csv: line 2: no lot (a 'lot' column or --lot)",
         "--class c"},
        /* refusals by the registry: exit 1 */
        {"id,key", "", 100, 1, 1, "bad.csv: line 2: no lot 'nolot'", "--class c --lot nolot"},
        {"id,key", "", 5, 1, 1, "bad.csv: line 2: device 'dev-5' is already in the registry", ""},
        {"id,key", "", 100, 3, 1,
         "lot 'l': quota exceeded: 13 devices would exceed its quota of 12", ""},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        write_csv("bad.csv", files[i].header, files[i].first, files[i].n, files[i].tail);
        fws_fails(files[i].status, files[i].message, "device import --registry fleet.db %s bad.csv",
                  *files[i].options ? files[i].options : "--class c --lot l");
        cr_assert_eq(db_int("SELECT count(*) FROM devices"), 10, "file %zu", i);
    }
    free(fx_write(&fx, "empty.csv", "", 0));
    fws_fails(3, "empty.csv: no device lines (not even a header)",
              "device import --registry fleet.db --class c --lot l empty.csv");
    /* a line longer than 4096 bytes */
    {
        char *p = fx_path(&fx, "long.csv");
        FILE *f = fopen(p, "w");
        fputs("id,key\n", f);
        for (int i = 0; i < 5000; i++)
            fputc('a', f);
        fputs(",b\n", f);
        fclose(f);
        free(p);
        fws_fails(3, "long.csv: line 2: longer than 4096 bytes",
                  "device import --registry fleet.db --class c --lot l long.csv");
    }
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 10);
    /* the same key twice in one file */
    {
        char *p = fx_path(&fx, "base.csv"), *q = fx_path(&fx, "twice.csv");
        size_t len;
        uint8_t *b = file_read(p, &len);
        char *line = strchr((char *)b, '\n') + 1, *end = strchr(line, '\n');
        FILE *f = fopen(q, "w");
        fprintf(f, "id,key\nnew-1,%.*s\n", (int)(end - line - 6), line + 6);
        fclose(f);
        fws_fails(1, "twice.csv: line 2: key ",
                  "device import --registry fleet.db --class c --lot l twice.csv");
        free(b);
        free(p);
        free(q);
    }
    fws_fails(3, "missing.csv: cannot open",
              "device import --registry fleet.db --class c --lot l missing.csv");
    fws_fails(2, "missing the FILE.csv", "device import --registry fleet.db");
    fws_fails(2, "--count does not apply to device import",
              "device import --registry fleet.db --count 2 base.csv");
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 10);
}

Test(registry, list_retire_compromise)
{
    fws_ok("lot create l1 --quota 100 --registry fleet.db");
    fws_ok("lot create l2 --quota 100 --registry fleet.db");
    write_csv("a.csv", "id,key", 0, 3, "");
    write_csv("b.csv", "id,key", 3, 2, "");
    fws_ok("device import --registry fleet.db --class cls-a --lot l1 a.csv");
    fws_ok("device import --registry fleet.db --class cls-b --lot l2 b.csv");
    fws_ok("device retire --registry fleet.db dev-1");
    fws_ok("device compromise --registry fleet.db dev-2 dev-3");
    const char *want;
    run_result r = fws("device list --registry fleet.db");
    cr_assert(strstr(r.out, "dev-0\tx25519\t") && strstr(r.out, "\tl1\tactive\t") &&
                  strstr(r.out, "\tcls-a\n"), "%s", r.out);
    run_free(&r);
    r = fws("device list --registry fleet.db --lot l2 --state compromised");
    cr_assert(!strncmp(r.out, "dev-3\t", 6) && !strchr(strchr(r.out, '\n') + 1, '\n'), "%s",
              r.out);
    run_free(&r);
    r = fws("device list --registry fleet.db --class cls-a --json");
    want = "[{\"id\":\"dev-0\",\"type\":\"x25519\",\"key_id\":\"";
    cr_assert(!strncmp(r.out, want, strlen(want)), "%s", r.out);
    cr_assert(strstr(r.out, "\"state\":\"retired\"") &&
                  strstr(r.out, "\"state\":\"compromised\"") &&
                  !strstr(r.out, "dev-3"), "%s", r.out);
    run_free(&r);
    /* all or nothing: one unknown id, nothing changes */
    fws_fails(1, "no device 'dev-9'", "device retire --registry fleet.db dev-0 dev-9");
    cr_assert_eq(db_int("SELECT count(*) FROM devices WHERE state = 'active'"), 2);
    /* a compromised key never comes back */
    fws_fails(1, "device 'dev-2' is compromised: it stays so",
              "device retire --registry fleet.db dev-2");
    r = fws("device retire --registry fleet.db dev-1");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.err, "device 'dev-1' was already retired"), "%s", r.err);
    run_free(&r);
    fws_fails(2, "--state 'gone': expected active, retired or compromised",
              "device list --registry fleet.db --state gone");
    fws_fails(2, "missing the device ID(s)", "device compromise --registry fleet.db");
    fws_fails(2, "--lot does not apply to device retire",
              "device retire --registry fleet.db --lot l1 dev-0");
}

Test(registry, bad_registry_files)
{
    /* not SQLite */
    free(fx_write(&fx, "junk.db", "this is not a database, just some text", 39));
    fws_fails(3, "junk.db: not a fwseal registry (not an SQLite database)",
              "device list --registry junk.db");
    /* SQLite, but not a registry */
    char *other = fx_path(&fx, "other.db");
    db_exec(other, "CREATE TABLE t (x)");
    fws_fails(3, "other.db: not a fwseal registry (an SQLite database with application id "
                 "0x00000000)", "device list --registry other.db");
    free(other);
    /* another schema version */
    fws_ok("lot create l --quota 300 --registry fleet.db");
    write_csv("a.csv", "id,key", 0, 300, "");
    fws_ok("device import --registry fleet.db --class c --lot l a.csv");
    char *v2 = fx_path(&fx, "v2.db");
    run_result r = run("cp '%s' '%s'", db_path, v2);
    run_free(&r);
    db_exec(v2, "PRAGMA user_version = 2");
    fws_fails(3, "v2.db: registry schema version 2; this fwseal reads version 1 only",
              "device list --registry v2.db");
    free(v2);
    /* a directory */
    r = run("mkdir '%s/adir'", fx.dir);
    run_free(&r);
    fws_fails(3, "adir: not a fwseal registry (not a regular file)",
              "device list --registry adir");
    /* corrupt: every page but the first overwritten */
    {
        size_t len;
        uint8_t *b = file_read(db_path, &len);
        cr_assert(len > 8192, "%zu", len);
        memset(b + 4096, 0x5a, len - 4096);
        free(fx_write(&fx, "corrupt.db", b, len));
        free(b);
    }
    fws_fails(3, "corrupt.db: the registry is corrupt",
              "device list --registry corrupt.db");
    fws_fails(3, "corrupt.db: the registry is corrupt",
              "lot create m --quota 1 --registry corrupt.db");
}

/* A registry another process holds is waited for, then reported; nothing
 * is written. */
Test(registry, locked_registry)
{
    sqlite3 *db;
    fws_ok("lot create l --quota 10 --registry fleet.db");
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    fws_fails(3, "fleet.db: the registry is locked by another process (waited 0.000 s",
              "device list --registry fleet.db --lock-timeout 0");
    fws_fails(3, "fleet.db: the registry is locked by another process (waited 1.000 s",
              "device new --registry fleet.db --class c --lot l --out-dir d --no-config "
              "--lock-timeout 1");
    fws_fails(3, "the registry is locked", "lot create m --quota 1 --registry fleet.db "
                                           "--lock-timeout 0");
    cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    cr_assert(!file_exists(fx_path(&fx, "d")));
    cr_assert_eq(db_int("SELECT count(*) FROM devices") + db_int("SELECT count(*) FROM lots"), 1);
}

/* A reader holding the registry (a paused `device list | less`, a
 * rewrap) while `device new` runs: it either succeeds whole or fails with
 * exit 3 and leaves DIR and the rows as they were; never files in DIR
 * without their rows (the COMMIT refused after the files moved). */
Test(registry, a_reader_never_strands_device_new_files)
{
    sqlite3 *db;
    fws_ok("lot create l --quota 10 --registry fleet.db");
    run_result r = run("cd '%s' && mkdir have && echo x > have/other", fx.dir);
    run_free(&r);
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    /* a read transaction: a shared lock held until COMMIT */
    cr_assert_eq(sqlite3_exec(db, "BEGIN; SELECT count(*) FROM devices;", NULL, NULL, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db));
    fws_fails(3, "fleet.db: the registry is locked by another process (waited 1.000 s",
              "device new --registry fleet.db --class c --lot l --count 2 --out-dir have "
              "--no-config --lock-timeout 1");
    fws_fails(3, "the registry is locked", "device new --registry fleet.db --class c --lot l "
                                           "--out-dir new --no-config --lock-timeout 0");
    r = run("cd '%s' && ls -A have && ls -A | grep -c -e '^new$' -e fwseal-devices", fx.dir);
    cr_assert_str_eq(r.out, "other\n0\n", "files left: %s", r.out);
    run_free(&r);
    cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 0);
    /* the reader gone, the same command succeeds */
    fws_ok("device new --registry fleet.db --class c --lot l --count 2 --out-dir have "
           "--no-config --lock-timeout 1");
    cr_assert_eq(db_int("SELECT count(*) FROM devices"), 2);
    r = run("cd '%s' && ls -A have | wc -l", fx.dir);
    cr_assert_str_eq(r.out, "3\n", "%s", r.out);
    run_free(&r);
}

/* A `device list` whose reader stops reading (a pager left open) holds no
 * read transaction while it waits on the pipe: a writer meanwhile commits.
 * 3000 devices are more than a pipe holds, and more than one batch. */
Test(registry, a_stalled_list_does_not_block_writers)
{
    char line[512], *cmd;
    int lines = 1;
    fws_ok("lot create l --quota 3000 --registry fleet.db");
    write_csv("many.csv", "id,key", 0, 3000, "");
    fws_ok("device import --registry fleet.db --class c --lot l many.csv");
    cmd = path_fmt("cd '%s' && %s device list --registry fleet.db", fx.dir, FWSEAL_BIN);
    FILE *list = popen(cmd, "r");
    cr_assert(list);
    /* one line read: the list has started, and soon fills the pipe */
    cr_assert(fgets(line, sizeof line, list));
    usleep(200 * 1000);
    fws_ok("lot create m --quota 1 --registry fleet.db --lock-timeout 2");
    fws_ok("device retire --registry fleet.db dev-2999 --lock-timeout 2");
    while (fgets(line, sizeof line, list))
        lines++;
    cr_assert_eq(pclose(list), 0);
    cr_assert_eq(lines, 3000);
    cr_assert_eq(db_int("SELECT count(*) FROM lots"), 2);
    free(cmd);
}

/* `device import` reads the whole file before it takes the write lock:
 * a producer that is slow to write standard input (here a FIFO) holds no
 * other writer off. */
Test(registry, a_slow_import_does_not_block_writers)
{
    uint8_t sk[32], pk[32];
    char hex[65];
    fws_ok("lot create l --quota 5 --registry fleet.db");
    run_result r = run("cd '%s' && mkfifo in.csv", fx.dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && ( %s device import --registry fleet.db "
                       "--class c --lot l in.csv >imp.out 2>imp.err; echo $? >imp.rc ) "
                       "</dev/null >/dev/null 2>&1 &", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *fifo = fx_path(&fx, "in.csv"), *rc_path = fx_path(&fx, "imp.rc");
    FILE *w = fopen(fifo, "w");   /* waits for the import to open it */
    cr_assert(w);
    fputs("id,key\n", w);
    fflush(w);
    usleep(300 * 1000);
    /* the import is waiting for its next line: the registry is free */
    fws_ok("lot create m --quota 1 --registry fleet.db --lock-timeout 0");
    randombytes_buf(sk, sizeof sk);
    crypto_scalarmult_base(pk, sk);
    sodium_bin2hex(hex, sizeof hex, pk, 32);
    fprintf(w, "slow-1,%s\n", hex);
    fclose(w);
    for (int i = 0; i < 200 && !file_exists(rc_path); i++)
        usleep(100 * 1000);
    r = run("cd '%s' && cat imp.rc imp.err", fx.dir);
    cr_assert(!strncmp(r.out, "0\n", 2), "%s", r.out);
    run_free(&r);
    cr_assert_eq(db_int("SELECT count(*) FROM devices WHERE id = 'slow-1'"), 1);
    cr_assert_eq(db_int("SELECT count(*) FROM lots"), 2);
    free(fifo);
    free(rc_path);
}

/* A new registry appears whole: a registry in a directory that cannot be
 * written is not created at all. */
Test(registry, creation_is_all_or_nothing)
{
    fws_fails(3, "nodir/fleet.db: cannot create the registry",
              "lot create l --quota 1 --registry nodir/fleet.db");
    run_result r = run("ls -a '%s' | grep -c tmp-", fx.dir);
    cr_assert_str_eq(r.out, "0\n", "%s", r.out);
    run_free(&r);
    fws_ok("lot create l --quota 1 --registry fleet.db");
    r = run("ls -a '%s' | grep -c 'fleet.db'", fx.dir);
    cr_assert_str_eq(r.out, "1\n", "leftovers: %s", r.out);
    run_free(&r);
}
