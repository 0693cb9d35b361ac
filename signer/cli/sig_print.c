/* SPDX-License-Identifier: MIT */
#include "sig_print.h"
#include "keyfile.h"
#include "sig_entry.h"

#include <sodium.h>
#include <string.h>

static const char *type_name(uint8_t t)
{
    return t == FWS_SIG_ED25519 ? "ed25519" : t == FWS_SIG_DELEGATED ? "delegated" : "unknown";
}

void sig_print_text(const container *c, FILE *f, const char *indent)
{
    char hex[2 * FWS_CLASS_LEN + 1];
    for (int i = 0; i < c->n_sigs; i++) {
        const block_entry *e = &c->sigs[i];
        uint8_t id[FWS_KEYID_LEN];
        fws_cert d;
        const uint8_t *sig;
        fprintf(f, "%s[%d] %-9s", indent, i, type_name(e->type));
        if (sig_entry_key_id(e, id)) {
            fprintf(f, " type %u, %u bytes (skipped by verifiers)\n", e->type, e->len);
            continue;
        }
        fws_key_id_hex(id, hex);
        fprintf(f, " key %s", hex);
        if (!sig_entry_delegation(e, &d, &sig)) {
            if (fws_cert_any_class(&d))
                strcpy(hex, "any");
            else
                sodium_bin2hex(hex, sizeof hex, d.scope, FWS_CLASS_LEN);
            fprintf(f, ", generation %lu, scope %s, root%s", (unsigned long)d.generation, hex,
                    d.n_roots == 1 ? "" : "s");
            for (int r = 0; r < d.n_roots; r++) {
                fws_key_id_hex(d.root_sigs + r * FWS_CERT_ROOT_SIG_LEN, hex);
                fprintf(f, " %s", hex);
            }
        }
        fprintf(f, "\n");
    }
}

void sig_print_json_array(json_writer *j, const container *c)
{
    json_begin(j, "signatures", '[');
    for (int i = 0; i < c->n_sigs; i++) {
        const block_entry *e = &c->sigs[i];
        uint8_t id[FWS_KEYID_LEN];
        fws_cert d;
        const uint8_t *sig;
        json_begin(j, NULL, '{');
        json_str(j, "type", type_name(e->type));
        json_u64(j, "type_code", e->type);
        if (!sig_entry_key_id(e, id))
            json_hex(j, "key_id", id, FWS_KEYID_LEN);
        if (!sig_entry_delegation(e, &d, &sig)) {
            json_u64(j, "generation", d.generation);
            if (fws_cert_any_class(&d))
                json_null(j, "scope");
            else
                json_hex(j, "scope", d.scope, FWS_CLASS_LEN);
            json_begin(j, "root_key_ids", '[');
            for (int r = 0; r < d.n_roots; r++)
                json_hex(j, NULL, d.root_sigs + r * FWS_CERT_ROOT_SIG_LEN, FWS_KEYID_LEN);
            json_end(j, ']');
        }
        json_end(j, '}');
    }
    json_end(j, ']');
}

void sig_print_json(const container *c)
{
    json_writer j;
    json_init(&j, stdout);
    json_begin(&j, NULL, '{');
    json_str(&j, "file", c->path);
    sig_print_json_array(&j, c);
    json_end(&j, '}');
    printf("\n");
}
