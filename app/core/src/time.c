/* time.c - calendar dates and Europe/Amsterdam local time.
 *
 * The EU rule is computed, not read from tzdata: summer time runs from the
 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
 * The box then needs no tzdata, and every process agrees on local time
 * without touching the process-wide TZ.
 */
#include "core.h"

#include <stdio.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static poort_day days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(poort_day z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

int poort_day_weekday(poort_day d)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((d % 7 + 7 + 3) % 7);
	return w + 1;
}

poort_err poort_day_parse(const char *s, poort_day *out)
{
	int y, m, d, n = 0;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-')
		return POORT_E_INVALID;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return POORT_E_INVALID;
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return POORT_E_INVALID;
	*out = days_from_civil(y, m, d);
	return POORT_OK;
}

/* Two digits of v (0..99) at b: the hot path formats many times, and
 * snprintf is most of what that costs. */
static void put2(char *b, int v)
{
	b[0] = (char)('0' + v / 10);
	b[1] = (char)('0' + v % 10);
}

char *poort_day_format(poort_day day, char *buf)
{
	int y, m, d;

	char tmp[48];

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
		memcpy(buf, tmp, 10);
	} else {
		put2(buf, y / 100);
		put2(buf + 2, y % 100);
		buf[4] = '-';
		put2(buf + 5, m);
		buf[7] = '-';
		put2(buf + 8, d);
	}
	buf[10] = 0;
	return buf;
}

/* Unix time of the last Sunday of month m in year y at 01:00 UTC. */
static int64_t last_sunday_0100(int y, int m)
{
	poort_day last = days_from_civil(y, m, days_in_month(y, m));
	last -= poort_day_weekday(last) % 7;   /* Sunday is 7 -> 0 steps back */
	return (int64_t)last * 86400 + 3600;
}

int poort_utc_offset(int64_t t)
{
	int y, m, d;
	poort_day day = (poort_day)((t >= 0 ? t : t - 86399) / 86400);

	civil_from_days(day, &y, &m, &d);
	return t >= last_sunday_0100(y, 3) && t < last_sunday_0100(y, 10) ? 7200 : 3600;
}

void poort_local_time(int64_t t, poort_day *day, int *minute)
{
	int64_t local = t + poort_utc_offset(t);
	int64_t dd = local >= 0 ? local / 86400 : (local - 86399) / 86400;

	*day = (poort_day)dd;
	*minute = (int)((local - dd * 86400) / 60);
}

int64_t poort_unix_time(poort_day day, int minute)
{
	int64_t local = (int64_t)day * 86400 + (int64_t)minute * 60;
	int64_t summer = local - 7200;

	/* In the October overlap the earlier (summer-time) instant wins; in the
	 * March gap the time is read as winter time, i.e. an hour later. */
	if (poort_utc_offset(summer) == 7200)
		return summer;
	return local - 3600;
}

char *poort_time_format(int64_t t, char *buf)
{
	poort_day d;
	int minute, off = poort_utc_offset(t);
	int64_t local = t + off;
	int sec = (int)(((local % 60) + 60) % 60);

	poort_local_time(t, &d, &minute);
	/* "YYYY-MM-DDTHH:MM:SS+HH:00": 25 characters and the terminator */
	poort_day_format(d, buf);
	buf[10] = 'T';
	put2(buf + 11, minute / 60);
	buf[13] = ':';
	put2(buf + 14, minute % 60);
	buf[16] = ':';
	put2(buf + 17, sec);
	buf[19] = '+';
	put2(buf + 20, off / 3600);
	memcpy(buf + 22, ":00", 4);
	return buf;
}
