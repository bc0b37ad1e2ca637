//! The score sheet a unit sets for a year: items with whole-point weights
//! summing to 100, each kind at most once. Parsed at the edge; a [`Sheet`]
//! once held is valid.

use serde::{Deserialize, Serialize};

/// What an item measures, each from the ledger at the quarter's close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 年度计划完成率 against 序时进度.
    PlanCompletion,
    /// 计划新开工项目开工率.
    StartRate,
    /// 计划投产项目投产率.
    ProductionRate,
    /// 困难问题按期办结率.
    BlockerClosure,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::PlanCompletion,
        ItemKind::StartRate,
        ItemKind::ProductionRate,
        ItemKind::BlockerClosure,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemKind::PlanCompletion => "plan_completion",
            ItemKind::StartRate => "start_rate",
            ItemKind::ProductionRate => "production_rate",
            ItemKind::BlockerClosure => "blocker_closure",
        }
    }

    pub fn from_code(code: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::PlanCompletion => "年度计划投资完成率",
            ItemKind::StartRate => "计划新开工项目开工率",
            ItemKind::ProductionRate => "计划投产项目投产率",
            ItemKind::BlockerClosure => "困难问题按期办结率",
        }
    }

    /// How the item is scored, as the sheet editor explains it.
    pub fn rule(self) -> &'static str {
        match self {
            ItemKind::PlanCompletion => {
                "1–N月累计完成投资 ÷ 年度计划投资，与季末序时进度相比：得分 = 分值 × min(完成率 ÷ 序时进度, 1)"
            }
            ItemKind::StartRate => {
                "计划开工日期在本年且不晚于季末的新建项目中，季末前已开工的比例 × 分值"
            }
            ItemKind::ProductionRate => {
                "计划投产日期在本年且不晚于季末的项目中，季末前已投产的比例 × 分值"
            }
            ItemKind::BlockerClosure => {
                "办结时限在本年且不晚于季末的困难问题中，按期办结的比例 × 分值"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetItem {
    pub kind: ItemKind,
    /// Whole points; the items of a sheet sum to 100.
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    items: Vec<SheetItem>,
}

impl Default for Sheet {
    /// 年度计划完成 40, 新开工 20, 投产 20, 问题按期办结 20.
    fn default() -> Self {
        Sheet {
            items: vec![
                SheetItem {
                    kind: ItemKind::PlanCompletion,
                    weight: 40,
                },
                SheetItem {
                    kind: ItemKind::StartRate,
                    weight: 20,
                },
                SheetItem {
                    kind: ItemKind::ProductionRate,
                    weight: 20,
                },
                SheetItem {
                    kind: ItemKind::BlockerClosure,
                    weight: 20,
                },
            ],
        }
    }
}

impl Sheet {
    /// A sheet from its items; the errors are catalogue keys. Items weighted
    /// zero are left out (an item the unit does not assess).
    pub fn parse(items: Vec<SheetItem>) -> Result<Sheet, Vec<&'static str>> {
        let mut errors = Vec::new();
        let items: Vec<SheetItem> = items.into_iter().filter(|i| i.weight > 0).collect();
        if items.iter().any(|i| i.weight > 100) {
            errors.push("error.assessment.weight");
        }
        let mut kinds: Vec<ItemKind> = items.iter().map(|i| i.kind).collect();
        kinds.sort_by_key(|k| k.code());
        kinds.dedup();
        if kinds.len() != items.len() {
            errors.push("error.assessment.duplicate");
        }
        if items.is_empty() {
            errors.push("error.assessment.empty");
        } else if items.iter().map(|i| u64::from(i.weight)).sum::<u64>() != 100 {
            errors.push("error.assessment.weight_sum");
        }
        if errors.is_empty() {
            Ok(Sheet { items })
        } else {
            Err(errors)
        }
    }

    pub fn items(&self) -> &[SheetItem] {
        &self.items
    }

    /// The weight of a kind, zero when the sheet leaves it out.
    pub fn weight(&self, kind: ItemKind) -> u32 {
        self.items
            .iter()
            .find(|i| i.kind == kind)
            .map_or(0, |i| i.weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemKind::*;

    fn item(kind: ItemKind, weight: u32) -> SheetItem {
        SheetItem { kind, weight }
    }

    /// Items, and the count kept or the errors.
    type Case = (Vec<SheetItem>, Result<usize, Vec<&'static str>>);

    #[test]
    fn sheets_are_checked() {
        let cases: Vec<Case> = vec![
            (Sheet::default().items().to_vec(), Ok(4)),
            (vec![item(PlanCompletion, 100)], Ok(1)),
            (
                vec![
                    item(PlanCompletion, 70),
                    item(StartRate, 30),
                    item(BlockerClosure, 0),
                ],
                Ok(2),
            ),
            (
                vec![item(PlanCompletion, 50), item(StartRate, 30)],
                Err(vec!["error.assessment.weight_sum"]),
            ),
            (
                vec![item(PlanCompletion, 50), item(PlanCompletion, 50)],
                Err(vec!["error.assessment.duplicate"]),
            ),
            (
                vec![item(PlanCompletion, 0)],
                Err(vec!["error.assessment.empty"]),
            ),
            (
                vec![item(PlanCompletion, 150), item(StartRate, 50)],
                Err(vec![
                    "error.assessment.weight",
                    "error.assessment.weight_sum",
                ]),
            ),
        ];
        for (items, expected) in cases {
            let got = Sheet::parse(items.clone()).map(|s| s.items().len());
            assert_eq!(got, expected, "{items:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in ItemKind::ALL {
            assert_eq!(ItemKind::from_code(kind.code()), Some(kind));
        }
        let json = serde_json::to_string(&Sheet::default()).unwrap();
        assert!(json.contains("\"plan_completion\""), "{json}");
        assert_eq!(
            serde_json::from_str::<Sheet>(&json).unwrap(),
            Sheet::default()
        );
    }
}
