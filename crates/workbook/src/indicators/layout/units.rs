//! The units a sheet writes figures in, which convert into each other, and those a text names.

use crate::text::compact;

/// A unit a sheet writes figures in; only units of the same dimension
/// convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceUnit {
    Yuan,
    Wan,
    Yi,
    Usd,
    WanUsd,
    YiUsd,
    YuanPerMu,
    WanPerMu,
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dimension {
    Yuan,
    Usd,
    YuanPerMu,
    Percent,
}

/// Unit words in header and note texts (folded), longest first so that
/// "万元/亩" is not read as "万元".
pub(super) const UNIT_WORDS: &[(&str, SourceUnit)] = &[
    ("万元/亩", SourceUnit::WanPerMu),
    ("元/亩", SourceUnit::YuanPerMu),
    ("亿美元", SourceUnit::YiUsd),
    ("万美元", SourceUnit::WanUsd),
    ("美元", SourceUnit::Usd),
    ("亿元", SourceUnit::Yi),
    ("万元", SourceUnit::Wan),
    ("(亿)", SourceUnit::Yi),
    ("(万)", SourceUnit::Wan),
    ("百分点", SourceUnit::Percent),
    ("%", SourceUnit::Percent),
    ("元", SourceUnit::Yuan),
];

impl SourceUnit {
    /// The unit codes of kfq's indicator catalogue.
    pub(crate) fn from_code(code: &str) -> Option<SourceUnit> {
        match code.trim() {
            "yi_yuan" => Some(SourceUnit::Yi),
            "wan_yuan" => Some(SourceUnit::Wan),
            "yuan" => Some(SourceUnit::Yuan),
            "wan_usd" => Some(SourceUnit::WanUsd),
            "yi_usd" => Some(SourceUnit::YiUsd),
            "usd" => Some(SourceUnit::Usd),
            "percent" => Some(SourceUnit::Percent),
            "wan_yuan_per_mu" => Some(SourceUnit::WanPerMu),
            "yuan_per_mu" => Some(SourceUnit::YuanPerMu),
            _ => None,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            SourceUnit::Yuan => "yuan",
            SourceUnit::Wan => "wan_yuan",
            SourceUnit::Yi => "yi_yuan",
            SourceUnit::Usd => "usd",
            SourceUnit::WanUsd => "wan_usd",
            SourceUnit::YiUsd => "yi_usd",
            SourceUnit::YuanPerMu => "yuan_per_mu",
            SourceUnit::WanPerMu => "wan_yuan_per_mu",
            SourceUnit::Percent => "percent",
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            SourceUnit::Yuan => "元",
            SourceUnit::Wan => "万元",
            SourceUnit::Yi => "亿元",
            SourceUnit::Usd => "美元",
            SourceUnit::WanUsd => "万美元",
            SourceUnit::YiUsd => "亿美元",
            SourceUnit::YuanPerMu => "元/亩",
            SourceUnit::WanPerMu => "万元/亩",
            SourceUnit::Percent => "%",
        }
    }

    /// Powers of ten of the dimension's base unit in one of this unit.
    pub(crate) fn exponent(self) -> i32 {
        match self {
            SourceUnit::Wan | SourceUnit::WanUsd | SourceUnit::WanPerMu => 4,
            SourceUnit::Yi | SourceUnit::YiUsd => 8,
            _ => 0,
        }
    }

    pub(super) fn dimension(self) -> Dimension {
        match self {
            SourceUnit::Yuan | SourceUnit::Wan | SourceUnit::Yi => Dimension::Yuan,
            SourceUnit::Usd | SourceUnit::WanUsd | SourceUnit::YiUsd => Dimension::Usd,
            SourceUnit::YuanPerMu | SourceUnit::WanPerMu => Dimension::YuanPerMu,
            SourceUnit::Percent => Dimension::Percent,
        }
    }
}

/// Every unit named in a text, in order of appearance.
pub(super) fn units_in(text: &str) -> Vec<SourceUnit> {
    let t = compact(text);
    let mut units = Vec::new();
    let mut rest = t.as_str();
    while let Some(c) = rest.chars().next() {
        match UNIT_WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            Some((word, unit)) => {
                units.push(*unit);
                rest = &rest[word.len()..];
            }
            None => rest = &rest[c.len_utf8()..],
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_headers_and_notes() {
        use SourceUnit::*;
        let cases: &[(&str, &[SourceUnit])] = &[
            ("单位：亿元、%", &[Yi, Percent]),
            ("工业投资（亿元）", &[Yi]),
            ("产出强度(万元/亩)", &[WanPerMu]),
            ("实际利用外资（万美元）", &[WanUsd]),
            ("同比增长％", &[Percent]),
            ("税收收入(万)", &[Wan]),
            ("单位：万元、万美元、万元/亩", &[Wan, WanUsd, WanPerMu]),
            ("开发区", &[]),
        ];
        for (text, units) in cases {
            assert_eq!(units_in(text), *units, "{text}");
        }
    }
}
