/* SPDX-License-Identifier: MIT */
/*
 * Ed25519 verification with libsodium 1.0.18's strict decisions.  See
 * ed25519_verify.h for the rules; the order of the checks below follows
 * libsodium's crypto_sign_ed25519_verify_detached so that every input takes
 * the same decision (the checks are independent, so only the accept/reject
 * outcome matters, not which check fires first).
 *
 * Points use twisted Edwards coordinates (-x^2 + y^2 = 1 + d x^2 y^2):
 *   p3:     (X : Y : Z : T),      x = X/Z, y = Y/Z, T = XY/Z (extended
 *           coordinates); T is left stale where no addition reads it
 *   p1p1:   ((X : Z), (Y : T)),   x = X/Z, y = Y/T, the form in which
 *           additions and doublings come out; 3 mults make it (X : Y : Z),
 *           4 a full p3.  Stored in the same struct as p3.
 *   cached: (Y+X, Y-X, Z, 2dT),   a p3 point prepared as an addend; the
 *           base point's multiples are cached points with Z = 1 (affine)
 * The addition formulas (Hisil, Wong, Carter, Dawson 2008) are complete on
 * this curve, so they are exact for every point, small-order parts included.
 *
 * The double-scalar multiplication [h](-A) + [S]B runs from the top bit
 * down, one doubling per bit, and recodes both scalars on the fly into
 * signed odd digits (width-w "mutual opposite form" sliding windows,
 * Okeya-Schmidt-Samoa-Spahn-Takagi 2004): the digits come out top first,
 * so no digit array is stored, and they are exactly as sparse as a width-w
 * NAF's (the same number of additions for every scalar).
 */
#include "ed25519_verify.h"

#include "fe25519.h"
#include "fws_bytes.h"
#include "sha512.h"

#if FWS_ED25519_WINDOW < 2 || FWS_ED25519_WINDOW > 5
#error "FWS_ED25519_WINDOW must be 2..5"
#endif
#if FWS_ED25519_B_WINDOW < 2 || FWS_ED25519_B_WINDOW > 5
#error "FWS_ED25519_B_WINDOW must be 2..5"
#endif
#define FWS_ED25519_A_TABLE (1 << (FWS_ED25519_WINDOW - 2))
#define FWS_ED25519_B_TABLE (1 << (FWS_ED25519_B_WINDOW - 2))

typedef struct {
    fws_fe25519 X, Y, Z, T;
} fws_ge_p3; /* also p1p1: ((X : Z), (Y : T)) */

typedef struct {
    fws_fe25519 ypx, ymx, Z, T2d;
} fws_ge_cached;

/* Field constants as canonical little-endian encodings, decoded with
 * fws_fe25519_frombytes when used (a few loads and masks), so that they do
 * not depend on the limb representation.  Values from a Python big-integer
 * script: d = -121665/121666, sqrt(-1) = 2^((p-1)/4).  2d is d + d. */
static const uint8_t fws_ed25519_d[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52};
static const uint8_t fws_ed25519_sqrtm1[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b};

/* Odd multiples B, 3B, 5B, ... of the base point, affine (y+x, y-x, 2dxy),
 * canonical encodings; same Python script (B = (x, 4/5), x even).  The
 * first 2^(FWS_ED25519_B_WINDOW - 2) entries are used (96 bytes each).  The
 * differential tests against libsodium exercise every entry, both signs. */
