/* Numbers from command lines and environment variables. */
#ifndef FWS_PARSE_H
#define FWS_PARSE_H

/* Parses a decimal (no leading zeros: "010" is refused, not read as
 * octal) or 0x-hex unsigned integer no larger than max.  Returns 0 on
 * success, -1 on a syntax error or overflow. */
int parse_u64(const char *s, unsigned long long max, unsigned long long *out);

#endif
