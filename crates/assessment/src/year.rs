//! 年兑现: the year's score of each subject, the sum of its four quarters.

use serde::{Deserialize, Serialize};

use crate::{Score, Subject};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearLine {
    pub subject: Subject,
    /// Hundredths of a point per quarter; none for a quarter not yet begun
    /// or one that did not score the subject (it adds nothing).
    pub quarters: [Option<i64>; 4],
    pub total_hundredths: i64,
    pub rank: usize,
}

/// Sums each subject's quarters (index 0 is Q1) and ranks the year.
pub fn year_totals(quarters: [Option<&[Score]>; 4]) -> Vec<YearLine> {
    let mut lines: Vec<YearLine> = Vec::new();
    for (q, scores) in quarters.iter().enumerate() {
        for s in scores.iter().flat_map(|s| s.iter()) {
            let at = match lines.iter().position(|l| l.subject.id == s.subject.id) {
                Some(at) => at,
                None => {
                    lines.push(YearLine {
                        subject: s.subject.clone(),
                        quarters: [None; 4],
                        total_hundredths: 0,
                        rank: 0,
                    });
                    lines.len() - 1
                }
            };
            lines[at].quarters[q] = Some(s.total_hundredths);
            lines[at].total_hundredths += s.total_hundredths;
        }
    }
    lines.sort_by(|a, b| {
        b.total_hundredths
            .cmp(&a.total_hundredths)
            .then_with(|| a.subject.name.cmp(&b.subject.name))
    });
    let ranks = kfq_domain::rank::competition_ranks(&lines, |l| l.total_hundredths);
    for (line, rank) in lines.iter_mut().zip(ranks) {
        line.rank = rank;
    }
    lines
}
