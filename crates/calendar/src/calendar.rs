//! The working-day calendar: which days are worked, why, and counting and stepping
//! in working days.
//!
//! A day is a working day when it is Monday to Friday, unless the calendar holds an
//! entry for it: a holiday day off (放假) or a make-up working day (调休上班), taken
//! from the State Council notices or from an administrator's override. Counting is
//! arithmetic over whole weeks corrected by the entries in range, so it costs the
//! same for a week as for a century and cannot be made slow by a large input.

use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::data;

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// Monday to Friday with nothing special: worked.
    Workday,
    /// Saturday or Sunday with nothing special: off.
    Weekend,
    /// A day off of a public holiday (or one an administrator declared): off.
    Holiday { name: String },
    /// A Saturday or Sunday worked to make up for a holiday (调休上班): worked.
    MakeupWorkday { name: String },
}

impl DayKind {
    /// Whether this kind of day is worked.
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeupWorkday { .. })
    }
}

/// An administrator's edit of one day, e.g. a provincial extra day off or a zone's
/// decision to work a weekend. Overrides win over the built-in data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub date: NaiveDate,
    /// `true`: the day is worked; `false`: the day is off.
    pub working: bool,
    /// Shown as the day's name when the override makes the day differ from its
    /// Monday–Friday pattern.
    pub note: String,
}

/// A day that departs from, or is labelled beyond, the plain Monday–Friday rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    working: bool,
    name: String,
}

/// A working-day calendar: plain data, `Clone + Send + Sync`, shareable between
/// requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// Keyed by day number (`NaiveDate::num_days_from_ce`), so that counting can
    /// work on plain integers.
    entries: BTreeMap<i64, Entry>,
    /// Years whose official arrangement is loaded, with the notice it comes from.
    covered: BTreeMap<i32, &'static str>,
}

