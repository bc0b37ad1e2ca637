//! 三个一批 campaigns: 签约一批, 开工一批, 投产一批 and 集中开工 ceremonies. A
//! campaign puts projects on record with a promise (signed, started or
//! producing); its 回头看 (look-back) asks, at any later date, whether each
//! project kept it and when, what it has invested since, and what still
//! blocks it. Pure: the caller brings the stage history and the months.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::code_enum;
use crate::investment::MonthAmount;
use crate::money::Money;
use crate::project::Stage;

code_enum! {
    /// 签约一批 / 开工一批 / 投产一批 / 集中开工.
    CampaignKind { Signing = "signing", Starting = "starting", Producing = "producing", Ceremony = "ceremony" }
}

impl CampaignKind {
    /// The stage a project in the campaign promises to reach. A 集中开工
    /// ceremony is a start.
    pub fn promised_stage(self) -> Stage {
        match self {
            CampaignKind::Signing => Stage::Signed,
            CampaignKind::Starting | CampaignKind::Ceremony => Stage::Started,
            CampaignKind::Producing => Stage::Producing,
        }
    }
}

/// A stage reached, as recorded (corrections excluded by the caller or flagged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub stage: Stage,
    pub on: NaiveDate,
    pub correction: bool,
}

/// One project in a look-back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Lookback {
    /// When the promised stage (or a later one) was first reached, by `as_of`.
    pub kept_on: Option<NaiveDate>,
    /// Reached by the campaign date already (a project put on record after
    /// the fact).
    pub before_campaign: bool,
    /// Completed investment from the campaign's month through `as_of`'s month.
    pub invested_since: Money,
}

/// Looks back at one project on `as_of`. Corrections do not count as
/// reaching a stage (they put records right, they are not progress).
pub fn look_back(
    promised: Stage,
    held_on: NaiveDate,
    history: &[Reached],
    months: &[MonthAmount],
    as_of: NaiveDate,
) -> Lookback {
    let target = promised.rank().unwrap_or(0);
    let kept_on = history
        .iter()
        .filter(|r| !r.correction && r.on <= as_of)
        .filter(|r| r.stage.rank().is_some_and(|rank| rank >= target))
        .map(|r| r.on)
        .min();
    let from = (held_on.year(), held_on.month());
    let to = (as_of.year(), as_of.month());
    let invested_since = months
        .iter()
        .filter(|m| (m.year, m.month) >= from && (m.year, m.month) <= to)
        .map(|m| m.amount)
        .sum();
    Lookback {
        kept_on,
        before_campaign: kept_on.is_some_and(|d| d < held_on),
        invested_since,
    }
}

/// The share kept, in tenths of a percent (exact, rounded half up).
pub fn kept_share_tenths(kept: usize, total: usize) -> Option<i64> {
    (total > 0).then(|| ((kept as i64) * 2000 + total as i64) / (2 * total as i64))
}

/// How many promises were kept by the end of each month, from the
/// campaign's month through `as_of`'s (the last point is `as_of` itself):
/// the curve a 回头看 draws. Promises kept before the campaign count from its
/// first month.
pub fn kept_by_month(
    held_on: NaiveDate,
    kept_on: &[Option<NaiveDate>],
    as_of: NaiveDate,
) -> Vec<((i32, u32), usize)> {
    let mut out = Vec::new();
    let (mut year, mut month) = (held_on.year(), held_on.month());
    while (year, month) <= (as_of.year(), as_of.month()) {
        let end = if (year, month) == (as_of.year(), as_of.month()) {
            as_of
        } else {
            let (ny, nm) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
            NaiveDate::from_ymd_opt(ny, nm, 1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(as_of)
        };
        let kept = kept_on
            .iter()
            .filter(|k| k.is_some_and(|d| d <= end))
            .count();
        out.push(((year, month), kept));
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn reached(stage: Stage, on: &str) -> Reached {
        Reached {
            stage,
            on: d(on),
            correction: false,
        }
    }

    fn month(year: i32, month: u32, wan: i64) -> MonthAmount {
        MonthAmount {
            year,
            month,
            amount: Money::from_wan(wan),
        }
    }

    #[test]
    fn a_start_promise_is_kept_on_the_first_start_or_later_stage() {
        let history = [
            reached(Stage::Signed, "2024-02-01"),
            reached(Stage::Started, "2024-05-20"),
            reached(Stage::Producing, "2024-11-30"),
        ];
        let months = [
            month(2024, 3, 100),
            month(2024, 4, 200),
            month(2024, 6, 300),
            month(2025, 1, 50),
        ];
        let held = d("2024-04-18");
        let cases = [
            ("2024-05-19", None, 200),
            ("2024-05-20", Some("2024-05-20"), 200),
            ("2024-12-31", Some("2024-05-20"), 500),
            ("2025-01-31", Some("2024-05-20"), 550),
        ];
        for (as_of, kept, wan) in cases {
            let got = look_back(Stage::Started, held, &history, &months, d(as_of));
            assert_eq!(got.kept_on, kept.map(d), "{as_of}");
            assert_eq!(
                got.invested_since,
                Money::from_wan(wan),
                "{as_of}: April onwards"
            );
            assert!(!got.before_campaign);
        }
        // Reaching production also keeps a start promise, even without a start record.
        let jumped = [reached(Stage::Producing, "2024-09-01")];
        let got = look_back(Stage::Started, held, &jumped, &[], d("2024-12-31"));
        assert_eq!(got.kept_on, Some(d("2024-09-01")));
    }

    #[test]
    fn corrections_do_not_keep_promises_and_earlier_stages_are_flagged() {
        let corrected = [Reached {
            stage: Stage::Started,
            on: d("2024-06-01"),
            correction: true,
        }];
        let got = look_back(
            Stage::Started,
            d("2024-04-18"),
            &corrected,
            &[],
            d("2024-12-31"),
        );
        assert_eq!(got.kept_on, None);
        let early = [reached(Stage::Started, "2024-03-01")];
        let got = look_back(
            Stage::Started,
            d("2024-04-18"),
            &early,
            &[],
            d("2024-12-31"),
        );
        assert!(got.before_campaign);
    }

    #[test]
    fn kinds_promise_their_stage_and_shares_round() {
        assert_eq!(CampaignKind::Signing.promised_stage(), Stage::Signed);
        assert_eq!(CampaignKind::Ceremony.promised_stage(), Stage::Started);
        assert_eq!(CampaignKind::Producing.promised_stage(), Stage::Producing);
        assert_eq!(kept_share_tenths(2, 3), Some(667));
        assert_eq!(kept_share_tenths(1, 8), Some(125));
        assert_eq!(kept_share_tenths(0, 0), None);
        assert_eq!(kept_share_tenths(12, 12), Some(1000));
    }

    #[test]
    fn the_kept_curve_runs_month_by_month_to_the_look_back_date() {
        let kept = [
            Some(d("2024-05-20")),
            None,
            Some(d("2024-03-01")),
            Some(d("2024-07-02")),
        ];
        let curve = kept_by_month(d("2024-04-18"), &kept, d("2024-07-01"));
        assert_eq!(
            curve,
            vec![
                ((2024, 4), 1),
                ((2024, 5), 2),
                ((2024, 6), 2),
                ((2024, 7), 2)
            ],
            "the July start comes after the look-back date"
        );
        let across = kept_by_month(d("2024-12-05"), &kept, d("2025-01-31"));
        assert_eq!(across, vec![((2024, 12), 3), ((2025, 1), 3)]);
        assert!(kept_by_month(d("2024-05-01"), &kept, d("2024-04-30")).is_empty());
    }
}
