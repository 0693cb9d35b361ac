/* A small streaming JSON writer for --json output (stable keys; see
 * README "JSON output"). */
#ifndef FWS_JSON_H
#define FWS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    int depth;
    int first[16];
} json_writer;

void json_init(json_writer *j, FILE *f);
/* key is NULL inside arrays. */
void json_begin(json_writer *j, const char *key, char bracket);   /* '{' or '[' */
void json_end(json_writer *j, char bracket);                      /* '}' or ']' */
void json_str(json_writer *j, const char *key, const char *s);
void json_strn(json_writer *j, const char *key, const char *s, size_t n);
void json_hex(json_writer *j, const char *key, const uint8_t *b, size_t n);
void json_u64(json_writer *j, const char *key, uint64_t v);
void json_bool(json_writer *j, const char *key, int v);
void json_null(json_writer *j, const char *key);

#endif
