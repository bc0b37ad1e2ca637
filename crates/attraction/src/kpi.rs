//! The figures a zone's 招商引资 is judged on, from its leads: what was
//! signed this year (count, 签约额, 亿元以上 and by size class, 省外), how the
//! year's signings started (当年开工率), and how every signed lead fares
//! (履约率, 落地率, 开工率, 投产率, 资金到位率); each count or amount held
//! against its yearly target by 序时进度.

use chrono::{Datelike, NaiveDate};
use kfq_domain::investment::{elapsed_tenths, pace_rag};
use kfq_domain::{Money, Rag};
use serde::Serialize;

use crate::{LeadStage, SizeClass};

/// What the figures read of one lead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadFacts {
    pub stage: Option<LeadStage>,
    /// For an ended lead, the stage it left.
    pub left_at: Option<LeadStage>,
    pub signed_on: Option<NaiveDate>,
    pub signed_amount: Option<Money>,
    /// Its investor comes from another province (省外).
    pub out_of_province: bool,
    /// The enterprise is registered (注册落地).
    pub registered: bool,
    pub started_on: Option<NaiveDate>,
    pub produced_on: Option<NaiveDate>,
    /// Money arrived by the day the figures are taken.
    pub funds: Money,
}

/// A share as a count over a count (or yuan over yuan).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub num: i64,
    pub den: i64,
}

impl Ratio {
    /// In tenths of a percent, rounded half up; none over nothing.
    pub fn tenths(self) -> Option<i64> {
        if self.den <= 0 {
            return None;
        }
        let (n, d) = (i128::from(self.num), i128::from(self.den));
        Some(((n * 2000 + d) / (d * 2)) as i64)
    }
}

/// The year's figures of a set of leads, taken on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Kpis {
    /// Signed this year and not ended since.
    pub signed: i64,
    pub signed_amount: Money,
    /// 亿元以上 among them, and by class: 3–10亿, 10–20亿, 20亿以上.
    pub over_one_yi: i64,
    pub from_3_to_10: i64,
    pub from_10_to_20: i64,
    pub over_20: i64,
    /// 省外签约额 of the year.
    pub out_of_province_amount: Money,
    /// Of the year's signings, those started within the year (当年开工).
    pub started_same_year: Ratio,
    /// Every signed lead still on its way (not ended after signing).
    pub fulfilled: Ratio,
    /// Registered (注册落地) of every signed lead.
    pub landed: Ratio,
    pub started: Ratio,
    pub producing: Ratio,
    /// Money arrived over the amount signed, of every signed lead not ended.
    pub funds: Ratio,
}

/// The figures of `leads` for `year` as they stand on `on` (later facts
/// are not yet facts).
pub fn kpis(leads: &[LeadFacts], year: i32, on: NaiveDate) -> Kpis {
    let mut k = Kpis::default();
    let by = |d: Option<NaiveDate>| d.filter(|d| *d <= on);
    let (mut cohort, mut cohort_started) = (0, 0);
    for lead in leads {
        let Some(signed_on) = by(lead.signed_on) else {
            continue;
        };
        let ended = lead.stage == Some(LeadStage::Terminated);
        let amount = lead.signed_amount.unwrap_or(Money::ZERO);
        let started = by(lead.started_on);
        // Every signed lead, whenever signed.
        k.fulfilled.den += 1;
        k.landed.den += 1;
        k.started.den += 1;
        k.producing.den += 1;
        if !ended {
            k.fulfilled.num += 1;
            // An ended signing will bring no more money: it is not owed.
            k.funds.den += amount.yuan();
            k.funds.num += lead.funds.yuan();
        }
        if lead.registered {
            k.landed.num += 1;
        }
        if started.is_some() {
            k.started.num += 1;
        }
        if by(lead.produced_on).is_some() {
            k.producing.num += 1;
        }
        if signed_on.year() != year || ended {
            continue;
        }
        // This year's signings.
        k.signed += 1;
        k.signed_amount = k.signed_amount + amount;
        match SizeClass::of(amount) {
            SizeClass::Under1 => {}
            class => {
                k.over_one_yi += 1;
                match class {
                    SizeClass::From3To10 => k.from_3_to_10 += 1,
                    SizeClass::From10To20 => k.from_10_to_20 += 1,
                    SizeClass::Over20 => k.over_20 += 1,
                    _ => {}
                }
            }
        }
        if lead.out_of_province {
            k.out_of_province_amount = k.out_of_province_amount + amount;
        }
        cohort += 1;
        if started.is_some_and(|d| d.year() == year) {
            cohort_started += 1;
        }
    }
    k.started_same_year = Ratio {
        num: cohort_started,
        den: cohort,
    };
    k
}

/// A figure against its yearly target on a day in `month`: completion in
/// tenths of a percent, and its light by 序时进度 (green at or ahead, yellow
/// up to ten points behind, red beyond).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub completion_tenths: i64,
    pub elapsed_tenths: i64,
    pub rag: Rag,
}

