//! Rolling zone figures up to a city or the province, by the indicator's
//! [`RollUp`] rule. A parent figure is only made from every zone under it:
//! a zone without data makes the roll-up fail and says which zone, rather than
//! printing a total that silently leaves it out. Callers who want a partial
//! total filter the zones themselves and say so on the page.

use serde::{Deserialize, Serialize};

use crate::catalogue::{IndicatorDef, IndicatorKind, RollUp};
use crate::figure::{div_round, Figure, SCALE};
use crate::progress::yoy_tenths;

/// The two parts a weighted roll-up needs from a zone: for a ratio its
/// numerator and denominator (tax in 万元 and land in 亩 for 亩均税收); for a
/// growth rate this year's and last year's same-period bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parts {
    pub numerator: Figure,
    pub denominator: Figure,
}

/// One zone's input to a roll-up: `value` for a sum, `parts` for a weighted
/// roll-up. Either may be missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneInput<K> {
    pub zone: K,
    pub value: Option<Figure>,
    pub parts: Option<Parts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollUpError<K> {
    /// The indicator is not rolled up ([`RollUp::None`]).
    NotRolledUp,
    /// No zones under the parent.
    NoZones,
    /// These zones lack what the rule needs (a value, or both parts).
    Missing(Vec<K>),
    /// The denominators (land, last year's bases) sum to zero or less.
    NoBase,
    /// A sum left the range of a figure.
    Overflow,
}

impl<K> RollUpError<K> {
    /// Catalogue key of the reason, for the page.
    pub fn key(&self) -> &'static str {
        match self {
            RollUpError::NotRolledUp => "rollup.not_rolled_up",
            RollUpError::NoZones => "rollup.no_zones",
            RollUpError::Missing(_) => "rollup.missing",
            RollUpError::NoBase => "rollup.no_base",
            RollUpError::Overflow => "rollup.overflow",
        }
    }
}

/// The parent figure of `zones` on indicator `def`:
///
/// - [`RollUp::Sum`]: Σ value.
/// - [`RollUp::Weighted`], ratio: Σ numerator ÷ Σ denominator, rounded half
///   away from zero to the figure's four decimals. Not the mean of the zones'
///   ratios: a small zone must not weigh as much as a large one.
/// - [`RollUp::Weighted`], growth: 同比 of Σ this year over Σ last year, in %
///   with one decimal, the same rule as a zone's own growth. It equals the
///   zones' growth rates weighted by last year's bases.
/// - [`RollUp::None`]: an error.
pub fn roll_up<K: Clone>(
    def: &IndicatorDef,
    zones: &[ZoneInput<K>],
) -> Result<Figure, RollUpError<K>> {
    if def.roll_up == RollUp::None {
        return Err(RollUpError::NotRolledUp);
    }
    if zones.is_empty() {
        return Err(RollUpError::NoZones);
    }
    if def.roll_up == RollUp::Sum {
        let values = complete(zones, |z| z.value)?;
        return sum(values.into_iter());
    }
    let parts = complete(zones, |z| z.parts)?;
    let numerator = sum(parts.iter().map(|p| p.numerator))?;
    let denominator = sum(parts.iter().map(|p| p.denominator))?;
    if denominator.scaled() <= 0 {
        return Err(RollUpError::NoBase);
    }
    match def.kind {
        IndicatorKind::Growth => yoy_tenths(numerator, Some(denominator))
            .map(Figure::from_tenths)
            .ok_or(RollUpError::NoBase),
        IndicatorKind::Ratio | IndicatorKind::Cumulative => {
            let ratio = div_round(
                i128::from(numerator.scaled()) * i128::from(SCALE),
                i128::from(denominator.scaled()),
            );
            i64::try_from(ratio)
                .map(Figure::from_scaled)
                .map_err(|_| RollUpError::Overflow)
        }
    }
}

/// Every zone's input, or the zones that lack it.
fn complete<K: Clone, T>(
    zones: &[ZoneInput<K>],
    pick: impl Fn(&ZoneInput<K>) -> Option<T>,
) -> Result<Vec<T>, RollUpError<K>> {
    let missing: Vec<K> = zones
        .iter()
        .filter(|z| pick(z).is_none())
        .map(|z| z.zone.clone())
        .collect();
    if missing.is_empty() {
        Ok(zones.iter().filter_map(pick).collect())
    } else {
        Err(RollUpError::Missing(missing))
    }
}

