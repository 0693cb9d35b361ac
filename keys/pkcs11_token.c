/* SPDX-License-Identifier: MIT */
#include "pkcs11_token.h"
#include "diag.h"
#include "passphrase.h"
#include "pkcs11_uri.h"
#include "xalloc.h"

#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pkcs11_token {
    char *uri_text;
    fws_pkcs11_uri uri;
    void *module;
    CK_FUNCTION_LIST *f;
    int initialized;               /* we called C_Initialize and must finalize */
    CK_SESSION_HANDLE session;
    int session_open, logged_in;
    CK_OBJECT_HANDLE priv;
    char *describe;
};

/* Modules initialised by this process: a second key in the same module
 * must not C_Finalize it under the first. */
static struct {
    void *module;
    int refs;
} inits[8];

static const char *rv_name(CK_RV rv)
{
    switch (rv) {
    case CKR_OK: return "CKR_OK";
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT (wrong PIN)";
    case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
    case CKR_PIN_LEN_RANGE: return "CKR_PIN_LEN_RANGE";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
    case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
    case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID (the token has no EdDSA)";
    case CKR_KEY_TYPE_INCONSISTENT: return "CKR_KEY_TYPE_INCONSISTENT";
    case CKR_ATTRIBUTE_VALUE_INVALID: return "CKR_ATTRIBUTE_VALUE_INVALID";
    case CKR_DOMAIN_PARAMS_INVALID: return "CKR_DOMAIN_PARAMS_INVALID";
    case CKR_TEMPLATE_INCONSISTENT: return "CKR_TEMPLATE_INCONSISTENT";
    case CKR_FUNCTION_NOT_SUPPORTED: return "CKR_FUNCTION_NOT_SUPPORTED";
    case CKR_DEVICE_ERROR: return "CKR_DEVICE_ERROR";
    case CKR_GENERAL_ERROR: return "CKR_GENERAL_ERROR";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "CKR 0x%lx", (unsigned long)rv);
        return buf;
    }
    }
}

static int fail_rv(const pkcs11_token *t, const char *what, CK_RV rv)
{
    diag_error("%s: %s: %s", t->uri_text, what, rv_name(rv));
    return FWS_EXIT_IO;
}

/* module-name=NAME: NAME.so in the system's PKCS#11 module directories
 * (p11-kit's), else NAME as dlopen() finds it. */
static char *find_module(const char *name)
{
    static const char *const dirs[] = {"/usr/lib/x86_64-linux-gnu/pkcs11",
                                       "/usr/lib/aarch64-linux-gnu/pkcs11", "/usr/lib64/pkcs11",
                                       "/usr/lib/pkcs11"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char *p = xasprintf("%s/%s.so", dirs[i], name);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return xasprintf("%s.so", name);
}

static int load_module(pkcs11_token *t)
{
    const char *path = t->uri.module_path ? t->uri.module_path : getenv("FWSEAL_PKCS11_MODULE");
    char *found = NULL;
    CK_C_GetFunctionList get;
    CK_C_INITIALIZE_ARGS args;
    CK_RV rv;
    if (!path && t->uri.module_name)
        path = found = find_module(t->uri.module_name);
    if (!path) {
        diag_error("%s: which PKCS#11 module? add ?module-path=/path/to/module.so to the URI "
                   "(or set FWSEAL_PKCS11_MODULE)", t->uri_text);
        return FWS_EXIT_IO;
    }
    t->module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!t->module) {
        diag_error("%s: cannot load the PKCS#11 module %s: %s", t->uri_text, path, dlerror());
        free(found);
        return FWS_EXIT_IO;
    }
    get = (CK_C_GetFunctionList)(uintptr_t)dlsym(t->module, "C_GetFunctionList");
    if (!get || get(&t->f) != CKR_OK || !t->f) {
        diag_error("%s: %s is not a PKCS#11 module (no C_GetFunctionList)", t->uri_text, path);
        free(found);
        return FWS_EXIT_IO;
    }
    free(found);
    memset(&args, 0, sizeof args);
    args.flags = CKF_OS_LOCKING_OK;
    rv = t->f->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
        return fail_rv(t, "C_Initialize", rv);
    for (size_t i = 0; i < sizeof inits / sizeof *inits; i++)
        if (rv == CKR_OK ? !inits[i].module : inits[i].module == t->module) {
            inits[i].module = t->module;
            inits[i].refs++;
            t->initialized = 1;
            break;
        }
    return FWS_EXIT_OK;
}

