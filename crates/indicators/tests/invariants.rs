//! Properties that must hold for any numbers: rounding, parsing, ranking,
//! roll-ups and the hold rule.

use kfq_indicators::{
    div_round, effective_levels, rank, roll_up, standard_catalogue, yoy_tenths, Assessment,
    Direction, Figure, Parts, Period, Rag, WarningRule, ZoneInput,
};
use proptest::prelude::*;

fn def(code: &str) -> kfq_indicators::IndicatorDef {
    standard_catalogue()
        .into_iter()
        .find(|d| d.code == code)
        .unwrap()
}

proptest! {
    /// The quotient is the nearest integer, ties away from zero, and rounding
    /// is symmetric in sign.
    #[test]
    fn rounding_is_nearest_half_away(n in -1_000_000_000_000i128..1_000_000_000_000, d in 1i128..1_000_000) {
        let q = div_round(n, d);
        let error = (n - q * d).abs() * 2;
        prop_assert!(error <= d);
        if error == d {
            prop_assert!(q.abs() * d > n.abs());
        }
        prop_assert_eq!(div_round(-n, d), -q);
        prop_assert_eq!(div_round(n, -d), -q);
    }

    /// What a figure prints parses back to itself.
    #[test]
    fn display_round_trips(scaled in -10_000_000_000_000_000i64..10_000_000_000_000_000) {
        let figure = Figure::from_scaled(scaled);
        prop_assert_eq!(Figure::parse(&figure.to_string()), Ok(figure));
    }

    /// Thousands separators and full-width digits do not change a number.
    #[test]
    fn typing_styles_agree(whole in 0u64..1_000_000_000, fraction in 0u32..10_000) {
        let plain = format!("{whole}.{fraction:04}");
        let grouped = group(whole) + &format!(".{fraction:04}");
        let wide: String = plain
            .chars()
            .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap() } else { '．' })
            .collect();
        let expected = Figure::parse(&plain).unwrap();
        prop_assert_eq!(Figure::parse(&grouped), Ok(expected));
        prop_assert_eq!(Figure::parse(&wide), Ok(expected));
        prop_assert_eq!(Figure::parse(&format!("-{grouped}")).unwrap().scaled(), -expected.scaled());
    }

    /// Growth is positive exactly when the figure rose, and never computed
    /// without a positive base.
    #[test]
    fn growth_has_the_sign_of_the_change(current in -1_000_000_000i64..1_000_000_000, base in -1_000_000_000i64..1_000_000_000) {
        let growth = yoy_tenths(Figure::from_scaled(current), Some(Figure::from_scaled(base)));
        if base <= 0 {
            prop_assert_eq!(growth, None);
        } else {
            let growth = growth.unwrap();
            if current >= base { prop_assert!(growth >= 0) } else { prop_assert!(growth <= 0) }
            if current == base { prop_assert_eq!(growth, 0) }
        }
    }

    /// A rank is one more than the number of strictly better values; ties
    /// share it; the output is sorted by rank with the unranked last.
    #[test]
    fn ranks_count_the_better(values in proptest::collection::vec(proptest::option::of(-50i64..50), 0..30), lower in any::<bool>()) {
        let direction = if lower { Direction::LowerIsBetter } else { Direction::HigherIsBetter };
        let entries: Vec<(usize, Option<i64>)> = values.iter().copied().enumerate().collect();
        let ranked = rank(&entries, direction);
        prop_assert_eq!(ranked.len(), entries.len());
        for r in &ranked {
            match r.value {
                None => prop_assert_eq!(r.rank, None),
                Some(v) => {
                    let better = values.iter().flatten().filter(|o| if lower { **o < v } else { **o > v }).count();
                    prop_assert_eq!(r.rank, Some(better as u32 + 1));
                }
            }
        }
        let keys: Vec<u32> = ranked.iter().map(|r| r.rank.unwrap_or(u32::MAX)).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    }

    /// Sums do not depend on order; a ratio of sums lies between the zones'
    /// smallest and largest ratios.
    #[test]
    fn roll_ups_are_orderless_and_bounded(
        zones in proptest::collection::vec((0i64..100_000_000_000, 1i64..10_000_000), 1..20)
    ) {
        let sum_def = def("tax_revenue");
        let ratio_def = def("tax_per_mu");
        let inputs: Vec<ZoneInput<usize>> = zones
            .iter()
            .enumerate()
            .map(|(i, (n, d))| ZoneInput {
                zone: i,
                value: Some(Figure::from_scaled(*n)),
                parts: Some(Parts { numerator: Figure::from_scaled(*n), denominator: Figure::from_scaled(*d) }),
            })
            .collect();
        let mut reversed = inputs.clone();
        reversed.reverse();
        prop_assert_eq!(roll_up(&sum_def, &inputs), roll_up(&sum_def, &reversed));
        let ratio = roll_up(&ratio_def, &inputs).unwrap().scaled();
        prop_assert_eq!(Ok(Figure::from_scaled(ratio)), roll_up(&ratio_def, &reversed));
        let each: Vec<i64> = zones
            .iter()
            .map(|(n, d)| div_round(i128::from(*n) * 10_000, i128::from(*d)) as i64)
            .collect();
        prop_assert!(ratio >= *each.iter().min().unwrap());
        prop_assert!(ratio <= *each.iter().max().unwrap());
    }

    /// The hold rule never makes a month better than its raw level, and a
    /// month is only shown worse than raw when it is shown red.
    #[test]
    fn holding_only_ever_makes_red(levels in proptest::collection::vec((0u8..3, any::<bool>()), 0..24)) {
        let series: Vec<(Period, Assessment)> = levels
            .iter()
            .enumerate()
            .map(|(i, (level, checked))| {
                let period = Period::new(2023 + (i / 12) as i32, (i % 12) as u32 + 1).unwrap();
                (period, pace_assessment(*level, *checked))
            })
            .collect();
        let months = effective_levels(&series);
        prop_assert_eq!(months.len(), series.len());
        let mut held = false;
        for (month, (_, raw)) in months.iter().zip(&series) {
            prop_assert_eq!(month.raw, raw.level);
            if month.level != month.raw {
                prop_assert_eq!(month.level, Rag::Red);
            }
            let pace = raw.rule_level(WarningRule::Pace);
            // Red if red now, or held from before and not shown green now.
            held = pace == Some(Rag::Red) || (held && pace != Some(Rag::Green));
            prop_assert_eq!(month.level == Rag::Red, held || raw.level == Rag::Red);
        }
    }
}

/// A pace-only assessment of a given raw level (0 green, 1 yellow, 2 red),
/// or an unchecked month.
fn pace_assessment(level: u8, checked: bool) -> Assessment {
    use kfq_indicators::{pace_flag, WarningRules};
    if !checked {
        return Assessment {
            level: Rag::Green,
            flags: vec![],
            checked: vec![],
        };
    }
    let completion = [500, 440, 300][usize::from(level)];
    let flags: Vec<_> = pace_flag(
        &WarningRules::default(),
        Direction::HigherIsBetter,
        completion,
        500,
    )
    .into_iter()
    .collect();
    let level = flags.first().map_or(Rag::Green, |f| f.level);
    Assessment {
        level,
        flags,
        checked: vec![WarningRule::Pace],
    }
}

fn group(whole: u64) -> String {
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