fn sum<K>(mut figures: impl Iterator<Item = Figure>) -> Result<Figure, RollUpError<K>> {
    figures.try_fold(Figure::ZERO, |total, f| {
        total.checked_add(f).ok_or(RollUpError::Overflow)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::standard_catalogue;

    fn def(code: &str) -> IndicatorDef {
        standard_catalogue()
            .into_iter()
            .find(|d| d.code == code)
            .unwrap()
    }

    fn fig(raw: &str) -> Figure {
        Figure::parse(raw).unwrap()
    }

    fn value(zone: &'static str, raw: Option<&str>) -> ZoneInput<&'static str> {
        ZoneInput {
            zone,
            value: raw.map(fig),
            parts: None,
        }
    }

    fn parts(zone: &'static str, numerator: &str, denominator: &str) -> ZoneInput<&'static str> {
        ZoneInput {
            zone,
            value: None,
            parts: Some(Parts {
                numerator: fig(numerator),
                denominator: fig(denominator),
            }),
        }
    }

    #[test]
    fn amounts_sum_exactly() {
        let zones = [
            value("临汾经开区", Some("18.6")),
            value("侯马经开区", Some("7.35")),
            value("洪洞经开区", Some("0.05")),
        ];
        assert_eq!(
            roll_up(&def("industrial_investment"), &zones),
            Ok(fig("26"))
        );
        // 0.0001 亿元 ten thousand times is exactly 1 亿元.
        let many: Vec<_> = (0..10_000).map(|_| value("z", Some("0.0001"))).collect();
        assert_eq!(roll_up(&def("industrial_investment"), &many), Ok(fig("1")));
    }

    #[test]
    fn a_missing_zone_is_named() {
        let zones = [
            value("临汾经开区", Some("18.6")),
            value("侯马经开区", None),
            value("洪洞经开区", None),
        ];
        assert_eq!(
            roll_up(&def("tax_revenue"), &zones),
            Err(RollUpError::Missing(vec!["侯马经开区", "洪洞经开区"]))
        );
        assert_eq!(
            roll_up::<&str>(&def("tax_revenue"), &[]),
            Err(RollUpError::NoZones)
        );
    }

    #[test]
    fn ratios_are_ratios_of_sums() {
        // 亩均税收: 3000 万元 over 200 亩 and 100 万元 over 50 亩 is
        // 3100/250 = 12.4 万元/亩, not the mean of 15 and 2.
        let zones = [parts("大", "3000", "200"), parts("小", "100", "50")];
        assert_eq!(roll_up(&def("tax_per_mu"), &zones), Ok(fig("12.4")));
        // 1000/3 rounds at the fourth decimal.
        let thirds = [parts("a", "1000", "3")];
        assert_eq!(
            roll_up(&def("output_intensity"), &thirds),
            Ok(fig("333.3333"))
        );
        let twothirds = [parts("a", "2000", "3")];
        assert_eq!(
            roll_up(&def("output_intensity"), &twothirds),
            Ok(fig("666.6667"))
        );
        let no_land = [parts("a", "10", "0")];
        assert_eq!(
            roll_up(&def("tax_per_mu"), &no_land),
            Err(RollUpError::NoBase)
        );
    }

    #[test]
    fn growth_rolls_up_only_with_both_bases() {
        // 规上工业增加值: zones grew 10% on 100 and 30% on 300, so the parent
        // grew 25% (= (110 + 390) / 400 − 1), not the plain mean of 20%.
        let zones = [parts("a", "110", "100"), parts("b", "390", "300")];
        assert_eq!(
            roll_up(&def("industrial_value_added"), &zones),
            Ok(Figure::from_tenths(250))
        );
        let falling = [parts("a", "95.5", "100"), parts("b", "3", "3")];
        assert_eq!(
            roll_up(&def("industrial_value_added"), &falling),
            Ok(Figure::from_tenths(-44))
        );
        let without_base = [parts("a", "110", "100"), value("b", Some("8.5"))];
        assert_eq!(
            roll_up(&def("industrial_value_added"), &without_base),
            Err(RollUpError::Missing(vec!["b"]))
        );
        let zero_base = [parts("a", "5", "0")];
        assert_eq!(
            roll_up(&def("industrial_value_added"), &zero_base),
            Err(RollUpError::NoBase)
        );
    }

    #[test]
    fn some_indicators_do_not_roll_up() {
        let not = IndicatorDef {
            roll_up: RollUp::None,
            ..def("industrial_value_added")
        };
        assert_eq!(
            roll_up(&not, &[value("a", Some("8.5"))]),
            Err(RollUpError::NotRolledUp)
        );
        assert_eq!(RollUpError::<()>::NotRolledUp.key(), "rollup.not_rolled_up");
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let huge = ZoneInput {
            zone: "a",
            value: Some(Figure::from_scaled(i64::MAX)),
            parts: None,
        };
        assert_eq!(
            roll_up(&def("tax_revenue"), &[huge.clone(), huge]),
            Err(RollUpError::Overflow)
        );
    }
}
