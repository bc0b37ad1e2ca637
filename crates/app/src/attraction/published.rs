//! What a zone's bulletin publishes of its 招商引资 — 签约额, 签约项目, 省外
//! 签约额, 到位资金, 省外到位资金, 当年开工率 — next to what kfq holds on the
//! day the bulletin speaks of: the pipeline's figure for a reported one, the
//! target set from above for a target (力争…). A figure the pipeline cannot
//! back is the clerk's to reconcile before the bulletin goes upward; a plan
//! is never compared with the facts.

use chrono::{DateTime, Datelike, NaiveDate};
use kfq_attraction::kpi::kpis;
use kfq_calendar::Period;
use kfq_domain::{Money, OrgKind, Principal};
use kfq_extract::{Fact, FactKind, Modality, Reading, Unit};
use kfq_store::{Bulletin, OrgFilter, Store};
use serde::Serialize;

use crate::error::Result;

/// One published figure and kfq's.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedFigure {
    pub zone_id: i64,
    pub zone_name: String,
    /// signed_amount, signed, out_of_province_amount, funds,
    /// out_of_province_funds or start_rate.
    pub figure: &'static str,
    /// reported, expected or target.
    pub modality: &'static str,
    pub as_written: String,
    pub quote: String,
    /// The day the figure speaks of (the article's, else the bulletin's).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub as_of: NaiveDate,
    /// Yuan, a count, or tenths of a percent.
    pub published: i64,
    /// The same figure in kfq: the pipeline's year to `as_of` for a reported
    /// figure, the target set from above for a target; none when kfq holds
    /// nothing to set beside it (an expectation, a target never set).
    pub kfq: Option<i64>,
    /// The two differ beyond the precision the bulletin writes.
    pub differs: bool,
}

/// Which 招商 figure a fact states, if any. `lead` is the text just before
/// the fact's trigger ("其中省外" before "签约额8.6亿元").
fn figure_of(fact: &Fact, quote: &str, lead: &str) -> Option<&'static str> {
    let q = fact.value.quantity()?;
    let said = format!("{} {lead}{quote}", fact.label.as_deref().unwrap_or(""));
    let outside = kfq_attraction::wording::says_out_of_province(&said);
    match (fact.kind, q.unit) {
        (FactKind::SignedAmount, Unit::Yuan) if outside => Some("out_of_province_amount"),
        (FactKind::SignedAmount, Unit::Yuan) => Some("signed_amount"),
        (FactKind::ProjectCount, Unit::Count) if kfq_attraction::wording::says_signing(&said) => {
            Some("signed")
        }
        (FactKind::FundsArrived, Unit::Yuan) if outside => Some("out_of_province_funds"),
        (FactKind::FundsArrived, Unit::Yuan) => Some("funds"),
        (FactKind::OutOfProvinceFunds, Unit::Yuan) => Some("out_of_province_funds"),
        (FactKind::StartRate, Unit::Percent) => Some("start_rate"),
        _ => None,
    }
}

/// The published value in kfq's units: yuan, a count, tenths of a percent.
fn value_of(fact: &Fact, figure: &str) -> Option<i64> {
    let q = fact.value.quantity()?;
    let n = if figure == "start_rate" {
        let tenths = q.amount.mul_pow10(1)?;
        let (m, scale) = (tenths.mantissa(), tenths.scale());
        // Rounded half up to a tenth.
        let div = 10i128.pow(scale);
        (m + div / 2) / div
    } else {
        q.amount.to_integer()?
    };
    i64::try_from(n).ok()
}

/// Whether `kfq` reads as `published` at the precision it is written with:
/// 15.2亿元 (1,520,000,000) is 15.2亿 to a tenth of 亿, so 1,523,456,789
/// agrees and 1,580,000,000 does not. Counts and rates compare exactly.
pub fn agrees(published: i64, kfq: i64, figure: &str) -> bool {
    if matches!(figure, "signed" | "start_rate") || published == 0 {
        return published == kfq;
    }
    let mut step = 1i64;
    while published % (step * 10) == 0 && step < 100_000_000 {
        step *= 10;
    }
    let rounded = (kfq + step / 2).div_euclid(step) * step;
    rounded == published
}

fn modality(m: Modality) -> &'static str {
    match m {
        Modality::Reported => "reported",
        Modality::Expected => "expected",
        Modality::Target => "target",
    }
}

