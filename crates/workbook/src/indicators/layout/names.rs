//! Which indicator a header names, matched against the catalogue's names.

use super::columns::without_brackets;
use crate::header::{take_months, take_year};
use crate::indicators::IndicatorColumnSpec;

/// Words that say nothing about which indicator a header names.
const GENERIC_WORDS: &[&str] = &[
    "同比",
    "增长",
    "增速",
    "增幅",
    "累计",
    "完成",
    "本月",
    "当月",
    "本年",
    "绝对值",
    "数值",
    "总量",
    "金额",
];

/// Header text as compared with indicator names: no blanks, no bracketed
/// units, 规模以上 as 规上.
fn indicator_key(text: &str) -> String {
    without_brackets(text).replace("规模以上", "规上")
}

/// The indicator a header names. A header containing a name wins (the
/// longest name, so 亩均税收 is not 税收收入); then a name starting with the
/// header ("税收" for 税收收入); then a name containing it. A tie between two
/// indicators is no match.
pub(super) fn match_indicator(text: &str, indicators: &[IndicatorColumnSpec]) -> Option<usize> {
    let header = indicator_key(text);
    let (rest, _) = take_year(&header);
    let (mut core, _) = take_months(&rest);
    for word in GENERIC_WORDS {
        core = core.replace(word, "");
    }
    let core = core.trim_end_matches(['/', ':', '%']).to_string();
    let mut best: Option<((u8, usize), usize)> = None;
    let mut tied = false;
    for (i, spec) in indicators.iter().enumerate() {
        for name in &spec.names {
            let name = indicator_key(name);
            if name.is_empty() {
                continue;
            }
            let core_len = core.chars().count();
            let rank = if header.contains(&name) {
                (3, name.chars().count())
            } else if core_len >= 2 && name.starts_with(&core) {
                (2, core_len)
            } else if core_len >= 2 && name.contains(&core) {
                (1, core_len)
            } else {
                continue;
            };
            match best {
                Some((r, j)) if r == rank && j != i => tied = true,
                Some((r, _)) if r >= rank => {}
                _ => {
                    best = Some((rank, i));
                    tied = false;
                }
            }
        }
    }
    best.filter(|_| !tied).map(|(_, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(code: &str, names: &[&str], unit: &str) -> IndicatorColumnSpec {
        IndicatorColumnSpec {
            code: code.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            unit: unit.into(),
        }
    }

    #[test]
    fn headers_name_indicators() {
        let specs = [
            spec("industrial_investment", &["工业投资"], "yi_yuan"),
            spec("fixed_asset_investment", &["固定资产投资"], "yi_yuan"),
            spec(
                "industrial_value_added",
                &["规上工业增加值", "规模以上工业增加值"],
                "percent",
            ),
            spec("industrial_output", &["规上工业总产值"], "yi_yuan"),
            spec("tax_revenue", &["税收收入"], "wan_yuan"),
            spec("tax_per_mu", &["亩均税收"], "wan_yuan_per_mu"),
            spec("import_export", &["进出口总额"], "yi_yuan"),
        ];
        let cases = [
            ("工业投资（亿元）", Some("industrial_investment")),
            ("工业投资同比增长(%)", Some("industrial_investment")),
            ("规模以上工业增加值增速(%)", Some("industrial_value_added")),
            ("规上工业增加值增速", Some("industrial_value_added")),
            ("规上工业总产值", Some("industrial_output")),
            ("亩均税收(万元/亩)", Some("tax_per_mu")),
            ("税收(万元)", Some("tax_revenue")),
            ("进出口", Some("import_export")),
            ("1-6月固定资产投资", Some("fixed_asset_investment")),
            ("同比增长", None),
            ("累计", None),
            ("开发区", None),
        ];
        for (header, code) in cases {
            let found = match_indicator(header, &specs).map(|i| specs[i].code.as_str());
            assert_eq!(found, code, "{header}");
        }
    }
}