static const uint8_t fws_ed25519_base[FWS_ED25519_B_TABLE][3][32] = {
    {/* 1 B */
        {0x85, 0x3b, 0x8c, 0xf5, 0xc6, 0x93, 0xbc, 0x2f, 0x19, 0x0e, 0x8c, 0xfb, 0xc6, 0x2d, 0x93, 0xcf,
         0xc2, 0x42, 0x3d, 0x64, 0x98, 0x48, 0x0b, 0x27, 0x65, 0xba, 0xd4, 0x33, 0x3a, 0x9d, 0xcf, 0x07},
        {0x3e, 0x91, 0x40, 0xd7, 0x05, 0x39, 0x10, 0x9d, 0xb3, 0xbe, 0x40, 0xd1, 0x05, 0x9f, 0x39, 0xfd,
         0x09, 0x8a, 0x8f, 0x68, 0x34, 0x84, 0xc1, 0xa5, 0x67, 0x12, 0xf8, 0x98, 0x92, 0x2f, 0xfd, 0x44},
        {0x68, 0xaa, 0x7a, 0x87, 0x05, 0x12, 0xc9, 0xab, 0x9e, 0xc4, 0xaa, 0xcc, 0x23, 0xe8, 0xd9, 0x26,
         0x8c, 0x59, 0x43, 0xdd, 0xcb, 0x7d, 0x1b, 0x5a, 0xa8, 0x65, 0x0c, 0x9f, 0x68, 0x7b, 0x11, 0x6f}},
#if FWS_ED25519_B_TABLE > 1
    {/* 3 B */
        {0x30, 0x97, 0xee, 0x4c, 0xa8, 0xb0, 0x25, 0xaf, 0x8a, 0x4b, 0x86, 0xe8, 0x30, 0x84, 0x5a, 0x02,
         0x32, 0x67, 0x01, 0x9f, 0x02, 0x50, 0x1b, 0xc1, 0xf4, 0xf8, 0x80, 0x9a, 0x1b, 0x4e, 0x16, 0x7a},
        {0x65, 0xd2, 0xfc, 0xa4, 0xe8, 0x1f, 0x61, 0x56, 0x7d, 0xba, 0xc1, 0xe5, 0xfd, 0x53, 0xd3, 0x3b,
         0xbd, 0xd6, 0x4b, 0x21, 0x1a, 0xf3, 0x31, 0x81, 0x62, 0xda, 0x5b, 0x55, 0x87, 0x15, 0xb9, 0x2a},
        {0x89, 0xd8, 0xd0, 0x0d, 0x3f, 0x93, 0xae, 0x14, 0x62, 0xda, 0x35, 0x1c, 0x22, 0x23, 0x94, 0x58,
         0x4c, 0xdb, 0xf2, 0x8c, 0x45, 0xe5, 0x70, 0xd1, 0xc6, 0xb4, 0xb9, 0x12, 0xaf, 0x26, 0x28, 0x5a}},
#endif
#if FWS_ED25519_B_TABLE > 2
    {/* 5 B */
        {0x33, 0xbb, 0xa5, 0x08, 0x44, 0xbc, 0x12, 0xa2, 0x02, 0xed, 0x5e, 0xc7, 0xc3, 0x48, 0x50, 0x8d,
         0x44, 0xec, 0xbf, 0x5a, 0x0c, 0xeb, 0x1b, 0xdd, 0xeb, 0x06, 0xe2, 0x46, 0xf1, 0xcc, 0x45, 0x29},
        {0xba, 0xd6, 0x47, 0xa4, 0xc3, 0x82, 0x91, 0x7f, 0xb7, 0x29, 0x27, 0x4b, 0xd1, 0x14, 0x00, 0xd5,
         0x87, 0xa0, 0x64, 0xb8, 0x1c, 0xf1, 0x3c, 0xe3, 0xf3, 0x55, 0x1b, 0xeb, 0x73, 0x7e, 0x4a, 0x15},
        {0x85, 0x82, 0x2a, 0x81, 0xf1, 0xdb, 0xbb, 0xbc, 0xfc, 0xd1, 0xbd, 0xd0, 0x07, 0x08, 0x0e, 0x27,
         0x2d, 0xa7, 0xbd, 0x1b, 0x0b, 0x67, 0x1b, 0xb4, 0x9a, 0xb6, 0x3b, 0x6b, 0x69, 0xbe, 0xaa, 0x43}},
    {/* 7 B */
        {0xbf, 0xa3, 0x4e, 0x94, 0xd0, 0x5c, 0x1a, 0x6b, 0xd2, 0xc0, 0x9d, 0xb3, 0x3a, 0x35, 0x70, 0x74,
         0x49, 0x2e, 0x54, 0x28, 0x82, 0x52, 0xb2, 0x71, 0x7e, 0x92, 0x3c, 0x28, 0x69, 0xea, 0x1b, 0x46},
        {0xb1, 0x21, 0x32, 0xaa, 0x9a, 0x2c, 0x6f, 0xba, 0xa7, 0x23, 0xba, 0x3b, 0x53, 0x21, 0xa0, 0x6c,
         0x3a, 0x2c, 0x19, 0x92, 0x4f, 0x76, 0xea, 0x9d, 0xe0, 0x17, 0x53, 0x2e, 0x5d, 0xdd, 0x6e, 0x1d},
        {0xa2, 0xb3, 0xb8, 0x01, 0xc8, 0x6d, 0x83, 0xf1, 0x9a, 0xa4, 0x3e, 0x05, 0x47, 0x5f, 0x03, 0xb3,
         0xf3, 0xad, 0x77, 0x58, 0xba, 0x41, 0x9c, 0x52, 0xa7, 0x90, 0x0f, 0x6a, 0x1c, 0xbb, 0x9f, 0x7a}},
#endif
#if FWS_ED25519_B_TABLE > 4
    {/* 9 B */
        {0x2f, 0x63, 0xa8, 0xa6, 0x8a, 0x67, 0x2e, 0x9b, 0xc5, 0x46, 0xbc, 0x51, 0x6f, 0x9e, 0x50, 0xa6,
         0xb5, 0xf5, 0x86, 0xc6, 0xc9, 0x33, 0xb2, 0xce, 0x59, 0x7f, 0xdd, 0x8a, 0x33, 0xed, 0xb9, 0x34},
        {0x64, 0x80, 0x9d, 0x03, 0x7e, 0x21, 0x6e, 0xf3, 0x9b, 0x41, 0x20, 0xf5, 0xb6, 0x81, 0xa0, 0x98,
         0x44, 0xb0, 0x5e, 0xe7, 0x08, 0xc6, 0xcb, 0x96, 0x8f, 0x9c, 0xdc, 0xfa, 0x51, 0x5a, 0xc0, 0x49},
        {0x1b, 0xaf, 0x45, 0x90, 0xbf, 0xe8, 0xb4, 0x06, 0x2f, 0xd2, 0x19, 0xa7, 0xe8, 0x83, 0xff, 0xe2,
         0x16, 0xcf, 0xd4, 0x93, 0x29, 0xfc, 0xf6, 0xaa, 0x06, 0x8b, 0x00, 0x1b, 0x02, 0x72, 0xc1, 0x73}},
    {/* 11 B */
        {0xde, 0x2a, 0x80, 0x8a, 0x84, 0x00, 0xbf, 0x2f, 0x27, 0x2e, 0x30, 0x02, 0xcf, 0xfe, 0xd9, 0xe5,
         0x06, 0x34, 0x70, 0x17, 0x71, 0x84, 0x3e, 0x11, 0xaf, 0x8f, 0x6d, 0x54, 0xe2, 0xaa, 0x75, 0x42},
        {0x48, 0x43, 0x86, 0x49, 0x02, 0x5b, 0x5f, 0x31, 0x81, 0x83, 0x08, 0x77, 0x69, 0xb3, 0xd6, 0x3e,
         0x95, 0xeb, 0x8d, 0x6a, 0x55, 0x75, 0xa0, 0xa3, 0x7f, 0xc7, 0xd5, 0x29, 0x80, 0x59, 0xab, 0x18},
        {0xe9, 0x89, 0x60, 0xfd, 0xc5, 0x2c, 0x2b, 0xd8, 0xa4, 0xe4, 0x82, 0x32, 0xa1, 0xb4, 0x1e, 0x03,
         0x22, 0x86, 0x1a, 0xb5, 0x99, 0x11, 0x31, 0x44, 0x48, 0xf9, 0x3d, 0xb5, 0x22, 0x55, 0xc6, 0x3d}},
    {/* 13 B */
        {0x6d, 0x7f, 0x00, 0xa2, 0x22, 0xc2, 0x70, 0xbf, 0xdb, 0xde, 0xbc, 0xb5, 0x9a, 0xb3, 0x84, 0xbf,
         0x07, 0xba, 0x07, 0xfb, 0x12, 0x0e, 0x7a, 0x53, 0x41, 0xf2, 0x46, 0xc3, 0xee, 0xd7, 0x4f, 0x23},
        {0x93, 0xbf, 0x7f, 0x32, 0x3b, 0x01, 0x6f, 0x50, 0x6b, 0x6f, 0x77, 0x9b, 0xc9, 0xeb, 0xfc, 0xae,
         0x68, 0x59, 0xad, 0xaa, 0x32, 0xb2, 0x12, 0x9d, 0xa7, 0x24, 0x60, 0x17, 0x2d, 0x88, 0x67, 0x02},
        {0x78, 0xa3, 0x2e, 0x73, 0x19, 0xa1, 0x60, 0x53, 0x71, 0xd4, 0x8d, 0xdf, 0xb1, 0xe6, 0x37, 0x24,
         0x33, 0xe5, 0xa7, 0x91, 0xf8, 0x37, 0xef, 0xa2, 0x63, 0x78, 0x09, 0xaa, 0xfd, 0xa6, 0x7b, 0x49}},
    {/* 15 B */
        {0xa0, 0xea, 0xcf, 0x13, 0x03, 0xcc, 0xce, 0x24, 0x6d, 0x24, 0x9c, 0x18, 0x8d, 0xc2, 0x48, 0x86,
         0xd0, 0xd4, 0xf2, 0xc1, 0xfa, 0xbd, 0xbd, 0x2d, 0x2b, 0xe7, 0x2d, 0xf1, 0x17, 0x29, 0xe2, 0x61},
        {0x0b, 0xcf, 0x8c, 0x46, 0x86, 0xcd, 0x0b, 0x04, 0xd6, 0x10, 0x99, 0x2a, 0xa4, 0x9b, 0x82, 0xd3,
         0x92, 0x51, 0xb2, 0x07, 0x08, 0x30, 0x08, 0x75, 0xbf, 0x5e, 0xd0, 0x18, 0x42, 0xcd, 0xb5, 0x43},
        {0x16, 0xb5, 0xd0, 0x9b, 0x2f, 0x76, 0x9a, 0x5d, 0xee, 0xde, 0x3f, 0x37, 0x4e, 0xaf, 0x38, 0xeb,
         0x70, 0x42, 0xd6, 0x93, 0x7d, 0x5a, 0x2e, 0x03, 0x42, 0xd8, 0xe4, 0x0a, 0x21, 0x61, 0x1d, 0x51}},
#endif
};

