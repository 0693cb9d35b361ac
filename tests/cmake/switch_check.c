/* SPDX-License-Identifier: MIT */
/* The consumer sees the verifier's switches as the library was built with
 * them (PUBLIC definitions), and the release it comes from. */
#include "fwseal_verify.h"

#ifdef EXPECT_MAX_TRUSTED
#if FWS_CFG_MAX_TRUSTED != EXPECT_MAX_TRUSTED
#error "FWS_CFG_MAX_TRUSTED did not reach the consumer"
#endif
#endif
#ifdef EXPECT_DELEGATION
#if FWS_CFG_DELEGATION != EXPECT_DELEGATION
#error "FWS_CFG_DELEGATION did not reach the consumer"
#endif
#endif

const char *fwseal_consumer_version(void);
const char *fwseal_consumer_version(void)
{
    return FWSEAL_VERIFY_VERSION;
}
