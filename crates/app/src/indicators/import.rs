//! The indicator import as the command line runs it: a statistics table
//! (zones × indicators) read against the catalogue and the zones it may
//! report for, into each zone's figures for the table's month. The month is
//! the one chosen, else the one the table names (its title, a 截至 text, the
//! sheet's name or the "1-N月" of its headers); where it came from is kept
//! in the sheet (`period_basis`), and without one nothing can be recorded.

use kfq_indicators::Figure;
use kfq_store::{FigureInput, OrgUnit};
use kfq_workbook::indicators::{
    read_indicator_sheet_with, IndicatorColumnSpec, IndicatorOptions, IndicatorSheet, ZoneSpec,
};
use kfq_workbook::ReadError;

pub use kfq_indicators::Period;

use super::board::Indicator;
use crate::i18n::Catalog;

/// A table read against the catalogue and the zones.
#[derive(Debug)]
pub struct Reading {
    pub sheet: IndicatorSheet,
    /// The month the figures are recorded for.
    pub period: Option<Period>,
    /// Per zone, the figures to record.
    pub zones: Vec<(OrgUnit, Vec<FigureInput>)>,
    /// Problems: the table's, and figures kfq cannot take.
    pub issues: Vec<String>,
}

/// The catalogue as the reader matches headers against it. (The reader
/// folds 规模以上 into 规上 itself.)
pub fn specs(indicators: &[Indicator]) -> Vec<IndicatorColumnSpec> {
    indicators
        .iter()
        .map(|i| IndicatorColumnSpec {
            code: i.row.code.clone(),
            names: vec![i.row.name.clone()],
            unit: i.row.unit.clone(),
        })
        .collect()
}