/* The group order L = 2^252 + 27742317777372353535851937790883648493,
 * little-endian 32-bit words. */
static const uint32_t fws_ed25519_l[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de,
                                          0x00000000, 0x00000000, 0x00000000, 0x10000000};

/* ---- Encoding checks (libsodium's sc25519_is_canonical,
 *      ge25519_is_canonical, ge25519_has_small_order) ---- */

/* t = r - L over eight 32-bit words; returns the borrow (1 if r < L). */
static uint32_t fws_ed25519_sub_l(uint32_t t[8], const uint32_t r[8])
{
    uint32_t borrow = 0;
    uint64_t d;
    unsigned j;
    for (j = 0; j < 8; j++) {
        d = (uint64_t)r[j] - fws_ed25519_l[j] - borrow;
        t[j] = (uint32_t)d;
        borrow = (uint32_t)(d >> 32) & 1;
    }
    return borrow;
}

/* 1 if the 256-bit little-endian s is below L. */
static int fws_ed25519_scalar_is_canonical(const uint8_t s[32])
{
    uint32_t r[8];
    unsigned j;
    for (j = 0; j < 8; j++)
        r[j] = fws_load32_le(s + 4 * j);
    return (int)fws_ed25519_sub_l(r, r);
}

/* 1 if the y of the point encoding s (sign bit ignored) is below p. */
static int fws_ed25519_point_is_canonical(const uint8_t s[32])
{
    int i;
    if ((s[31] & 0x7f) != 0x7f)
        return 1;
    for (i = 30; i > 0; i--)
        if (s[i] != 0xff)
            return 1;
    return s[0] < 0xed;
}