/// Day number of a date; 0001-01-01, a Monday, is day 1.
fn day_no(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn date_of(n: i64) -> Option<NaiveDate> {
    i32::try_from(n)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// Monday to Friday. Day numbers are Monday-based: n mod 7 is 1 for Monday … 0 for
/// Sunday.
fn is_weekday_no(n: i64) -> bool {
    (1..=5).contains(&n.rem_euclid(7))
}

/// Number of Mondays–Fridays among day numbers 1..=n (negative for n < 0, so that
/// differences count any range correctly).
fn weekdays_through(n: i64) -> i64 {
    5 * n.div_euclid(7) + n.rem_euclid(7).min(5)
}

fn first_day_no() -> i64 {
    day_no(NaiveDate::MIN)
}

fn last_day_no() -> i64 {
    day_no(NaiveDate::MAX)
}

impl Calendar {
    /// Monday to Friday only, no holidays: the rule for years without data.
    pub fn weekends_only() -> Calendar {
        Calendar {
            entries: BTreeMap::new(),
            covered: BTreeMap::new(),
        }
    }

    /// The mainland China calendar from the State Council notices for 2023–2026.
    /// Other years fall back to weekends only; see [`Calendar::covers`].
    pub fn china() -> Calendar {
        let mut cal = Calendar::weekends_only();
        for year in data::CHINA {
            cal.covered.insert(year.year, year.notice);
            for fest in year.festivals {
                let (first, last) = fest.off;
                for n in day_no(first)..=day_no(last) {
                    cal.entries.insert(
                        n,
                        Entry {
                            working: false,
                            name: fest.name.to_string(),
                        },
                    );
                }
                for &m in fest.makeup {
                    cal.entries.insert(
                        day_no(m),
                        Entry {
                            working: true,
                            name: fest.name.to_string(),
                        },
                    );
                }
            }
        }
        cal
    }

    /// Applies administrator edits, in order (a later edit of the same date wins).
    ///
    /// An edit that makes the day differ from its Monday–Friday pattern (a weekday
    /// off, a weekend day worked) records the note as the day's name. An edit that
    /// agrees with the pattern restores it (a cancelled holiday becomes a plain
    /// `Workday`, a cancelled make-up day a plain `Weekend`), except that a day
    /// already in that state keeps its label (marking a holiday Saturday "off"
    /// leaves it the festival's day).
    pub fn with_overrides(mut self, overrides: &[Override]) -> Calendar {
        for o in overrides {
            let n = day_no(o.date);
            if o.working != is_weekday_no(n) {
                self.entries.insert(
                    n,
                    Entry {
                        working: o.working,
                        name: o.note.clone(),
                    },
                );
            } else if self.entries.get(&n).is_some_and(|e| e.working != o.working) {
                self.entries.remove(&n);
            }
        }
        self
    }

    /// What kind of day `d` is.
    pub fn day_kind(&self, d: NaiveDate) -> DayKind {
        let n = day_no(d);
        match self.entries.get(&n) {
            Some(e) if !e.working => DayKind::Holiday {
                name: e.name.clone(),
            },
            Some(e) if !is_weekday_no(n) => DayKind::MakeupWorkday {
                name: e.name.clone(),
            },
            _ if is_weekday_no(n) => DayKind::Workday,
            _ => DayKind::Weekend,
        }
    }

    /// Whether `d` is worked.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.is_working_no(day_no(d))
    }

    fn is_working_no(&self, n: i64) -> bool {
        match self.entries.get(&n) {
            Some(e) => e.working,
            None => is_weekday_no(n),
        }
    }

    /// Whether the official holiday arrangement of `year` is loaded. For a year not
    /// covered every Monday–Friday counts as worked, which overstates working days
    /// around the festivals.
    pub fn covers(&self, year: i32) -> bool {
        self.covered.contains_key(&year)
    }

    /// The notice `year`'s data comes from, for display next to the holiday list.
    pub fn notice(&self, year: i32) -> Option<&'static str> {
        self.covered.get(&year).copied()
    }

    /// Working days in the day-number range (a, b], for a <= b.
    fn count_no(&self, a: i64, b: i64) -> i64 {
        let adjust: i64 = self
            .entries
            .range((Excluded(a), Included(b)))
            .map(|(&n, e)| i64::from(e.working) - i64::from(is_weekday_no(n)))
            .sum();
        weekdays_through(b) - weekdays_through(a) + adjust
    }

    /// Working days after `from` up to and including `to`; negative when
    /// `to < from`, 0 when equal. "摘牌 on D1, 施工许可 on D2: took N working days"
    /// is `working_days_between(D1, D2)`: the day of the first event is not counted,
    /// the day of the second is.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b) = (day_no(from), day_no(to));
        if a <= b {
            self.count_no(a, b)
        } else {
            -self.count_no(b, a)
        }
    }

    /// The `n`-th working day after `d` (`n > 0`) or before `d` (`n < 0`); `d`
    /// itself is never counted, whether worked or not, and for `n != 0` the result is
    /// always a working day. `n == 0` returns `d` unchanged.
    ///
    /// So Saturday + 1 is Monday, and Friday − 1 is Thursday.
    /// `working_days_between(d, add_working_days(d, n)) == n` holds for every
    /// `n >= 0`, and for `n < 0` when `d` is a working day.
    ///
    /// Saturates at chrono's date limits (hundreds of thousands of years away); use
    /// [`Calendar::checked_add_working_days`] to detect that.
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        self.checked_add_working_days(d, n).unwrap_or(if n > 0 {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        })
    }

    /// As [`Calendar::add_working_days`], `None` when the result is not a
    /// representable date.
    pub fn checked_add_working_days(&self, d: NaiveDate, n: i64) -> Option<NaiveDate> {
        let start = day_no(d);
        let steps = i128::from(n).abs();
        if steps == 0 {
            return Some(d);
        }
        // Every 7 days hold 5 weekdays, of which at most one per entry is taken
        // away: this span certainly holds `steps` working days, bounding the search.
        let holes = i128::try_from(self.entries.len()).ok()?;
        let span = 7 * ((steps + holes) / 5 + 2);
        let span = i64::try_from(span).unwrap_or(i64::MAX);
        if n > 0 {
            // Smallest x > start with count(start, x] >= steps; count grows by one
            // exactly at each working day, so x is the steps-th working day.
            let mut lo = start + 1;
            let mut hi = start.saturating_add(span).min(last_day_no());
            if lo > hi || i128::from(self.count_no(start, hi)) < steps {
                return None;
            }
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if i128::from(self.count_no(start, mid)) >= steps {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            date_of(lo)
        } else {
            // Largest x < start with count[x, start) = count(x-1, start-1] >= steps.
            let mut lo = start.saturating_sub(span).max(first_day_no());
            let mut hi = start - 1;
            if lo > hi || i128::from(self.count_no(lo - 1, start - 1)) < steps {
                return None;
            }
            while lo < hi {
                let mid = hi - (hi - lo) / 2;
                if i128::from(self.count_no(mid - 1, start - 1)) >= steps {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            date_of(lo)
        }
    }

    /// `d` if it is worked, else the last working day before it: the day by which
    /// something due on `d` must really be done.
    ///
    /// Saturates at chrono's earliest date, like [`Calendar::add_working_days`].
    pub fn previous_working_day_or_same(&self, d: NaiveDate) -> NaiveDate {
        self.checked_previous_working_day_or_same(d)
            .unwrap_or(NaiveDate::MIN)
    }

    pub(crate) fn checked_previous_working_day_or_same(&self, d: NaiveDate) -> Option<NaiveDate> {
        if self.is_working_day(d) {
            Some(d)
        } else {
            self.checked_add_working_days(d, -1)
        }
    }

    /// The days of `year` that are holidays or make-up working days, in date order:
    /// the list an administration page shows and edits. A festival block spanning
    /// New Year contributes to both years (2023's 元旦 begins on 2022-12-31).
    pub fn holidays(&self, year: i32) -> Vec<(NaiveDate, DayKind)> {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Vec::new();
        };
        self.entries
            .range(day_no(first)..=day_no(last))
            .filter_map(|(&n, _)| {
                let date = date_of(n)?;
                let kind = self.day_kind(date);
                matches!(
                    kind,
                    DayKind::Holiday { .. } | DayKind::MakeupWorkday { .. }
                )
                .then_some((date, kind))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn day_numbers_follow_chrono_weekdays() {
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 1).unwrap();
        for _ in 0..800 {
            let n = day_no(d);
            let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(is_weekday_no(n), weekday, "{d}");
            d = d.succ_opt().unwrap();
        }
        for n in [first_day_no(), -1000, -1, 0, 1, 7, 1000, last_day_no()] {
            assert_eq!(date_of(n).map(day_no), Some(n));
        }
    }

    #[test]
    fn weekday_formula_matches_a_plain_count() {
        for a in -30i64..30 {
            for b in a..a + 40 {
                let plain = (a + 1..=b).filter(|&n| is_weekday_no(n)).count() as i64;
                assert_eq!(
                    weekdays_through(b) - weekdays_through(a),
                    plain,
                    "({a}, {b}]"
                );
            }
        }
    }

    #[test]
    fn extreme_steps_do_not_panic() {
        let cal = Calendar::china();
        let d = NaiveDate::from_ymd_opt(2024, 6, 3).unwrap();
        assert_eq!(cal.checked_add_working_days(d, i64::MAX), None);
        assert_eq!(cal.checked_add_working_days(d, i64::MIN), None);
        assert_eq!(cal.add_working_days(d, i64::MAX), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(d, i64::MIN), NaiveDate::MIN);
        assert!(cal.checked_add_working_days(NaiveDate::MAX, 1).is_none());
        assert!(cal.checked_add_working_days(NaiveDate::MIN, -1).is_none());
        // Largest ranges count without overflow.
        let all = cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(all > 0);
        assert_eq!(
            cal.working_days_between(NaiveDate::MAX, NaiveDate::MIN),
            -all
        );
    }
}
