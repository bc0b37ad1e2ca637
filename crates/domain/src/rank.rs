//! Rankings as officials read them: standard competition ranking ("1, 2, 2,
//! 4"), where equal keys share a rank and the next rank skips; and the one
//! order by completion every ranking of zones, departments and leaders uses.

use std::cmp::Ordering;

use crate::Money;

/// Ranks of `sorted` (already in rank order): equal keys share a rank.
pub fn competition_ranks<T, K: PartialEq>(sorted: &[T], key: impl Fn(&T) -> K) -> Vec<usize> {
    let mut ranks: Vec<usize> = Vec::with_capacity(sorted.len());
    for i in 0..sorted.len() {
        let rank = if i > 0 && key(&sorted[i]) == key(&sorted[i - 1]) {
            ranks[i - 1]
        } else {
            i + 1
        };
        ranks.push(rank);
    }
    ranks
}

/// Something ranked by how much of its plan it has done.
pub trait ByCompletion {
    /// Tenths of a percent; none without a plan.
    fn completion_tenths(&self) -> Option<i64>;
    fn ytd(&self) -> Money;
    fn name(&self) -> &str;
    fn set_rank(&mut self, rank: usize);
}

/// Orders by completion rate, best first (without a plan last), then by
/// year-to-date investment, then by name; equal rates share a rank.
pub fn rank_by_completion<T: ByCompletion>(lines: &mut [T]) {
    // None sorts below every rate.
    let key = |l: &T| l.completion_tenths().unwrap_or(i64::MIN);
    lines.sort_by(|a, b| -> Ordering {
        key(b)
            .cmp(&key(a))
            .then(b.ytd().cmp(&a.ytd()))
            .then(a.name().cmp(b.name()))
    });
    let ranks = competition_ranks(lines, key);
    for (line, rank) in lines.iter_mut().zip(ranks) {
        line.set_rank(rank);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Line(&'static str, Option<i64>, i64, usize);

    impl ByCompletion for Line {
        fn completion_tenths(&self) -> Option<i64> {
            self.1
        }
        fn ytd(&self) -> Money {
            Money::from_wan(self.2)
        }
        fn name(&self) -> &str {
            self.0
        }
        fn set_rank(&mut self, rank: usize) {
            self.3 = rank;
        }
    }

    #[test]
    fn equal_keys_share_a_rank_and_the_next_skips() {
        assert_eq!(
            competition_ranks(&[90, 80, 80, 70, 70, 70, 10], |v| *v),
            vec![1, 2, 2, 4, 4, 4, 7]
        );
        assert!(competition_ranks::<i32, i32>(&[], |v| *v).is_empty());
    }

    #[test]
    fn completion_first_then_year_to_date_then_name_and_no_plan_last() {
        let mut lines = vec![
            Line("丙", None, 900, 0),
            Line("乙", Some(500), 100, 0),
            Line("甲", Some(500), 300, 0),
            Line("丁", Some(900), 5, 0),
            Line("戊", Some(0), 0, 0),
        ];
        rank_by_completion(&mut lines);
        let got: Vec<(&str, usize)> = lines.iter().map(|l| (l.0, l.3)).collect();
        assert_eq!(
            got,
            vec![("丁", 1), ("甲", 2), ("乙", 2), ("戊", 4), ("丙", 5)]
        );
    }
}