/* 1 if the encoding s (sign bit ignored) is on libsodium's small-order list:
 * the y values 0, 1, p-1 (orders 4, 1, 2), the two order-8 values +-y8, and
 * the non-canonical p and p+1 (= 0 and 1).  These are exactly the encodings
 * below 2^255 of the field elements y with
 *   y (y^2 - 1) (d y^4 + 2 y^2 - 1) = 0:
 * an order-8 point has x^2 = -y^2 (its double has y = 0), which with the
 * curve equation gives d y^4 + 2 y^2 - 1 = 0; of that quadratic's two roots
 * in y^2 only y8^2 is a square.  And only 0 and 1 have a second encoding
 * (p + 0, p + 1) below 2^255.  So the field test decides the same as
 * libsodium's list of 7 x 32 bytes, with no list. */
static int fws_ed25519_has_small_order(const uint8_t s[32])
{
    fws_fe25519 y, u, t, one;

    fws_fe25519_1(one);
    fws_fe25519_frombytes(y, s); /* drops the sign bit, reduces mod p */
    fws_fe25519_sq(u, y);
    fws_fe25519_frombytes(t, fws_ed25519_d);
    fws_fe25519_mul(t, t, u);
    fws_fe25519_add(t, t, one);
    fws_fe25519_add(t, t, one); /* d y^2 + 2 (loose: three tight) */
    fws_fe25519_mul(t, t, u);
    fws_fe25519_sub(t, t, one); /* d y^4 + 2 y^2 - 1 */
    fws_fe25519_sub(u, u, one); /* y^2 - 1 */
    fws_fe25519_mul(t, t, u);
    fws_fe25519_mul(t, t, y);
    return fws_fe25519_iszero(t);
}

