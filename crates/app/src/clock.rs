//! The one clock: China's days are Beijing's (UTC+8, no daylight saving).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// UTC+8.
pub fn beijing_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// `now` in Beijing time.
pub fn beijing(now: DateTime<Utc>) -> DateTime<FixedOffset> {
    now.with_timezone(&beijing_offset())
}

/// Today in Beijing: the ledger's days are China's days.
pub fn today() -> NaiveDate {
    beijing(Utc::now()).date_naive()
}

/// A Unix time in milliseconds, in Beijing time.
pub fn beijing_time(ms: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::from_timestamp_millis(ms).map(beijing)
}

/// The Beijing day of a Unix time in milliseconds.
pub fn beijing_day(ms: i64) -> Option<NaiveDate> {
    beijing_time(ms).map(|t| t.date_naive())
}

/// A Unix-ms instant as people read it, Beijing time ("2024年7月1日 09:30").
pub fn beijing_time_text(ms: i64) -> String {
    beijing_time(ms)
        .map(|t| {
            t.format(crate::i18n::Catalog::zh().t("common.datetime_format"))
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_utc_evening_is_the_next_day_in_beijing() {
        let utc = DateTime::parse_from_rfc3339("2024-06-30T16:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            beijing(utc).date_naive(),
            NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()
        );
        assert_eq!(
            beijing_day(utc.timestamp_millis()),
            NaiveDate::from_ymd_opt(2024, 7, 1)
        );
        let before = utc - chrono::Duration::minutes(31);
        assert_eq!(
            beijing_day(before.timestamp_millis()),
            NaiveDate::from_ymd_opt(2024, 6, 30)
        );
    }
}