pub fn progress(actual: i64, target: i64, month: u32) -> Option<Progress> {
    let completion = Ratio {
        num: actual,
        den: target,
    }
    .tenths()?;
    let elapsed = elapsed_tenths(month);
    Some(Progress {
        completion_tenths: completion,
        elapsed_tenths: elapsed,
        rag: pace_rag(Some(completion - elapsed))?,
    })
}

/// A rate against its target rate (当年开工率 ≥ 40%): green when reached,
/// yellow up to ten points short, red beyond. Rates are not paced by month.
pub fn rate_light(rate_tenths: i64, target_tenths: i64) -> Rag {
    match rate_tenths - target_tenths {
        g if g < -100 => Rag::Red,
        g if g < 0 => Rag::Yellow,
        _ => Rag::Green,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn yi(n: i64) -> Money {
        Money::from_yuan(n * 100_000_000)
    }

    fn signed(on: &str, amount: Money) -> LeadFacts {
        LeadFacts {
            stage: Some(LeadStage::Signed),
            signed_on: Some(day(on)),
            signed_amount: Some(amount),
            ..LeadFacts::default()
        }
    }

    #[test]
    fn the_year_s_signings_by_size_origin_and_start() {
        let leads = vec![
            // 2026: 25亿 省外, started in 2026.
            LeadFacts {
                out_of_province: true,
                started_on: Some(day("2026-08-01")),
                stage: Some(LeadStage::Started),
                registered: true,
                funds: yi(5),
                ..signed("2026-03-01", yi(25))
            },
            // 2026: 5亿, not started.
            LeadFacts {
                funds: yi(1),
                ..signed("2026-05-01", yi(5))
            },
            // 2026: 5000万, started in 2027 (not yet a fact on the day).
            LeadFacts {
                started_on: Some(day("2027-01-10")),
                ..signed("2026-06-01", Money::from_wan(5000))
            },
            // 2026, then ended: not a signing of the year, not fulfilled.
            LeadFacts {
                stage: Some(LeadStage::Terminated),
                left_at: Some(LeadStage::Signed),
                ..signed("2026-02-01", yi(12))
            },
            // 2025: 15亿 producing; counts in the rates, not the year.
            LeadFacts {
                stage: Some(LeadStage::Producing),
                started_on: Some(day("2025-09-01")),
                produced_on: Some(day("2026-10-01")),
                registered: true,
                funds: yi(15),
                ..signed("2025-06-01", yi(15))
            },
            // Still in talks: nothing.
            LeadFacts {
                stage: Some(LeadStage::Negotiating),
                ..LeadFacts::default()
            },
            // Signed after the day the figures are taken: not yet.
            signed("2026-12-20", yi(3)),
        ];
        let k = kpis(&leads, 2026, day("2026-11-30"));
        assert_eq!(k.signed, 3);
        assert_eq!(k.signed_amount, yi(30) + Money::from_wan(5000));
        assert_eq!(k.over_one_yi, 2);
        assert_eq!((k.from_3_to_10, k.from_10_to_20, k.over_20), (1, 0, 1));
        assert_eq!(k.out_of_province_amount, yi(25));
        // 1 of the year's 3 started within it: 33.3%.
        assert_eq!(k.started_same_year, Ratio { num: 1, den: 3 });
        assert_eq!(k.started_same_year.tenths(), Some(333));
        // Five signed by the day: four on their way, two registered, two
        // started, one producing; of the 45.5亿 still owed, 21亿 arrived.
        assert_eq!(k.fulfilled, Ratio { num: 4, den: 5 });
        assert_eq!(k.landed, Ratio { num: 2, den: 5 });
        assert_eq!(k.started, Ratio { num: 2, den: 5 });
        assert_eq!(k.producing, Ratio { num: 1, den: 5 });
        assert_eq!(k.funds.num, yi(21).yuan());
        assert_eq!(k.funds.den, yi(45).yuan() + Money::from_wan(5000).yuan());
        assert_eq!(k.funds.tenths(), Some(462));
    }

    #[test]
    fn targets_are_judged_by_the_months_gone() {
        // November: 序时 91.7%. 45 of 50 is 90.0%: 1.7 points behind.
        let p = progress(45, 50, 11).unwrap();
        assert_eq!(
            (p.completion_tenths, p.elapsed_tenths, p.rag),
            (900, 917, Rag::Yellow)
        );
        assert_eq!(progress(30, 50, 11).unwrap().rag, Rag::Red);
        assert_eq!(progress(50, 50, 11).unwrap().rag, Rag::Green);
        // June: half the year, half the target is on pace.
        assert_eq!(progress(25, 50, 6).unwrap().rag, Rag::Green);
        assert_eq!(progress(1, 0, 6), None);
        assert_eq!(rate_light(400, 400), Rag::Green);
        assert_eq!(rate_light(333, 400), Rag::Yellow);
        assert_eq!(rate_light(250, 400), Rag::Red);
    }
}
