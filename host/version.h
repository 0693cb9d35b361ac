/* SPDX-License-Identifier: MIT */
/*
 * fwseal's release version: the one place it is defined.  `fwseal
 * --version` and `fwsv --version` print it; the Makefile (make install,
 * make deb), scripts/amalgamate.sh (FWSEAL_VERIFY_VERSION in
 * fwseal_verify.h) and the CMake package read it from this line;
 * debian/changelog and CHANGELOG.md must name it (a test checks).
 */
#ifndef FWS_VERSION_H
#define FWS_VERSION_H

#define FWSEAL_VERSION "1.1.0"

#endif