/* ---- Scalars mod L ---- */

/* out = in mod L, in a 512-bit little-endian number (the SHA-512 digest),
 * a bit at a time from the top: r = 2r + bit, minus L if that is not
 * negative, keeps r < L (2r + 1 < 2L < 2^254 fits in eight words).  512
 * steps of a few dozen instructions each: slow by bignum standards, 2% of
 * a verification, and the smallest code. */
static void fws_ed25519_reduce(uint8_t out[32], const uint8_t in[64])
{
    uint32_t r[8], t[8], c, top;
    int i;
    unsigned j;

    for (j = 0; j < 8; j++)
        r[j] = 0;
    for (i = 511; i >= 0; i--) {
        c = (uint32_t)(in[i >> 3] >> (i & 7)) & 1;
        for (j = 0; j < 8; j++) {
            top = r[j] >> 31;
            r[j] = (r[j] << 1) | c;
            c = top;
        }
        if (r[7] >= 0x10000000 && !fws_ed25519_sub_l(t, r)) /* r >= 2^252 first */
            for (j = 0; j < 8; j++)
                r[j] = t[j];
    }
    for (j = 0; j < 8; j++)
        fws_store32_le(out + 4 * j, r[j]);
}

/* ---- Signed-digit recoding, top digit first ----
 *
 * The mutual opposite form (MOF) of k < 2^253 has the digits
 * m_i = k_(i-1) - k_i in {-1, 0, 1}, i = 0..253 (k_(-1) = 0): their sum
 * m_i 2^i is 2k - k = k, each digit is read straight from two bits, and the
 * nonzero digits alternate in sign.  A width-w sliding window over it, from
 * the top: at a nonzero m_i take the window m_i..m_j, j = max(i - w + 1, 0);
 * its value sum m_t 2^(t - j) is nonzero (the top digit outweighs the rest)
 * and, with the alternating signs, below 2^(w-1) in magnitude once its
 * trailing zero bits are shifted out: an odd digit +-1, +-3, ...,
 * +-(2^(w-1) - 1) placed at the window's lowest nonzero bit.  The scan then
 * goes on below j.  The result has exactly as many nonzero digits as the
 * width-w NAF (the tests check that on random scalars), but comes out from
 * the top, so no digit array is stored. */

typedef struct {
    const uint8_t *k; /* 32-byte little-endian scalar, below 2^253 */
    int next;         /* the next window starts at or below this bit */
    int pos;          /* where the digit found last goes (-1: none) */
    int digit;
} fws_ed25519_recoder;

static void fws_ed25519_recoder_init(fws_ed25519_recoder *r, const uint8_t k[32])
{
    r->k = k;
    r->next = 253;
    r->pos = -1;
    r->digit = 0;
}

/* k_i, 0 outside 0..255. */
static int fws_ed25519_bit(const uint8_t k[32], int i)
{
    return (i < 0 || i > 255) ? 0 : (k[i >> 3] >> (i & 7)) & 1;
}

