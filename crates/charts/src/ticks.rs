//! Axis arithmetic: nice round value ticks (1, 2 or 5 × 10^n), when an axis
//! should reach down (or up) to zero, and how many month labels to skip so
//! they do not overlap. Everything here works on the callers' exact
//! integers; coordinates are the renderers' business.

/// Inputs are clamped to this magnitude so the step arithmetic, done in
/// `i128`, always yields ticks that fit back into `i64`.
const LIMIT: i64 = i64::MAX / 4;

/// Evenly spaced ticks that cover a value range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ticks {
    /// Ascending, first <= the data minimum, last >= the data maximum, at
    /// least two.
    pub values: Vec<i64>,
    pub step: i64,
}

impl Ticks {
    pub fn first(&self) -> i64 {
        self.values[0]
    }

    pub fn last(&self) -> i64 {
        self.values[self.values.len() - 1]
    }

    /// Where `v` sits between the first (0.0) and the last tick (1.0).
    pub fn fraction(&self, v: i64) -> f64 {
        let span = (self.last() as f64 - self.first() as f64).max(1.0);
        (v as f64 - self.first() as f64) / span
    }
}

/// Ticks covering `lo..=hi` with about `target` intervals and a step of 1, 2
/// or 5 × 10^n, never finer than `min_step` (a power of ten). A constant
/// range is widened to include zero, so a lone value still gets an axis.
pub(crate) fn nice_ticks(lo: i64, hi: i64, target: usize, min_step: i64) -> Ticks {
    let (mut lo, mut hi) = (lo.clamp(-LIMIT, LIMIT), hi.clamp(-LIMIT, LIMIT));
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    let min_step = i128::from(min_step.max(1));
    let (lo, hi) = (i128::from(lo), i128::from(hi));
    let (lo, hi) = match (lo == hi, lo.signum()) {
        (false, _) => (lo, hi),
        (true, 0) => (0, min_step),
        (true, 1) => (0, hi),
        (true, _) => (lo, 0),
    };
    let target = target.max(1) as i128;
    let need = ((hi - lo + target - 1) / target).max(min_step);
    let step = nice_step(need);
    let first = lo.div_euclid(step) * step;
    let last = -((-hi).div_euclid(step)) * step;
    let values = (0..=(last - first) / step)
        .map(|i| (first + i * step) as i64)
        .collect();
    Ticks {
        values,
        step: step as i64,
    }
}

/// The smallest 1, 2 or 5 × 10^n that is at least `need` (>= 1).
fn nice_step(need: i128) -> i128 {
    let mut magnitude = 1i128;
    loop {
        for m in [1, 2, 5] {
            if m * magnitude >= need {
                return m * magnitude;
            }
        }
        magnitude *= 10;
    }
}

/// The range an axis should span for data in `lo..=hi`: stretched to zero
/// when zero is no farther from the data than the data's own spread, so
/// growth from a small base reads honestly while a series hovering around
/// 950 is not squashed into a flat line at the top.
pub(crate) fn with_zero(lo: i64, hi: i64) -> (i64, i64) {
    let spread = i128::from(hi) - i128::from(lo);
    if lo > 0 && i128::from(lo) <= spread {
        (0, hi)
    } else if hi < 0 && -i128::from(hi) <= spread {
        (lo, 0)
    } else {
        (lo, hi)
    }
}

/// Label every how many months: the smallest of 1, 2, 3, 4, 6, 12 (then
/// multiples of 12) that leaves room for a label of `label_width` in
/// `every × slot_width`. Divisors of twelve keep labelled months at the same
/// place in every year.
pub(crate) fn label_every(slot_width: f64, label_width: f64) -> usize {
    const STEPS: [usize; 6] = [1, 2, 3, 4, 6, 12];
    let fits = |k: usize| k as f64 * slot_width >= label_width;
    if let Some(k) = STEPS.into_iter().find(|&k| fits(k)) {
        return k;
    }
    (2..).map(|m| 12 * m).find(|&k| fits(k)).unwrap_or(12)
}

/// Whether label `i` of `n` is shown when labelling every `every`: counted
/// back from the latest month, which a bulletin is about and must always
/// be labelled.
pub(crate) fn is_labelled(i: usize, n: usize, every: usize) -> bool {
    i < n && (n - 1 - i) % every.max(1) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let cases: [(i64, i64, usize, i64, &[i64]); 9] = [
            (0, 87, 5, 1, &[0, 20, 40, 60, 80, 100]),
            // Tenths: -3.5..12.1 gives -5, 0, 5, 10, 15.
            (-35, 121, 5, 1, &[-50, 0, 50, 100, 150]),
            (0, 100, 5, 1, &[0, 20, 40, 60, 80, 100]),
            (0, 3, 5, 1, &[0, 1, 2, 3]),
            (0, 3, 5, 10, &[0, 10]),
            (0, 0, 5, 1, &[0, 1]),
            (42, 42, 5, 1, &[0, 10, 20, 30, 40, 50]),
            (-7, -7, 5, 1, &[-8, -6, -4, -2, 0]),
            (950, 1000, 5, 1, &[950, 960, 970, 980, 990, 1000]),
        ];
        for (lo, hi, target, min_step, want) in cases {
            let t = nice_ticks(lo, hi, target, min_step);
            assert_eq!(t.values, want, "{lo}..{hi} target {target} min {min_step}");
        }
    }

    #[test]
    fn zero_is_included_when_sensible() {
        let cases = [
            ((0, 87), (0, 87)),
            ((40, 87), (0, 87)),
            ((60, 87), (60, 87)),
            ((-35, 121), (-35, 121)),
            ((-90, -50), (-90, -50)),
            ((-90, -30), (-90, 0)),
            ((5, 5), (5, 5)),
        ];
        for ((lo, hi), want) in cases {
            assert_eq!(with_zero(lo, hi), want, "{lo}..{hi}");
        }
    }

    #[test]
    fn month_labels_are_thinned_to_fit() {
        // Slot width, label width, every.
        let cases = [
            (60.0, 50.0, 1),
            (30.0, 50.0, 2),
            (18.0, 50.0, 3),
            (13.0, 50.0, 4),
            (9.0, 50.0, 6),
            (5.0, 50.0, 12),
            (2.0, 50.0, 36),
        ];
        for (slot, label, want) in cases {
            assert_eq!(label_every(slot, label), want, "slot {slot}");
        }
    }

    #[test]
    fn the_latest_month_is_always_labelled() {
        let shown: Vec<usize> = (0..24).filter(|&i| is_labelled(i, 24, 6)).collect();
        assert_eq!(shown, [5, 11, 17, 23]);
        let shown: Vec<usize> = (0..5).filter(|&i| is_labelled(i, 5, 1)).collect();
        assert_eq!(shown, [0, 1, 2, 3, 4]);
        assert!(!is_labelled(7, 5, 1));
    }

    proptest! {
        #[test]
        fn ticks_always_cover_the_data(
            a in -1_000_000_000_000i64..1_000_000_000_000,
            b in -1_000_000_000_000i64..1_000_000_000_000,
            target in 1usize..12,
            min_exp in 0u32..4,
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            let t = nice_ticks(lo, hi, target, 10i64.pow(min_exp));
            prop_assert!(t.values.len() >= 2);
            prop_assert!(t.first() <= lo && t.last() >= hi);
            prop_assert!(t.values.windows(2).all(|w| w[1] - w[0] == t.step));
            prop_assert!(t.values.iter().all(|v| v % t.step == 0));
            prop_assert!(t.values.len() <= target + 3);
        }
    }
}
