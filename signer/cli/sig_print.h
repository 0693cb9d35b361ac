/* SPDX-License-Identifier: MIT */
/* A container's signature entries for people and for scripts, as
 * `fwseal signatures` and `fwseal inspect` show them: type, the signing
 * key's id, and for a delegated entry its generation, scope and roots. */
#ifndef FWS_SIG_PRINT_H
#define FWS_SIG_PRINT_H

#include <stdio.h>

#include "container_reader.h"
#include "json.h"

/* One line per entry, each starting with indent. */
void sig_print_text(const container *c, FILE *f, const char *indent);
/* The entries as a JSON array under key "signatures" of j's object. */
void sig_print_json_array(json_writer *j, const container *c);
/* {"file": ..., "signatures": [...]} on standard output. */
void sig_print_json(const container *c);

#endif