/// The day a fact speaks of: its article's date when whole, else the day
/// the bulletin was filed.
fn as_of(reading: &Reading, fact: &Fact, bulletin: &Bulletin) -> NaiveDate {
    let filed = DateTime::from_timestamp_millis(bulletin.created_at)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    fact.article
        .and_then(|a| reading.articles.get(a))
        .and_then(|a| a.date.as_ref())
        .and_then(|d| {
            NaiveDate::from_ymd_opt(d.year?, u32::from(d.month?), u32::from(d.day.unwrap_or(1)))
        })
        .unwrap_or(filed)
}

/// The bulletin's 招商 figures with kfq's beside each, for the zones the
/// caller sees.
pub async fn compare_published(
    store: &Store,
    principal: &Principal,
    bulletin: &Bulletin,
    reading: &Reading,
) -> Result<Vec<PublishedFigure>> {
    let zones = store
        .orgs(
            &principal.org_visibility(),
            &OrgFilter {
                kind: Some(OrgKind::Zone),
                ..Default::default()
            },
            0,
            10_000,
        )
        .await?
        .items;
    let sight = principal.lead_sight();
    let mut out = Vec::new();
    for fact in &reading.facts {
        let quote = fact.span.slice(&bulletin.body).to_owned();
        let lead: String = bulletin
            .body
            .chars()
            .skip(fact.span.start.saturating_sub(4))
            .take(fact.span.start.min(4))
            .collect();
        let Some(figure) = figure_of(fact, &quote, &lead) else {
            continue;
        };
        let Some(published) = value_of(fact, figure) else {
            continue;
        };
        let zone = match &fact.zone {
            Some(name) => zones.iter().find(|z| &z.name == name),
            None => zones.iter().find(|z| z.id == bulletin.zone_id),
        };
        let Some(zone) = zone else {
            continue;
        };
        let on = as_of(reading, fact, bulletin);
        let path = zone.org_path();
        let kfq = match fact.modality {
            Modality::Expected => None,
            Modality::Target => {
                let t = store.attraction_targets(zone.id, on.year()).await?;
                match figure {
                    "signed_amount" => t.signed_amount.map(Money::yuan),
                    "out_of_province_amount" => t.out_of_province_amount.map(Money::yuan),
                    "signed" => t.signed,
                    "start_rate" => t.start_rate_tenths,
                    _ => None,
                }
            }
            Modality::Reported => match figure {
                "funds" | "out_of_province_funds" => {
                    let (all, outside) = store.funds_year_to(&sight, &path, Period::of(on)).await?;
                    Some(if figure == "funds" { all } else { outside }.yuan())
                }
                _ => {
                    let facts = store.signed_lead_facts(&sight, &path, on, false).await?;
                    let all: Vec<_> = facts.into_iter().map(|f| f.facts).collect();
                    let k = kpis(&all, on.year(), on);
                    match figure {
                        "signed_amount" => Some(k.signed_amount.yuan()),
                        "out_of_province_amount" => Some(k.out_of_province_amount.yuan()),
                        "signed" => Some(k.signed),
                        "start_rate" => k.started_same_year.tenths(),
                        _ => None,
                    }
                }
            },
        };
        out.push(PublishedFigure {
            zone_id: zone.id,
            zone_name: zone.name.clone(),
            figure,
            modality: modality(fact.modality),
            as_written: fact
                .value
                .quantity()
                .map(|q| q.as_written.clone())
                .unwrap_or_default(),
            quote,
            as_of: on,
            published,
            differs: kfq.is_some_and(|k| !agrees(published, k, figure)),
            kfq,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::agrees;

    #[test]
    fn a_figure_agrees_at_the_precision_it_is_written_with() {
        // 15.2亿元 is written to a tenth of 亿.
        assert!(agrees(1_520_000_000, 1_523_456_789, "signed_amount"));
        assert!(agrees(1_520_000_000, 1_515_000_000, "signed_amount"));
        assert!(!agrees(1_520_000_000, 1_514_999_999, "signed_amount"));
        assert!(!agrees(1_520_000_000, 1_580_000_000, "signed_amount"));
        // 50亿元 to the 亿 (the step stops at 亿).
        assert!(agrees(5_000_000_000, 4_960_000_000, "signed_amount"));
        assert!(!agrees(5_000_000_000, 4_900_000_000, "signed_amount"));
        // 3562万元 to the 万.
        assert!(agrees(35_620_000, 35_624_999, "funds"));
        assert!(!agrees(35_620_000, 35_640_000, "funds"));
        // Counts and rates exactly; nothing published is nothing held.
        assert!(agrees(12, 12, "signed") && !agrees(12, 11, "signed"));
        assert!(!agrees(417, 416, "start_rate"));
        assert!(agrees(0, 0, "funds") && !agrees(0, 10_000, "funds"));
    }
}
