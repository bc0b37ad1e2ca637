//! Ranking zones on an indicator, across the province or within each city.
//! Ties share a rank and the next rank skips ("1, 2, 2, 4"), as bulletins
//! print them. Zones without a value are listed last, unranked.
//!
//! Rank what the bulletin prints: pass values already rounded to the
//! published precision (tenths for percentages), or two zones shown as
//! "12.3%" would get different ranks.

use serde::Serialize;

use crate::catalogue::Direction;

/// One zone's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked<K, V> {
    pub zone: K,
    pub value: Option<V>,
    /// 1 is best; none without a value.
    pub rank: Option<u32>,
}

/// Ranks `entries` (zone, value) best first. Among equal values the input
/// order is kept.
pub fn rank<K: Clone, V: Ord + Copy>(
    entries: &[(K, Option<V>)],
    direction: Direction,
) -> Vec<Ranked<K, V>> {
    let better = |a: &V, b: &V| match direction {
        Direction::HigherIsBetter => a > b,
        Direction::LowerIsBetter => a < b,
    };
    let mut ranked: Vec<Ranked<K, V>> = entries
        .iter()
        .map(|(zone, value)| {
            let rank = value.map(|v| {
                let ahead = entries
                    .iter()
                    .filter(|(_, other)| other.is_some_and(|o| better(&o, &v)))
                    .count();
                ahead as u32 + 1
            });
            Ranked {
                zone: zone.clone(),
                value: *value,
                rank,
            }
        })
        .collect();
    // Stable sort keeps input order among ties; unranked (u32::MAX) go last.
    ranked.sort_by_key(|r| r.rank.unwrap_or(u32::MAX));
    ranked
}

/// Ranks within each group (e.g. each city): the groups in order of first
/// appearance, each ranked on its own.
pub fn rank_within_groups<K: Clone, G: Clone + PartialEq, V: Ord + Copy>(
    entries: &[(K, G, Option<V>)],
    direction: Direction,
) -> Vec<(G, Vec<Ranked<K, V>>)> {
    let mut groups: Vec<G> = Vec::new();
    for (_, group, _) in entries {
        if !groups.contains(group) {
            groups.push(group.clone());
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let members: Vec<(K, Option<V>)> = entries
                .iter()
                .filter(|(_, g, _)| *g == group)
                .map(|(zone, _, value)| (zone.clone(), *value))
                .collect();
            let ranked = rank(&members, direction);
            (group, ranked)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places<V: Copy>(ranked: &[Ranked<&'static str, V>]) -> Vec<(&'static str, Option<u32>)> {
        ranked.iter().map(|r| (r.zone, r.rank)).collect()
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        // Growth of 工业投资 in tenths of a percent.
        let entries = [
            ("临汾经开区", Some(125)),
            ("侯马经开区", Some(289)),
            ("洪洞经开区", Some(125)),
            ("襄汾经开区", None),
            ("曲沃经开区", Some(-31)),
            ("霍州经开区", Some(125)),
        ];
        let cases = [
            (
                Direction::HigherIsBetter,
                vec![
                    ("侯马经开区", Some(1)),
                    ("临汾经开区", Some(2)),
                    ("洪洞经开区", Some(2)),
                    ("霍州经开区", Some(2)),
                    ("曲沃经开区", Some(5)),
                    ("襄汾经开区", None),
                ],
            ),
            (
                Direction::LowerIsBetter,
                vec![
                    ("曲沃经开区", Some(1)),
                    ("临汾经开区", Some(2)),
                    ("洪洞经开区", Some(2)),
                    ("霍州经开区", Some(2)),
                    ("侯马经开区", Some(5)),
                    ("襄汾经开区", None),
                ],
            ),
        ];
        for (direction, expected) in cases {
            assert_eq!(places(&rank(&entries, direction)), expected, "{direction}");
        }
    }

    #[test]
    fn the_issue_example_and_edges() {
        let r = rank(
            &[
                ("a", Some(9)),
                ("b", Some(7)),
                ("c", Some(7)),
                ("d", Some(5)),
            ],
            Direction::HigherIsBetter,
        );
        assert_eq!(
            places(&r),
            [
                ("a", Some(1)),
                ("b", Some(2)),
                ("c", Some(2)),
                ("d", Some(4))
            ]
        );
        let all_equal = rank(&[("a", Some(0)), ("b", Some(0))], Direction::HigherIsBetter);
        assert_eq!(places(&all_equal), [("a", Some(1)), ("b", Some(1))]);
        let none = rank::<_, i64>(&[("a", None), ("b", None)], Direction::HigherIsBetter);
        assert_eq!(places(&none), [("a", None), ("b", None)]);
        assert!(rank::<&str, i64>(&[], Direction::HigherIsBetter).is_empty());
    }

    #[test]
    fn ranks_within_each_city() {
        let entries = [
            ("临汾经开区", "临汾市", Some(420)),
            ("太原高新区", "太原市", Some(610)),
            ("侯马经开区", "临汾市", Some(515)),
            ("太原经开区", "太原市", Some(610)),
            ("洪洞经开区", "临汾市", None),
        ];
        let grouped = rank_within_groups(&entries, Direction::HigherIsBetter);
        let shown: Vec<_> = grouped.iter().map(|(city, r)| (*city, places(r))).collect();
        assert_eq!(
            shown,
            [
                (
                    "临汾市",
                    vec![
                        ("侯马经开区", Some(1)),
                        ("临汾经开区", Some(2)),
                        ("洪洞经开区", None)
                    ]
                ),
                (
                    "太原市",
                    vec![("太原高新区", Some(1)), ("太原经开区", Some(1))]
                ),
            ]
        );
    }
}
