//! The zh-CN texts of every key this crate returns, in the web catalogue's
//! format, so the edge can merge them into its own catalogue.

/// The catalogue file: one "key = text" a line, `{name}` filled in.
pub const ZH_CN: &str = include_str!("../locales/zh-CN.txt");

/// The zh-CN text of `key`, if this crate defines it.
pub fn zh_cn(key: &str) -> Option<&'static str> {
    ZH_CN
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once(" = "))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, text)| text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys owned by the web catalogue, which this crate reuses.
    const WEB_KEYS: &[&str] = &[
        "error.required",
        "error.too_long",
        "error.control_chars",
        "error.year",
        "error.month",
    ];

    /// Every quoted key in the sources has a text here or in the web catalogue.
    #[test]
    fn every_key_has_a_text() {
        let sources = [
            include_str!("catalogue.rs"),
            include_str!("figure.rs"),
            include_str!("../../calendar/src/period.rs"),
            include_str!("rollup.rs"),
            include_str!("warning.rs"),
        ];
        let prefixes = ["\"error.", "\"warning.", "\"rollup."];
        let mut checked = 0;
        for source in sources {
            for prefix in prefixes {
                for (start, _) in source.match_indices(prefix) {
                    let rest = &source[start + 1..];
                    let key = &rest[..rest.find('"').unwrap()];
                    assert!(
                        WEB_KEYS.contains(&key) || zh_cn(key).is_some(),
                        "no text for {key}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 20);
    }

    #[test]
    fn code_labels_have_texts() {
        use crate::catalogue::{Direction, IndicatorKind, RollUp, Unit};
        use crate::history::Change;
        use crate::warning::WarningRule;
        let labels = Unit::ALL
            .iter()
            .map(|u| u.label_key())
            .chain(IndicatorKind::ALL.iter().map(|k| k.label_key()))
            .chain(RollUp::ALL.iter().map(|r| r.label_key()))
            .chain(Direction::ALL.iter().map(|d| d.label_key()))
            .chain(WarningRule::ALL.iter().map(|r| r.label_key()))
            .chain(Change::ALL.iter().map(|c| c.label_key()));
        for key in labels {
            assert!(zh_cn(&key).is_some(), "no text for {key}");
        }
        assert_eq!(zh_cn("Unit.wan_yuan_per_mu"), Some("万元/亩"));
    }

    #[test]
    fn explanations_fill_in() {
        use crate::catalogue::Direction;
        use crate::warning::{pace_flag, WarningRules};
        let flag = pace_flag(
            &WarningRules::default(),
            Direction::HigherIsBetter,
            390,
            500,
        )
        .unwrap();
        let mut text = zh_cn(flag.reason.key()).unwrap().to_owned();
        for (name, value) in flag.reason.args() {
            text = text.replace(&format!("{{{name}}}"), &value);
        }
        assert_eq!(text, "完成年度目标39.0%，落后序时进度（50.0%）11.0个百分点");
    }
}
