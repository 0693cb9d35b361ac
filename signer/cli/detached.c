/* SPDX-License-Identifier: MIT */
#include "detached.h"
#include "diag.h"
#include "keyfile.h"
#include "sig_entry.h"

#include <string.h>

int detached_open(const char *cmd, const char *path, container *c)
{
    int rc;
    if (!strcmp(path, "-")) {
        diag_error("%s: works on a file, not standard input", cmd);
        return FWS_EXIT_USAGE;
    }
    if ((rc = container_open(c, path)))
        return rc;
    if (container_parse_to(c, STAGE_SIGNATURES)) {
        diag_error("%s: %s", path, c->err);
        container_close(c);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int detached_may_add(const container *c, const uint8_t id[FWS_KEYID_LEN], const char *who)
{
    char hex[2 * FWS_KEYID_LEN + 1];
    uint8_t have[FWS_KEYID_LEN];
    fws_key_id_hex(id, hex);
    for (int i = 0; i < c->n_sigs; i++)
        if (!sig_entry_key_id(&c->sigs[i], have) && !memcmp(have, id, FWS_KEYID_LEN)) {
            diag_error("%s: key %s (%s) has already signed it (entry %d): a key counts once",
                       c->path, hex, who, i);
            return FWS_EXIT_USAGE;
        }
    if (c->n_sigs == FWS_MAX_SIGNATURES) {
        diag_error("%s: the signature block is full (%d entries): remove one first "
                   "(fwseal signatures --remove)", c->path, FWS_MAX_SIGNATURES);
        return FWS_EXIT_USAGE;
    }
    return FWS_EXIT_OK;
}
