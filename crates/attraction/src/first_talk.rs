//! 首报首谈: the zone that first reports a large lead after formal talks
//! holds it; other zones of the province see that the investor is taken
//! (which zone, since when, nothing more) and the province counts the
//! project once, in the zone that holds it.

use kfq_domain::{FieldErrors, Money};

use crate::LeadStage;

/// 10亿元: the size from which a lead may be registered as 首谈 unless the
/// province sets another.
pub const DEFAULT_THRESHOLD: Money = Money::from_yuan(1_000_000_000);

/// Whether a lead at `stage` with `investment` may be registered as its
/// zone's 首谈 under the province's `threshold`: formal talks have begun
/// (洽谈 or later), it is not ended, and it is large enough.
pub fn check_first_talk(
    stage: LeadStage,
    investment: Money,
    threshold: Money,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    match stage.rank() {
        None => e.add("stage", "error.first_talk.ended"),
        Some(rank) if rank < LeadStage::Negotiating.rank().unwrap_or(2) => {
            e.add("stage", "error.first_talk.before_talks")
        }
        _ => {}
    }
    if investment < threshold {
        e.add("investment", "error.first_talk.below_threshold");
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStage::*;

    fn yi(n: i64) -> Money {
        Money::from_yuan(n * 100_000_000)
    }

    #[test]
    fn a_first_talk_needs_formal_talks_and_the_threshold() {
        assert!(check_first_talk(Negotiating, yi(10), DEFAULT_THRESHOLD).is_ok());
        assert!(check_first_talk(Started, yi(12), DEFAULT_THRESHOLD).is_ok());
        let early = check_first_talk(Assessing, yi(12), DEFAULT_THRESHOLD).unwrap_err();
        assert_eq!(early.0.len(), 1);
        assert_eq!(early.0[0].field, "stage");
        let small = check_first_talk(Negotiating, yi(10) - Money::from_yuan(1), DEFAULT_THRESHOLD)
            .unwrap_err();
        assert_eq!(small.0[0].field, "investment");
        // A province that sets 5亿 admits a 6亿 lead.
        assert!(check_first_talk(Signed, yi(6), yi(5)).is_ok());
        let both = check_first_talk(Terminated, yi(1), DEFAULT_THRESHOLD).unwrap_err();
        assert_eq!(
            both.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["stage", "investment"]
        );
    }
}