/// Reads the table `name` (its bytes) for `zones`; `period`, when given,
/// is the month chosen over the table's own.
pub fn read(
    catalog: &Catalog,
    indicators: &[Indicator],
    zones: &[OrgUnit],
    name: &str,
    bytes: &[u8],
    period: Option<Period>,
) -> Result<Reading, ReadError> {
    let zone_specs: Vec<ZoneSpec> = zones
        .iter()
        .map(|z| ZoneSpec {
            id: z.id,
            name: z.name.clone(),
        })
        .collect();
    let options = IndicatorOptions {
        period: period.map(|p| (p.year(), p.month())),
    };
    let sheet = read_indicator_sheet_with(bytes, name, &specs(indicators), &zone_specs, &options)?;
    let period = sheet.period.and_then(|(y, m)| Period::new(y, m).ok());
    let mut issues: Vec<String> = sheet.issues.iter().map(|i| i.message.clone()).collect();
    let mut by_zone: Vec<(OrgUnit, Vec<FigureInput>)> = Vec::new();
    for row in &sheet.rows {
        let Some(zone) = row.zone_id.and_then(|id| zones.iter().find(|z| z.id == id)) else {
            continue;
        };
        let Some(period) = period else { continue };
        let mut figures = Vec::new();
        for f in &row.figures {
            let Some(ind) = indicators.iter().find(|i| i.row.code == f.code) else {
                continue;
            };
            match Figure::parse_in(&f.value, ind.def.unit) {
                Ok(value) => figures.push(FigureInput {
                    indicator_id: ind.row.id,
                    year: period.year(),
                    month: period.month(),
                    value: value.scaled(),
                    parts: None,
                }),
                Err(_) => issues.push(catalog.format(
                    "indicator.import_issue.out_of_range",
                    &[
                        ("sheet", &sheet.sheet),
                        ("row", &row.row.to_string()),
                        ("column", &f.column),
                        ("indicator", &ind.row.name),
                        ("value", &f.value),
                    ],
                )),
            }
        }
        match by_zone.iter_mut().find(|(z, _)| z.id == zone.id) {
            Some(_) => issues.push(catalog.format(
                "indicator.import_issue.duplicate_zone",
                &[
                    ("sheet", &sheet.sheet),
                    ("row", &row.row.to_string()),
                    ("zone", &zone.name),
                ],
            )),
            None => by_zone.push((zone.clone(), figures)),
        }
    }
    Ok(Reading {
        sheet,
        period,
        zones: by_zone,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kfq_domain::OrgKind;
    use kfq_store::IndicatorRow;

    fn indicator(id: i64, code: &str, name: &str, unit: &str, kind: &str) -> Indicator {
        super::super::board::indicator_of(IndicatorRow {
            id,
            code: code.into(),
            name: name.into(),
            unit: unit.into(),
            kind: kind.into(),
            roll_up: if kind == "growth" { "weighted" } else { "sum" }.into(),
            direction: "higher_is_better".into(),
            sort: id,
            standard: 1,
        })
        .expect("a known indicator")
    }

    fn zone(id: i64, name: &str) -> OrgUnit {
        OrgUnit {
            id,
            parent_id: Some(9),
            kind: OrgKind::Zone,
            name: name.into(),
            code: None,
            path: format!("/1/9/{id}/"),
            zone_id: Some(id),
            zone_level: None,
            zone_type: None,
            version: 1,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_table_becomes_each_zones_figures_for_its_month() {
        let indicators = [
            indicator(
                1,
                "industrial_investment",
                "工业投资",
                "yi_yuan",
                "cumulative",
            ),
            indicator(
                2,
                "industrial_value_added",
                "规上工业增加值",
                "percent",
                "growth",
            ),
            indicator(3, "tax_revenue", "税收收入", "wan_yuan", "cumulative"),
        ];
        let zones = [
            zone(10, "大同经济技术开发区"),
            zone(11, "广灵经济技术开发区"),
        ];
        let table = "2024年全省开发区主要经济指标\n\
                     （截至6月底）,,,,单位：亿元\n\
                     开发区,工业投资年度目标,1-6月工业投资,规模以上工业增加值增速(%),税收收入\n\
                     大同经开区,30,12.5,8.2,0.345\n\
                     广灵经开区,10,3.2,-1.5,待核实\n\
                     大同经开区,1,1,1,1\n";
        let catalog = Catalog::zh();
        let read = |period| {
            read(
                catalog,
                &indicators,
                &zones,
                "6月.csv",
                table.as_bytes(),
                period,
            )
            .unwrap()
        };
        let r = read(None);
        assert_eq!(r.period, Period::new(2024, 6).ok());
        assert_eq!(
            r.sheet.period_basis.as_deref(),
            Some("据“（截至6月底）”，年份据标题“2024年全省开发区主要经济指标”")
        );
        type Figures = Vec<(i64, i32, u32, String)>;
        let got: Vec<(i64, Figures)> = r
            .zones
            .iter()
            .map(|(z, f)| {
                let f = f
                    .iter()
                    .map(|f| {
                        let shown = Figure::from_scaled(f.value).to_string();
                        (f.indicator_id, f.year, f.month, shown)
                    })
                    .collect();
                (z.id, f)
            })
            .collect();
        let fig = |id, v: &str| (id, 2024, 6, v.to_string());
        assert_eq!(
            got,
            [
                (10, vec![fig(1, "12.5"), fig(2, "8.2"), fig(3, "3450")]),
                (11, vec![fig(1, "3.2"), fig(2, "-1.5")]),
            ]
        );
        assert_eq!(
            r.issues,
            [
                "6月.csv 第5行 E列：税收收入“待核实”不是数字，未读取",
                "6月.csv 第6行：大同经济技术开发区在表中出现两次，只读取第一次",
            ]
        );
        let r = read(Period::new(2024, 5).ok());
        assert_eq!(r.period, Period::new(2024, 5).ok());
        assert!(r.zones[0].1.iter().all(|f| (f.year, f.month) == (2024, 5)));
        assert_eq!(
            r.issues[0],
            "6月.csv：所选年月为2024年5月，表格为2024年6月（据“（截至6月底）”，年份据标题“2024年全省开发区主要经济指标”），按所选年月读取"
        );
    }
}
