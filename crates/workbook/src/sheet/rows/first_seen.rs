//! The first row each name or project code was seen on, without a copy of each.

use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::model::ProjectRow;

/// The first project row with each value of one field, among the rows read
/// so far. A copy of every name and code (100,000 of each in a big ledger)
/// cost time and memory: the map is keyed by the value's hash and holds the
/// row's place in `sheet.rows`, whose value is compared to rule out a
/// different value with the same hash; those few are kept by value.
pub(super) struct FirstSeen {
    value: fn(&ProjectRow) -> Option<&String>,
    by_hash: HashMap<u64, u32, foldhash::fast::RandomState>,
    collided: HashMap<String, u32, foldhash::fast::RandomState>,
    hasher: foldhash::fast::RandomState,
}

impl FirstSeen {
    pub(super) fn new(value: fn(&ProjectRow) -> Option<&String>) -> FirstSeen {
        FirstSeen {
            value,
            by_hash: HashMap::default(),
            collided: HashMap::default(),
            hasher: Default::default(),
        }
    }

    /// The 1-based row `value` was first seen on, or `None` when this row,
    /// `row_no`, is its first — the row about to be pushed onto `rows`.
    pub(super) fn first(&mut self, value: &str, rows: &[ProjectRow], row_no: u32) -> Option<u32> {
        let hash = self.hasher.hash_one(value);
        let Some(&at) = self.by_hash.get(&hash) else {
            self.by_hash.insert(hash, rows.len() as u32);
            return None;
        };
        let earlier = &rows[at as usize];
        if (self.value)(earlier).is_some_and(|v| v == value) {
            return Some(earlier.row);
        }
        match self.collided.get(value) {
            Some(&first) => Some(first),
            None => {
                self.collided.insert(value.to_string(), row_no);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(row: u32, name: &str) -> ProjectRow {
        let mut p: ProjectRow = serde_json::from_value(serde_json::json!({
            "sheet": "s", "row": row, "section": null, "values": {},
            "raw": [], "inferred": [], "errors": [], "warnings": []
        }))
        .unwrap();
        p.values.name = Some(name.to_string());
        p
    }

    #[test]
    fn a_value_with_the_hash_of_another_is_told_apart() {
        let mut seen = FirstSeen::new(|p| p.values.name.as_ref());
        let mut rows = Vec::new();
        assert_eq!(seen.first("甲", &rows, 2), None);
        rows.push(row(2, "甲"));
        // "乙" is given "甲"'s hash, as a collision would.
        let hash = seen.hasher.hash_one("乙");
        seen.by_hash.remove(&hash);
        let taken = *seen.by_hash.values().next().unwrap();
        seen.by_hash.insert(hash, taken);
        assert_eq!(seen.first("乙", &rows, 3), None);
        rows.push(row(3, "乙"));
        assert_eq!(seen.first("乙", &rows, 4), Some(3));
        assert_eq!(seen.first("甲", &rows, 5), Some(2));
    }
}
