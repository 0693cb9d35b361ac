/* SPDX-License-Identifier: MIT */
#include "psk_import.h"
#include "diag.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int fws_psk_import_file(const char *path, uint8_t psk[32])
{
    uint8_t buf[80];
    size_t n, hex_len, bin_len;
    int is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (is_stdin)
        path = "standard input";
    if (!f) {
        diag_error("%s: cannot open: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    n = fread(buf, 1, sizeof buf, f);
    if (!is_stdin)
        fclose(f);
    if (n == 32) {
        memcpy(psk, buf, 32);
        sodium_memzero(buf, sizeof buf);
        return FWS_EXIT_OK;
    }
    hex_len = n;
    if (hex_len > 0 && buf[hex_len - 1] == '\n')
        hex_len--;
    if (hex_len > 0 && buf[hex_len - 1] == '\r')
        hex_len--;
    if (hex_len == 64 && sodium_hex2bin(psk, 32, (const char *)buf, 64, NULL, &bin_len, NULL) == 0 &&
        bin_len == 32) {
        sodium_memzero(buf, sizeof buf);
        return FWS_EXIT_OK;
    }
    sodium_memzero(buf, sizeof buf);
    sodium_memzero(psk, 32);
    diag_error("%s: a PSK is exactly 32 bytes, or 64 hex digits; this file has %s%zu bytes", path,
              n == sizeof buf ? "at least " : "", n);
    return FWS_EXIT_IO;
}