/* The digit at bit i; call for i = 253, 252, ..., 0 in turn. */
static int fws_ed25519_digit(fws_ed25519_recoder *r, int i, int w)
{
    int j, t, v = 0;

    if (i == r->next) {
        r->next = i - 1;
        if (fws_ed25519_bit(r->k, i - 1) != fws_ed25519_bit(r->k, i)) { /* m_i != 0 */
            j = i - w + 1 < 0 ? 0 : i - w + 1;
            r->next = j - 1;
            for (t = i; t >= j; t--)
                v = 2 * v + fws_ed25519_bit(r->k, t - 1) - fws_ed25519_bit(r->k, t);
            while (v % 2 == 0) {
                v /= 2;
                j++;
            }
            r->pos = j;
            r->digit = v;
        }
    }
    return i == r->pos ? r->digit : 0;
}

/* ---- Group operations ---- */

/* (a, b) = (b - a, b + a); a, b tight in, a tight and b loose out. */
static void fws_ge_butterfly(fws_fe25519 a, fws_fe25519 b)
{
    fws_fe25519 t;
    fws_fe25519_copy(t, a);
    fws_fe25519_sub(a, b, t);
    fws_fe25519_add(b, b, t);
}

/* r = 2p as p1p1, from p's X, Y, Z (T is not read).  4 squarings. */
static void fws_ge_dbl(fws_ge_p3 *r, const fws_ge_p3 *p)
{
    fws_fe25519 t;

    fws_fe25519_sq(r->X, p->X);        /* A = X^2 */
    fws_fe25519_sq(r->Z, p->Y);        /* B = Y^2 */
    fws_fe25519_sq(r->T, p->Z);
    fws_fe25519_add(r->T, r->T, r->T); /* C = 2 Z^2 */
    fws_fe25519_add(r->Y, p->X, p->Y);
    fws_fe25519_sq(t, r->Y);           /* (X + Y)^2 */
    fws_fe25519_add(r->Y, r->Z, r->X); /* B + A */
    fws_fe25519_sub(r->Z, r->Z, r->X); /* B - A */
    fws_fe25519_sub(r->X, t, r->Y);    /* 2XY */
    fws_fe25519_sub(r->T, r->T, r->Z); /* C - (B - A) */
}

/* r = p + q, or p - q if neg, as p1p1; q->Z is taken as 1 if affine (and
 * not read).  4 multiplications, 3 if affine.  -q is q with y+x and y-x
 * swapped and 2dT negated; the sign of 2dT only exchanges the last two
 * outputs, so C and D go where the butterfly leaves D -+ C. */
static void fws_ge_add(fws_ge_p3 *r, const fws_ge_p3 *p, const fws_ge_cached *q, int neg,
                       int affine)
{
    uint32_t *c = neg ? r->Z : r->T, *d = neg ? r->T : r->Z;

    fws_fe25519_add(r->Y, p->Y, p->X);
    fws_fe25519_sub(r->X, p->Y, p->X);
    fws_fe25519_mul(r->Y, r->Y, neg ? q->ymx : q->ypx); /* A = (Y + X)(y + x) */
    fws_fe25519_mul(r->X, r->X, neg ? q->ypx : q->ymx); /* B = (Y - X)(y - x) */
    fws_fe25519_mul(c, p->T, q->T2d);                   /* C = 2d T T' */
    if (affine)
        fws_fe25519_copy(d, p->Z);
    else
        fws_fe25519_mul(d, p->Z, q->Z);
    fws_fe25519_add(d, d, d);     /* D = 2 Z Z' */
    fws_ge_butterfly(r->X, r->Y); /* A - B, A + B */
    fws_ge_butterfly(c, d);       /* D - C, D + C */
}

/* r = p1p1 p as p3; T only if with_t (a doubling does not need it). */
static void fws_ge_p3_from_p1p1(fws_ge_p3 *r, const fws_ge_p3 *p, int with_t)
{
    fws_fe25519_mul(r->X, p->X, p->T);
    fws_fe25519_mul(r->Y, p->Y, p->Z);
    fws_fe25519_mul(r->Z, p->Z, p->T);
    if (with_t)
        fws_fe25519_mul(r->T, p->X, p->Y);
}

static void fws_ge_cached_from_p3(fws_ge_cached *r, const fws_ge_p3 *p)
{
    fws_fe25519_add(r->ypx, p->Y, p->X);
    fws_fe25519_sub(r->ymx, p->Y, p->X);
    fws_fe25519_copy(r->Z, p->Z);
    fws_fe25519_frombytes(r->T2d, fws_ed25519_d);
    fws_fe25519_add(r->T2d, r->T2d, r->T2d);
    fws_fe25519_mul(r->T2d, r->T2d, p->T);
}

