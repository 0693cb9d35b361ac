/* SPDX-License-Identifier: MIT */
/*
 * A minimal reader for Wycheproof JSON test-vector files (host tests only).
 *
 * No JSON library: a small scanner that understands exactly the shape the
 * Wycheproof files have,
 *
 *   { ..., "testGroups": [ { <group fields>, "tests": [ {<test>}, ... ] }, ... ] }
 *
 * and is indifferent to whitespace, member order and unknown members.
 *
 * Usage:
 *
 *   static void one(const wp_case *c, void *user) {
 *       size_t klen; uint8_t *key = wp_hex(c, "key", &klen);
 *       long id = wp_int(c, "tcId");
 *       ...
 *       free(key);
 *   }
 *   int n = wp_foreach(VECTORS_DIR "/wycheproof/hmac_sha256_test.json", one, &state);
 *
 * A wp_case points into the file's text, which wp_foreach owns: it is valid
 * only during the callback.  The strings and buffers that wp_str/wp_hex
 * return are the caller's to free().
 */
#ifndef FWS_WYCHEPROOF_H
#define FWS_WYCHEPROOF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *group; /* text of the group object, from '{' to its '}' */
    size_t group_len;
    const char *test; /* text of the test object, from '{' to its '}' */
    size_t test_len;
} wp_case;

/* Calls cb for each object in every "tests" array of the file, in order.
 * Returns the number of test cases visited, or -1 if the file cannot be
 * read (or is not shaped like a Wycheproof file). */
int wp_foreach(const char *path, void (*cb)(const wp_case *c, void *user), void *user);

/* String value of "key": looked up first inside the test object, then inside
 * the group object (outside its "tests" array; nested objects such as
 * "publicKey": {"pk": ...} count, the group's own members first).  Returns a
 * malloc'ed NUL-terminated string (JSON escapes decoded, \uXXXX as UTF-8), or
 * NULL if absent or not a string. */
char *wp_str(const wp_case *c, const char *key);

/* Hex-decodes wp_str(c, key) into a malloc'ed buffer (non-NULL even when
 * empty) and sets *len; NULL if absent or not valid hex. */
uint8_t *wp_hex(const wp_case *c, const char *key, size_t *len);

/* Integer value of "key" (e.g. "tcId", "size", "tagSize"), same lookup
 * order as wp_str; -1 if absent or not a number. */
long wp_int(const wp_case *c, const char *key);

/* 1 if the test's "flags" array contains the string flag, else 0. */
int wp_has_flag(const wp_case *c, const char *flag);

#endif
