/* SPDX-License-Identifier: MIT */
#include "hsm_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *hsm_module(void)
{
    static const char *const paths[] = {"/usr/lib/softhsm/libsofthsm2.so",
                                        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                                        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        if (access(paths[i], R_OK) == 0)
            return paths[i];
    return NULL;
}

int hsm_init(const fixture *f)
{
    run_result r = run("command -v softhsm2-util");
    int have = r.status == 0 && hsm_module();
    run_free(&r);
    if (!have) {
        test_skip("SoftHSM2 not installed (make test installs softhsm2 and opensc)");
        return 0;
    }
    r = run("cd '%s' && mkdir -p tokens && printf 'directories.tokendir = %s/tokens\\n"
            "objectstore.backend = file\\nlog.level = ERROR\\n' > softhsm2.conf && "
            "printf 1234 > pin && chmod 600 pin && "
            "SOFTHSM2_CONF=%s/softhsm2.conf softhsm2-util --init-token --free --label release "
            "--pin 1234 --so-pin 5678",
            f->dir, f->dir, f->dir);
    cr_assert_eq(r.status, 0, "softhsm2-util: %s%s", r.out, r.err);
    run_free(&r);
    char *conf = path_fmt("%s/softhsm2.conf", f->dir);
    setenv("SOFTHSM2_CONF", conf, 1);
    free(conf);
    setenv("HSM_MODULE", hsm_module(), 1);
    return 1;
}

char *hsm_uri(const fixture *f, const char *label)
{
    return path_fmt("pkcs11:token=release;object=%s?module-path=%s&pin-source=file:%s/pin", label,
                    hsm_module(), f->dir);
}
