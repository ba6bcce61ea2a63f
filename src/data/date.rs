//! Calendar dates (proleptic Gregorian, UTC): reading an article's date, showing a Unix time as
//! an ISO date, and the day, ISO week or month a date falls in. Std only.

use std::fmt;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month, 1–31.
    pub day: u8,
}

/// A stretch of time that dates are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A calendar day, written `2025-03-09`.
    Day,
    /// ISO 8601 week (Monday to Sunday), written `2025-W07`.
    Week,
    /// A calendar month, written `2025-03`.
    Month,
}

impl Date {
    /// A date if `year-month-day` exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && (1..=9999).contains(&year) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// Reads the date at the start of an ISO 8601 date or date-time (`2025-03-09`,
    /// `2025-03-09T14:00:00Z`, `2025-03-09 14:00`); the time, if any, is ignored. `None` when
    /// the text does not start with a valid `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let head = s.get(..10)?;
        let rest = s.get(10..)?;
        if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
            return None;
        }
        let b = head.as_bytes();
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = head.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
    }

    /// The UTC date of a Unix time (seconds since 1970-01-01T00:00:00Z).
    pub fn from_unix(secs: u64) -> Date {
        let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
        civil_from_days(days)
    }

    /// Days since 1970-01-01.
    fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Day of the week, Monday = 1 … Sunday = 7.
    fn weekday(self) -> i64 {
        // 1970-01-01 was a Thursday (4).
        (self.days() + 3).rem_euclid(7) + 1
    }

    /// The ISO 8601 week-numbering year and week of this date.
    pub fn iso_week(self) -> (i32, u32) {
        // The week's Thursday decides its year.
        let thursday = civil_from_days(self.days() - self.weekday() + 4);
        let jan1 = Date {
            year: thursday.year,
            month: 1,
            day: 1,
        };
        let week = (thursday.days() - jan1.days()) / 7 + 1;
        (thursday.year, u32::try_from(week).unwrap_or(0))
    }

    /// The name of the period this date falls in: `2025-03-09`, `2025-W10` or `2025-03`. The
    /// names sort in time order.
    pub fn period(self, p: Period) -> String {
        match p {
            Period::Day => self.to_string(),
            Period::Week => {
                let (y, w) = self.iso_week();
                format!("{y:04}-W{w:02}")
            }
            Period::Month => format!("{:04}-{:02}", self.year, self.month),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's civil_from_days: the date `z` days after 1970-01-01.
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_date_times_and_refuses_the_rest() {
        assert_eq!(Date::parse("2025-03-09"), Date::new(2025, 3, 9));
        assert_eq!(Date::parse(" 2025-03-09T14:00:00Z"), Date::new(2025, 3, 9));
        assert_eq!(Date::parse("2024-02-29 08:00"), Date::new(2024, 2, 29));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-3-9",
            "09/03/2025",
            "",
            "2025-03-09x",
            "20é5-03-09",
            "ayer",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_times_are_utc_dates() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_767_225_600).to_string(), "2026-01-01");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
        assert!(Date::from_unix(u64::MAX).year > 0);
    }

    #[test]
    fn iso_weeks_and_periods() {
        let d = |s: &str| Date::parse(s).unwrap();
        // 2021-01-03 (Sunday) belongs to the last ISO week of 2020; 2024-12-30 to week 1 of 2025.
        assert_eq!(d("2021-01-03").iso_week(), (2020, 53));
        assert_eq!(d("2021-01-04").iso_week(), (2021, 1));
        assert_eq!(d("2024-12-30").iso_week(), (2025, 1));
        assert_eq!(d("2025-03-09").period(Period::Week), "2025-W10");
        assert_eq!(d("2025-03-09").period(Period::Month), "2025-03");
        assert_eq!(d("2025-03-09").period(Period::Day), "2025-03-09");
        for days in -1000..3000 {
            let date = civil_from_days(days);
            assert_eq!(date.days(), days);
        }
    }
}
