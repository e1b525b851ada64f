//! Instants for the `Date…` condition operators: the ISO 8601 forms AWS
//! documents (`2026-12-01`, `2026-12-01T12:00Z`, `2026-12-01T12:00:00Z`,
//! with fractional seconds or a `+hh:mm`/`-hh:mm` offset) and epoch seconds
//! (`aws:EpochTime`; IAM User Guide, "Condition operators", "Date condition
//! operators": "…W3C implementations of the ISO 8601 date formats… or in
//! epoch (UNIX) time").

/// Milliseconds since 1970-01-01T00:00:00Z; `None` for anything else.
pub fn instant(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().ok()?.checked_mul(1000);
    }
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut fields = date.splitn(3, '-');
    let year: i64 = number(fields.next()?, 4)?;
    let month: i64 = number(fields.next()?, 2)?;
    let day: i64 = number(fields.next()?, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    if let Some(time) = time {
        millis += time_of_day(time)?;
    }
    Some(millis)
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ` (UTC); `DPOL_TODAY=YYYY-MM-DD`
/// fixes it at the start of that day (tests).
pub fn now() -> String {
    if let Ok(fixed) = std::env::var("DPOL_TODAY") {
        return format!("{fixed}T00:00:00Z");
    }
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    format_instant(millis)
}

/// `2026-12-01T12:00:00Z`: the instant `millis` (since 1970) in UTC, to the
/// second.
pub fn format_instant(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The date of a day number since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `hh:mm[:ss[.fff]]` and a zone (`Z` or `±hh:mm`) as milliseconds to add
/// to midnight UTC of the date.
fn time_of_day(time: &str) -> Option<i64> {
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone[1..].split_once(':')?;
        let minutes = number(h, 2)? * 60 + number(m, 2)?;
        (clock, sign * minutes * 60_000)
    } else {
        return None;
    };
    let mut parts = clock.splitn(3, ':');
    let hours = number(parts.next()?, 2)?;
    let minutes = number(parts.next()?, 2)?;
    let seconds_ms = match parts.next() {
        None => 0,
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            let mut ms = number(whole, 2)? * 1000;
            if !fraction.is_empty() {
                if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let digits: String = fraction.chars().chain("000".chars()).take(3).collect();
                ms += digits.parse::<i64>().ok()?;
            }
            ms
        }
    };
    if hours > 23 || minutes > 59 || seconds_ms >= 61_000 {
        return None;
    }
    Some((hours * 60 + minutes) * 60_000 + seconds_ms - offset)
}

/// A field of exactly `width` digits.
fn number(text: &str, width: usize) -> Option<i64> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The days of `month` (1–12) in `year` (proleptic Gregorian).
pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::instant;

    #[test]
    fn reads_the_documented_forms() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(instant("1970-01-02"), Some(86_400_000));
        assert_eq!(instant("2026-12-01T00:00:00Z"), Some(1_796_083_200_000));
        assert_eq!(instant("1796083200"), Some(1_796_083_200_000));
        assert_eq!(
            instant("2026-12-01T01:00:00+01:00"),
            instant("2026-12-01T00:00:00Z")
        );
        assert_eq!(
            instant("2026-12-01T00:00Z"),
            instant("2026-12-01T00:00:00.000Z")
        );
        assert_eq!(
            instant("2026-12-01T00:00:00.5Z"),
            instant("2026-12-01T00:00:00Z").map(|t| t + 500)
        );
        assert_eq!(instant("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        assert_eq!(instant("2023-02-29"), None);
        assert_eq!(instant("2026-13-01"), None);
        assert_eq!(instant("yesterday"), None);
        assert_eq!(instant("2026-12-01T00:00:00"), None);
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_454), (2026, 1, 1));
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2026-12-01T12:34:56Z",
            "1969-12-31T00:00:00Z",
        ] {
            assert_eq!(
                instant(text).map(super::format_instant).as_deref(),
                Some(text)
            );
        }
    }
}
