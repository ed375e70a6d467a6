/* scanner.c - a USB QR/barcode scanner is a keyboard that types the card
 * token and Enter within a few milliseconds; a person cannot type that fast.
 * Text that arrives with gaps longer than SCAN_GAP_MS is not a scan. */
#include "kiosk.h"

#include <string.h>

#define SCAN_GAP_MS 60
#define SCAN_MIN_LEN 6

void scanner_clear(scanner *s)
{
	SDL_memset(s->buf, 0, sizeof s->buf);   /* a token is a secret */
	s->len = 0;
	s->slow = false;
	s->first_ms = s->last_ms = 0;
}

void scanner_text(scanner *s, const char *utf8, uint64_t now_ms)
{
	size_t n = strlen(utf8);

	if (s->len && now_ms - s->last_ms > SCAN_GAP_MS)
		s->slow = true;
	if (!s->len)
		s->first_ms = now_ms;
	s->last_ms = now_ms;
	if (s->len + n >= sizeof s->buf) {
		s->slow = true;          /* longer than any token: not a scan */
		return;
	}
	memcpy(s->buf + s->len, utf8, n);
	s->len += n;
	s->buf[s->len] = 0;
}

bool scanner_enter(scanner *s, uint64_t now_ms, char *out, size_t outlen)
{
	bool scan = s->len >= SCAN_MIN_LEN && !s->slow && now_ms - s->last_ms <= SCAN_GAP_MS &&
	            s->len < outlen;

	if (scan)
		memcpy(out, s->buf, s->len + 1);
	scanner_clear(s);
	return scan;
}
