/* SPDX-License-Identifier: MIT */
/* Reason names of the host's decision, as `fwseal verify --json` reports
 * them: for every check the device makes too, the verifier's own name
 * (fws_status_name(), verifier/status.c), so both tools agree by
 * construction; REASON_IO for a container the host could not read. */
#ifndef FWS_REASON_H
#define FWS_REASON_H

#include "fws_verify.h"

#define REASON(status) fws_status_name(status)
#define REASON_IO "io_error"

#endif