/* h = -A for the encoding s, as libsodium's ge25519_frombytes_negate_vartime:
 * y = s mod 2^255 (reduced mod p), x = sqrt(u/v) with u = y^2 - 1,
 * v = d y^2 + 1, computed as u v^3 (u v^7)^((p-5)/8) and fixed up by
 * sqrt(-1) when that gives -u/v; then x gets the sign opposite to s's top
 * bit.  Returns -1 if u/v is not a square.  (x = 0 with the sign bit set is
 * accepted, as libsodium does; such keys are small order, rejected
 * earlier.)  tmp: scratch for five field elements. */
static int fws_ge_decode_negate(fws_ge_p3 *h, const uint8_t s[32], fws_fe25519 tmp[5])
{
    uint32_t *u = tmp[0], *v = tmp[1], *v3 = tmp[2], *vxx = tmp[3], *t = tmp[4];

    fws_fe25519_frombytes(h->Y, s);
    fws_fe25519_1(h->Z);
    fws_fe25519_sq(u, h->Y);
    fws_fe25519_frombytes(t, fws_ed25519_d);
    fws_fe25519_mul(v, u, t);
    fws_fe25519_sub(u, u, h->Z);      /* u = y^2 - 1 */
    fws_fe25519_add(v, v, h->Z);      /* v = d y^2 + 1 */

    fws_fe25519_sq(v3, v);
    fws_fe25519_mul(v3, v3, v);       /* v^3 */
    fws_fe25519_sq(h->X, v3);
    fws_fe25519_mul(h->X, h->X, v);
    fws_fe25519_mul(h->X, h->X, u);   /* u v^7 */
    fws_fe25519_pow22523(h->X, h->X); /* (u v^7)^((p-5)/8) */
    fws_fe25519_mul(h->X, h->X, v3);
    fws_fe25519_mul(h->X, h->X, u);   /* x = u v^3 (u v^7)^((p-5)/8) */

    fws_fe25519_sq(vxx, h->X);
    fws_fe25519_mul(vxx, vxx, v);     /* v x^2 */
    fws_fe25519_sub(t, vxx, u);
    if (!fws_fe25519_iszero(t)) {
        fws_fe25519_add(t, vxx, u);
        if (!fws_fe25519_iszero(t))
            return -1; /* u/v is not a square: no such point */
        fws_fe25519_frombytes(t, fws_ed25519_sqrtm1);
        fws_fe25519_mul(h->X, h->X, t);
    }
    if (fws_fe25519_isnegative(h->X) == (s[31] >> 7))
        fws_fe25519_neg(h->X, h->X);
    fws_fe25519_mul(h->T, h->X, h->Y);
    return 0;
}

/* s = the encoding of p (X : Y : Z): y with x's parity in the top bit.
 * tmp: scratch for three field elements. */
static void fws_ge_encode(uint8_t s[32], const fws_ge_p3 *p, fws_fe25519 tmp[3])
{
    uint32_t *recip = tmp[0], *x = tmp[1], *y = tmp[2];

    fws_fe25519_invert(recip, p->Z);
    fws_fe25519_mul(x, p->X, recip);
    fws_fe25519_mul(y, p->Y, recip);
    fws_fe25519_tobytes(s, y);
    s[31] ^= (uint8_t)(fws_fe25519_isnegative(x) << 7);
}

/* Scratch for the phases of verification (decode A, hash, multiply,
 * encode), which never overlap: the union makes them share one stretch of
 * stack whatever the compiler inlines. */
typedef struct {
    fws_ge_cached table[FWS_ED25519_A_TABLE]; /* A, 3A, 5A, ...: 160 B each */
    fws_ge_cached q;                          /* the base-point multiple added */
    fws_ge_p3 t;                              /* p1p1 results */
    fws_ed25519_recoder ra, rb;
} fws_ed25519_mult_work;

typedef union {
    struct {
        fws_sha512_ctx ctx;
        uint8_t digest[64];
    } hash;
    fws_ed25519_mult_work mult;
    fws_fe25519 fe[5]; /* decoding A, encoding R' */
} fws_ed25519_work;

