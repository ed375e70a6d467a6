/* Dates and Europe/Amsterdam local time, across both daylight-saving changes. */
#include "test.h"

static poort_day day(const char *s)
{
	poort_day d = 0;
	E(poort_day_parse(s, &d));
	return d;
}

int main(void)
{
	char buf[32];
	poort_day d;
	int minute;

	CHECK(day("1970-01-01") == 0, "epoch");
	CHECK(strcmp(poort_day_format(day("2028-02-29"), buf), "2028-02-29") == 0, "leap day round trip");
	CHECK(poort_day_weekday(day("2026-11-23")) == 1, "2026-11-23 is a Monday");
	CHECK(poort_day_weekday(day("2026-11-22")) == 7, "2026-11-22 is a Sunday");
	EXPECT_ERR(poort_day_parse("2026-02-29", &d), POORT_E_INVALID);
	EXPECT_ERR(poort_day_parse("2026-13-01", &d), POORT_E_INVALID);
	EXPECT_ERR(poort_day_parse("2026-1-01x", &d), POORT_E_INVALID);
	EXPECT_ERR(poort_day_parse("26-01-01", &d), POORT_E_INVALID);
	EXPECT_ERR(poort_day_parse("", &d), POORT_E_INVALID);
	EXPECT_ERR(poort_day_parse(NULL, &d), POORT_E_INVALID);

	/* 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC. */
	CHECK(poort_utc_offset(poort_unix_time(day("2026-01-15"), 600)) == 3600, "winter");
	CHECK(poort_utc_offset(poort_unix_time(day("2026-07-15"), 600)) == 7200, "summer");
	/* 25 Oct 2026 00:59 UTC is 02:59 CEST; 01:00 UTC is 02:00 CET. */
	CHECK(poort_utc_offset(1792889940) == 7200, "last summer second");
	CHECK(poort_utc_offset(1792890000) == 3600, "first winter second");
	poort_local_time(1792890000, &d, &minute);
	CHECK(d == day("2026-10-25") && minute == 120, "02:00 after the change, got %d", minute);
	/* 08:30 local on both sides of the October change. */
	CHECK(poort_unix_time(day("2026-10-23"), 510) == 1792737000, "Friday 08:30 CEST = 06:30 UTC");
	CHECK(poort_unix_time(day("2026-10-26"), 510) == 1792999800, "Monday 08:30 CET = 07:30 UTC");
	CHECK(strcmp(poort_time_format(1792999800, buf), "2026-10-26T08:30:00+01:00") == 0, "%s", buf);
	CHECK(strcmp(poort_time_format(1792737000, buf), "2026-10-23T08:30:00+02:00") == 0, "%s", buf);
	/* The March gap: 02:30 does not exist and is read as 03:30 CEST. */
	CHECK(poort_unix_time(day("2026-03-29"), 150) == poort_unix_time(day("2026-03-29"), 210), "gap");
	return test_done("core_time");
}