/* A blank-padded PKCS#11 string field equals s. */
static int field_is(const unsigned char *field, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len > n || memcmp(field, s, len))
        return 0;
    for (size_t i = len; i < n; i++)
        if (field[i] != ' ')
            return 0;
    return 1;
}

static int find_slot(pkcs11_token *t, CK_SLOT_ID *slot)
{
    CK_SLOT_ID slots[64];
    CK_ULONG n = sizeof slots / sizeof *slots, matches = 0;
    CK_RV rv = t->f->C_GetSlotList(CK_TRUE, slots, &n);
    if (rv != CKR_OK)
        return fail_rv(t, "C_GetSlotList", rv);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO ti;
        if (t->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
            continue;
        if ((t->uri.token && !field_is(ti.label, sizeof ti.label, t->uri.token)) ||
            (t->uri.manufacturer &&
             !field_is(ti.manufacturerID, sizeof ti.manufacturerID, t->uri.manufacturer)) ||
            (t->uri.model && !field_is(ti.model, sizeof ti.model, t->uri.model)) ||
            (t->uri.serial &&
             !field_is(ti.serialNumber, sizeof ti.serialNumber, t->uri.serial)) ||
            (t->uri.has_slot_id && slots[i] != t->uri.slot_id))
            continue;
        if (matches++ == 0)
            *slot = slots[i];
    }
    if (matches == 0) {
        diag_error("%s: no token matches (%lu token%s present)", t->uri_text, (unsigned long)n,
                   n == 1 ? "" : "s");
        return FWS_EXIT_IO;
    }
    if (matches > 1) {
        diag_error("%s: %lu tokens match: name one with token=, serial= or slot-id=",
                   t->uri_text, (unsigned long)matches);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* The PIN: pin-source (file:PATH, PATH, env:VAR), FWSEAL_PKCS11_PIN, or
 * the terminal. */
static int get_pin(pkcs11_token *t, char *buf, size_t *len)
{
    const char *src = t->uri.pin_source, *env = getenv("FWSEAL_PKCS11_PIN");
    fws_passphrase_src pp = {NULL, NULL};
    char *what = xasprintf("the PIN of token %s", t->uri.token ? t->uri.token : "(unnamed)");
    int rc;
    if (src && !strncmp(src, "env:", 4)) {
        pp.env = src + 4;
    } else if (src) {
        pp.file = !strncmp(src, "file://", 7) ? src + 7 : !strncmp(src, "file:", 5) ? src + 5 : src;
    } else if (env) {
        pp.env = "FWSEAL_PKCS11_PIN";
    }
    rc = fws_passphrase_get(&pp, what, 0, buf, len);
    free(what);
    return rc;
}

static int login(pkcs11_token *t)
{
    char pin[FWS_PASSPHRASE_BUF];
    size_t len;
    CK_RV rv;
    int rc = get_pin(t, pin, &len);
    if (rc)
        return rc;
    rv = t->f->C_Login(t->session, CKU_USER, (CK_UTF8CHAR *)pin, (CK_ULONG)len);
    sodium_memzero(pin, sizeof pin);
    if (rv == CKR_USER_ALREADY_LOGGED_IN)
        rv = CKR_OK;
    if (rv != CKR_OK)
        return fail_rv(t, "login refused", rv);
    t->logged_in = 1;
    return FWS_EXIT_OK;
}

int pkcs11_token_open(const char *uri, int want_login, pkcs11_token **out)
{
    pkcs11_token *t = xcalloc(1, sizeof *t);
    char err[200];
    CK_SLOT_ID slot = 0;
    CK_RV rv;
    int rc;
    *out = t;
    t->uri_text = xstrdup(uri);
    if (fws_pkcs11_uri_parse(uri, &t->uri, err, sizeof err)) {
        diag_error("%s: %s", uri, err);
        return FWS_EXIT_USAGE;
    }
    t->describe = xasprintf("token=%s object=%s", t->uri.token ? t->uri.token : "*",
                            t->uri.object ? t->uri.object : "(by id)");
    if ((rc = load_module(t)) || (rc = find_slot(t, &slot)))
        return rc;
    rv = t->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &t->session);
    if (rv != CKR_OK)
        return fail_rv(t, "C_OpenSession", rv);
    t->session_open = 1;
    return want_login ? login(t) : FWS_EXIT_OK;
}

/* Objects of class cls with the URI's label and id: count and the first. */
static int find_objects(pkcs11_token *t, CK_OBJECT_CLASS cls, CK_OBJECT_HANDLE *h, CK_ULONG *n)
{
    CK_ATTRIBUTE tmpl[3];
    CK_ULONG k = 0, got = 0;
    CK_OBJECT_HANDLE found[2];
    CK_RV rv;
    tmpl[k++] = (CK_ATTRIBUTE){CKA_CLASS, &cls, sizeof cls};
    if (t->uri.object)
        tmpl[k++] = (CK_ATTRIBUTE){CKA_LABEL, t->uri.object, strlen(t->uri.object)};
    if (t->uri.id)
        tmpl[k++] = (CK_ATTRIBUTE){CKA_ID, t->uri.id, t->uri.id_len};
    if ((rv = t->f->C_FindObjectsInit(t->session, tmpl, k)) != CKR_OK)
        return fail_rv(t, "C_FindObjectsInit", rv);
    rv = t->f->C_FindObjects(t->session, found, 2, &got);
    t->f->C_FindObjectsFinal(t->session);
    if (rv != CKR_OK)
        return fail_rv(t, "C_FindObjects", rv);
    *n = got;
    if (got)
        *h = found[0];
    return FWS_EXIT_OK;
}

/* 1 if CKA_EC_PARAMS names Ed25519: the OID 1.3.101.112 or the printable
 * string "edwards25519" (RFC 8410 / PKCS#11 3.0 allow both). */
static int is_ed25519_params(const uint8_t *p, CK_ULONG n)
{
    static const uint8_t oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
    static const uint8_t name[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's',
                                   '2',  '5',  '5', '1', '9'};
    return (n == sizeof oid && !memcmp(p, oid, n)) || (n == sizeof name && !memcmp(p, name, n));
}

static int read_public(pkcs11_token *t, CK_OBJECT_HANDLE h, uint8_t pub[32])
{
    uint8_t point[64], params[64];
    CK_KEY_TYPE kt = 0;
    CK_ATTRIBUTE a[3] = {{CKA_KEY_TYPE, &kt, sizeof kt},
                         {CKA_EC_PARAMS, params, sizeof params},
                         {CKA_EC_POINT, point, sizeof point}};
    CK_RV rv = t->f->C_GetAttributeValue(t->session, h, a, 3);
    if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID && rv != CKR_BUFFER_TOO_SMALL)
        return fail_rv(t, "reading the public key", rv);
    if (kt != CKK_EC_EDWARDS || a[1].ulValueLen == (CK_ULONG)-1 ||
        !is_ed25519_params(params, a[1].ulValueLen)) {
        diag_error("%s: the object is not an Ed25519 key (key type 0x%lx)", t->uri_text,
                   (unsigned long)kt);
        return FWS_EXIT_IO;
    }
    if (a[2].ulValueLen == 32) {
        memcpy(pub, point, 32);
    } else if (a[2].ulValueLen == 34 && point[0] == 0x04 && point[1] == 0x20) {
        memcpy(pub, point + 2, 32);   /* DER OCTET STRING */
    } else {
        diag_error("%s: CKA_EC_POINT is %ld bytes, neither a raw Ed25519 key (32) nor its DER "
                   "OCTET STRING (34)", t->uri_text, (long)a[2].ulValueLen);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int pkcs11_token_find_key(pkcs11_token *t, int need_private, uint8_t pub[32])
{
    CK_OBJECT_HANDLE pubh = 0;
    CK_ULONG n;
    int rc;
    if (need_private) {
        CK_KEY_TYPE kt = 0;
        CK_ATTRIBUTE a = {CKA_KEY_TYPE, &kt, sizeof kt};
        if ((rc = find_objects(t, CKO_PRIVATE_KEY, &t->priv, &n)))
            return rc;
        if (n != 1) {
            diag_error("%s: %s private key in the token", t->uri_text,
                       n ? "more than one matching" : "no matching");
            return FWS_EXIT_IO;
        }
        if (t->f->C_GetAttributeValue(t->session, t->priv, &a, 1) != CKR_OK ||
            kt != CKK_EC_EDWARDS) {
            diag_error("%s: the object is not an Ed25519 key (key type 0x%lx)", t->uri_text,
                       (unsigned long)kt);
            return FWS_EXIT_IO;
        }
    }
    if ((rc = find_objects(t, CKO_PUBLIC_KEY, &pubh, &n)))
        return rc;
    if (n != 1) {
        diag_error("%s: %s public key in the token (fwseal reads CKA_EC_POINT from it)",
                   t->uri_text, n ? "more than one matching" : "no matching");
        return FWS_EXIT_IO;
    }
    return read_public(t, pubh, pub);
}

int pkcs11_token_sign(pkcs11_token *t, const uint8_t *msg, size_t len, uint8_t sig[64])
{
    CK_MECHANISM mech = {CKM_EDDSA, NULL, 0};
    CK_ULONG sig_len = 64;
    CK_RV rv = t->f->C_SignInit(t->session, &mech, t->priv);
    if (rv != CKR_OK)
        return fail_rv(t, "C_SignInit (EdDSA)", rv);
    rv = t->f->C_Sign(t->session, (CK_BYTE *)msg, (CK_ULONG)len, sig, &sig_len);
    if (rv != CKR_OK)
        return fail_rv(t, "C_Sign", rv);
    if (sig_len != 64) {
        diag_error("%s: the token returned a %lu-byte signature, Ed25519 has 64", t->uri_text,
                   (unsigned long)sig_len);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int pkcs11_token_generate(pkcs11_token *t, uint8_t pub[32])
{
    static const uint8_t oid[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
    CK_MECHANISM mech = {CKM_EC_EDWARDS_KEY_PAIR_GEN, NULL, 0};
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_OBJECT_HANDLE pubh, privh, h;
    CK_ULONG n, k = 0;
    CK_ATTRIBUTE pt[6], st[9];
    CK_RV rv;
    int rc;
    if ((rc = find_objects(t, CKO_PRIVATE_KEY, &h, &n)))
        return rc;
    if (n) {
        diag_error("%s: the token already has a key with this label or id: nothing generated",
                   t->uri_text);
        return FWS_EXIT_IO;
    }
    pt[k++] = (CK_ATTRIBUTE){CKA_EC_PARAMS, (void *)oid, sizeof oid};
    pt[k++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof yes};
    pt[k++] = (CK_ATTRIBUTE){CKA_VERIFY, &yes, sizeof yes};
    pt[k++] = (CK_ATTRIBUTE){CKA_PRIVATE, &no, sizeof no};
    if (t->uri.object)
        pt[k++] = (CK_ATTRIBUTE){CKA_LABEL, t->uri.object, strlen(t->uri.object)};
    if (t->uri.id)
        pt[k++] = (CK_ATTRIBUTE){CKA_ID, t->uri.id, t->uri.id_len};
    n = k;
    k = 0;
    st[k++] = (CK_ATTRIBUTE){CKA_TOKEN, &yes, sizeof yes};
    st[k++] = (CK_ATTRIBUTE){CKA_PRIVATE, &yes, sizeof yes};
    st[k++] = (CK_ATTRIBUTE){CKA_SENSITIVE, &yes, sizeof yes};
    st[k++] = (CK_ATTRIBUTE){CKA_EXTRACTABLE, &no, sizeof no};
    st[k++] = (CK_ATTRIBUTE){CKA_SIGN, &yes, sizeof yes};
    if (t->uri.object)
        st[k++] = (CK_ATTRIBUTE){CKA_LABEL, t->uri.object, strlen(t->uri.object)};
    if (t->uri.id)
        st[k++] = (CK_ATTRIBUTE){CKA_ID, t->uri.id, t->uri.id_len};
    rv = t->f->C_GenerateKeyPair(t->session, &mech, pt, n, st, k, &pubh, &privh);
    if (rv != CKR_OK)
        return fail_rv(t, "generating an Ed25519 key pair (CKM_EC_EDWARDS_KEY_PAIR_GEN)", rv);
    t->priv = privh;
    return read_public(t, pubh, pub);
}

const char *pkcs11_token_describe(const pkcs11_token *t)
{
    return t->describe;
}

void pkcs11_token_close(pkcs11_token *t)
{
    if (!t)
        return;
    if (t->logged_in)
        t->f->C_Logout(t->session);
    if (t->session_open)
        t->f->C_CloseSession(t->session);
    if (t->initialized)
        for (size_t i = 0; i < sizeof inits / sizeof *inits; i++)
            if (inits[i].module == t->module && --inits[i].refs == 0) {
                t->f->C_Finalize(NULL);
                inits[i].module = NULL;
            }
    if (t->module)
        dlclose(t->module);
    fws_pkcs11_uri_free(&t->uri);
    free(t->uri_text);
    free(t->describe);
    free(t);
}