/* p = [a]p + [b]B, B the base point; a, b < 2^253 (here both < L); on
 * return p holds (X : Y : Z) (T is stale).  One doubling per bit from bit
 * 253 down, and an addition of +-(odd multiple of p) or of +-(odd multiple
 * of B) at each nonzero digit of a or b. */
static void fws_ed25519_double_scalarmult(fws_ge_p3 *p, const uint8_t a[32], const uint8_t b[32],
                                          fws_ed25519_mult_work *w)
{
    const uint8_t(*e)[32];
    int i, d;

    /* table[i] = (2i + 1) p.  2p waits in the last slot, which is read for
     * the last time just before it receives its own entry. */
    fws_ge_cached_from_p3(&w->table[0], p);
    if (FWS_ED25519_A_TABLE > 1) {
        fws_ge_dbl(&w->t, p);
        fws_ge_p3_from_p1p1(p, &w->t, 1);
        fws_ge_cached_from_p3(&w->table[FWS_ED25519_A_TABLE - 1], p); /* 2p */
        for (i = 1; i < FWS_ED25519_A_TABLE; i++) {
            /* p = 2p + p (i = 1), then the previous entry + 2p */
            fws_ge_add(&w->t, p, &w->table[i == 1 ? 0 : FWS_ED25519_A_TABLE - 1], 0, 0);
            fws_ge_p3_from_p1p1(p, &w->t, 1);
            fws_ge_cached_from_p3(&w->table[i], p);
        }
    }

    fws_ed25519_recoder_init(&w->ra, a);
    fws_ed25519_recoder_init(&w->rb, b);
    fws_fe25519_0(p->X); /* the neutral element (0, 1) */
    fws_fe25519_1(p->Y);
    fws_fe25519_1(p->Z);
    for (i = 253; i >= 0; i--) {
        fws_ge_dbl(&w->t, p);
        d = fws_ed25519_digit(&w->ra, i, FWS_ED25519_WINDOW);
        if (d != 0) {
            fws_ge_p3_from_p1p1(p, &w->t, 1);
            fws_ge_add(&w->t, p, &w->table[(d < 0 ? -d : d) / 2], d < 0, 0);
        }
        d = fws_ed25519_digit(&w->rb, i, FWS_ED25519_B_WINDOW);
        if (d != 0) {
            e = fws_ed25519_base[(d < 0 ? -d : d) / 2];
            fws_fe25519_frombytes(w->q.ypx, e[0]);
            fws_fe25519_frombytes(w->q.ymx, e[1]);
            fws_fe25519_frombytes(w->q.T2d, e[2]);
            fws_ge_p3_from_p1p1(p, &w->t, 1);
            fws_ge_add(&w->t, p, &w->q, d < 0, 1);
        }
        fws_ge_p3_from_p1p1(p, &w->t, 0);
    }
}

int fws_ed25519_verify(const uint8_t sig[FWS_ED25519_SIG_LEN], const uint8_t *msg,
                       size_t msg_len, const uint8_t pub[FWS_ED25519_PUB_LEN])
{
    fws_ed25519_work w;
    fws_ge_p3 p;
    uint8_t h[32];

    if (!fws_ed25519_scalar_is_canonical(sig + 32))
        return -1; /* S >= L */
    if (fws_ed25519_has_small_order(sig))
        return -1; /* R of small order */
    if (!fws_ed25519_point_is_canonical(pub) || fws_ed25519_has_small_order(pub))
        return -1;
    if (fws_ge_decode_negate(&p, pub, w.fe) != 0)
        return -1;

    /* h = SHA-512(R || A || M) mod L */
    fws_sha512_init(&w.hash.ctx);
    fws_sha512_update(&w.hash.ctx, sig, 32);
    fws_sha512_update(&w.hash.ctx, pub, 32);
    fws_sha512_update(&w.hash.ctx, msg, msg_len);
    fws_sha512_final(&w.hash.ctx, w.hash.digest);
    fws_ed25519_reduce(h, w.hash.digest);

    /* R' = [h](-A) + [S]B must encode to R exactly. */
    fws_ed25519_double_scalarmult(&p, h, sig + 32, &w.mult);
    fws_ge_encode(h, &p, w.fe);
    return fws_equal(h, sig, 32) ? 0 : -1;
}
