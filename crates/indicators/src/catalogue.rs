//! The indicator catalogue: what each monitored indicator is — code, name,
//! unit, kind, how zone figures roll up to a city or the province, and which
//! direction is better. The catalogue is data, so an administrator can add an
//! indicator; [`standard_catalogue`] is the province's standard set, and
//! [`IndicatorDef::parse`] is the one way a new definition gets in.

use std::collections::HashSet;

use kfq_domain::validation::{required_text, FieldErrors};
use serde::{Deserialize, Serialize};

use kfq_domain::code_enum;

code_enum! {
    /// The unit a figure is reported in.
    Unit {
        WanYuan = "wan_yuan",          // 万元
        YiYuan = "yi_yuan",            // 亿元
        WanUsd = "wan_usd",            // 万美元
        Percent = "percent",           // %
        WanYuanPerMu = "wan_yuan_per_mu", // 万元/亩
    }
}

impl Unit {
    /// The symbol printed after a figure.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::WanYuan => "万元",
            Unit::YiYuan => "亿元",
            Unit::WanUsd => "万美元",
            Unit::Percent => "%",
            Unit::WanYuanPerMu => "万元/亩",
        }
    }

    /// Decimals in reports: growth rates have one, amounts two.
    pub fn decimals(self) -> u32 {
        match self {
            Unit::Percent => 1,
            _ => 2,
        }
    }
}

code_enum! {
    /// What a reported figure is.
    IndicatorKind {
        /// An amount accumulated from January: 1–N月累计. Has an annual target
        /// amount, is paced against 序时进度 and has a 同比 from last year's
        /// same months.
        Cumulative = "cumulative",
        /// A growth rate in %, as statistics publish it (规上工业增加值 is only
        /// ever published this way, at comparable prices). Its target is a
        /// growth rate; progress is the gap in points.
        Growth = "growth",
        /// numerator / denominator, e.g. 亩均税收 = tax ÷ land. The numerators
        /// of the standard ratios are 1–N月累计, so a ratio is paced against
        /// 序时进度 like a cumulative amount.
        Ratio = "ratio",
    }
}

impl IndicatorKind {
    /// Whether target completion is compared with 序时进度.
    pub fn is_paced(self) -> bool {
        matches!(self, IndicatorKind::Cumulative | IndicatorKind::Ratio)
    }
}

code_enum! {
    /// How the figures of zones make the figure of a city or the province.
    RollUp {
        /// The parent figure is the sum of the zones' (cumulative amounts).
        Sum = "sum",
        /// The parent figure is Σ numerator ÷ Σ denominator. For a ratio the
        /// parts are the ratio's own (tax and land for 亩均税收). For a growth
        /// rate the parts are this year's and last year's same-period bases,
        /// so the parent growth is Σ this year ÷ Σ last year − 1: exact, and
        /// only possible when every zone has both bases.
        Weighted = "weighted",
        /// Not rolled up: a growth rate without bases, or a figure that has
        /// no meaning above a zone.
        None = "none",
    }
}

code_enum! {
    /// Which way is better, for ranking and for warnings.
    Direction {
        HigherIsBetter = "higher_is_better",
        /// E.g. energy use per unit of output: being ahead of pace is lagging.
        LowerIsBetter = "lower_is_better",
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorDef {
    /// Stable identifier, e.g. `industrial_investment`; see [`parse_code`].
    pub code: String,
    /// Display name, e.g. 工业投资.
    pub name: String,
    pub unit: Unit,
    pub kind: IndicatorKind,
    pub roll_up: RollUp,
    pub direction: Direction,
}

/// A definition as an administrator's form submits it: every field a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct IndicatorDraft {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub roll_up: String,
    /// Blank means higher is better.
    #[serde(default)]
    pub direction: String,
}

const NAME_MAX_CHARS: usize = 40;

impl IndicatorDef {
    /// Turns a form into a definition, or says what is wrong with each field.
    /// `existing` are the codes already in the catalogue.
    pub fn parse(draft: &IndicatorDraft, existing: &[&str]) -> Result<IndicatorDef, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = errors.check("code", parse_code(&draft.code));
        if let Some(code) = &code {
            if existing.contains(&code.as_str()) {
                errors.add("code", "error.indicator.code.taken");
            }
        }
        let name = errors.check("name", required_text(&draft.name, NAME_MAX_CHARS));
        let choose = |raw: &str| raw.trim().to_owned();
        let unit = errors.check(
            "unit",
            Unit::from_code(&choose(&draft.unit)).ok_or("error.indicator.unit"),
        );
        let kind = errors.check(
            "kind",
            IndicatorKind::from_code(&choose(&draft.kind)).ok_or("error.indicator.kind"),
        );
        let roll_up = errors.check(
            "roll_up",
            RollUp::from_code(&choose(&draft.roll_up)).ok_or("error.indicator.roll_up"),
        );
        let direction = match choose(&draft.direction).as_str() {
            "" => Some(Direction::HigherIsBetter),
            code => errors.check(
                "direction",
                Direction::from_code(code).ok_or("error.indicator.direction"),
            ),
        };
        match (code, name, unit, kind, roll_up, direction) {
            (Some(code), Some(name), Some(unit), Some(kind), Some(roll_up), Some(direction))
                if errors.is_empty() =>
            {
                let def = IndicatorDef {
                    code,
                    name,
                    unit,
                    kind,
                    roll_up,
                    direction,
                };
                def.check().map(|()| def)
            }
            _ => Err(errors),
        }
    }

    /// Checks a definition read back from storage: the same rules as [`parse`](Self::parse).
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if parse_code(&self.code).as_deref() != Ok(self.code.as_str()) {
            errors.add("code", "error.indicator.code");
        }
        if let Err(key) = required_text(&self.name, NAME_MAX_CHARS) {
            errors.add("name", key);
        }
        if !unit_fits_kind(self.unit, self.kind) {
            errors.add("unit", "error.indicator.unit_kind");
        }
        if !roll_up_fits_kind(self.roll_up, self.kind) {
            errors.add("roll_up", "error.indicator.roll_up_kind");
        }
        errors.into_result()
    }
}

/// An indicator code: 2–40 characters of lowercase ASCII letters, digits and
/// single underscores, starting with a letter and not ending with `_`. It is
/// used in storage keys, URLs and message keys, hence the narrow alphabet.
pub fn parse_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim();
    if code.is_empty() {
        return Err("error.required");
    }
    let ok = (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && !code.ends_with('_')
        && !code.contains("__")
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(code.to_owned())
    } else {
        Err("error.indicator.code")
    }
}

/// A growth rate is in %; an amount accumulates, so it cannot be a % or a
/// per-亩 ratio; a ratio may be in any unit.
fn unit_fits_kind(unit: Unit, kind: IndicatorKind) -> bool {
    match kind {
        IndicatorKind::Growth => unit == Unit::Percent,
        IndicatorKind::Cumulative => !matches!(unit, Unit::Percent | Unit::WanYuanPerMu),
        IndicatorKind::Ratio => true,
    }
}

/// Amounts add up; ratios and growth rates do not, they need their parts.
fn roll_up_fits_kind(roll_up: RollUp, kind: IndicatorKind) -> bool {
    match roll_up {
        RollUp::Sum => kind == IndicatorKind::Cumulative,
        RollUp::Weighted => kind != IndicatorKind::Cumulative,
        RollUp::None => true,
    }
}

/// Codes that appear more than once, each named once, in order of first repeat.
pub fn duplicate_codes(defs: &[IndicatorDef]) -> Vec<&str> {
    let mut seen = HashSet::new();
    let mut repeated = Vec::new();
    for def in defs {
        if !seen.insert(def.code.as_str()) && !repeated.contains(&def.code.as_str()) {
            repeated.push(def.code.as_str());
        }
    }
    repeated
}

/// The province's standard set of monitored indicators (省定考核指标).
///
/// Amounts follow the units of the statistics they come from: 税收收入 in 万元
/// (fiscal reports), 实际利用外资 in 万美元 (商务 statistics), the rest in 亿元.
/// 规上工业增加值 is a growth rate only; it rolls up when the statistics office
/// supplies both years' bases for every zone, and otherwise is not rolled up.
pub fn standard_catalogue() -> Vec<IndicatorDef> {
    use IndicatorKind::{Cumulative, Growth, Ratio};
    let def = |code: &str, name: &str, unit, kind, roll_up| IndicatorDef {
        code: code.to_owned(),
        name: name.to_owned(),
        unit,
        kind,
        roll_up,
        direction: Direction::HigherIsBetter,
    };
    vec![
        def(
            "industrial_investment",
            "工业投资",
            Unit::YiYuan,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "fixed_asset_investment",
            "固定资产投资",
            Unit::YiYuan,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "industrial_value_added",
            "规上工业增加值",
            Unit::Percent,
            Growth,
            RollUp::Weighted,
        ),
        def(
            "industrial_output",
            "规上工业总产值",
            Unit::YiYuan,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "operating_revenue",
            "营业收入",
            Unit::YiYuan,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "tax_revenue",
            "税收收入",
            Unit::WanYuan,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "import_export",
            "进出口总额",
            Unit::YiYuan,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "foreign_investment",
            "实际利用外资",
            Unit::WanUsd,
            Cumulative,
            RollUp::Sum,
        ),
        def(
            "output_intensity",
            "产出强度",
            Unit::WanYuanPerMu,
            Ratio,
            RollUp::Weighted,
        ),
        def(
            "tax_per_mu",
            "亩均税收",
            Unit::WanYuanPerMu,
            Ratio,
            RollUp::Weighted,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(code: &str, name: &str, unit: &str, kind: &str, roll_up: &str) -> IndicatorDraft {
        IndicatorDraft {
            code: code.into(),
            name: name.into(),
            unit: unit.into(),
            kind: kind.into(),
            roll_up: roll_up.into(),
            direction: String::new(),
        }
    }

    #[test]
    fn the_standard_catalogue_is_valid() {
        let catalogue = standard_catalogue();
        assert_eq!(catalogue.len(), 10);
        for def in &catalogue {
            assert_eq!(def.check(), Ok(()), "{}", def.code);
        }
        assert!(duplicate_codes(&catalogue).is_empty());
        let tax = catalogue.iter().find(|d| d.code == "tax_per_mu").unwrap();
        assert_eq!(
            (tax.name.as_str(), tax.unit.symbol()),
            ("亩均税收", "万元/亩")
        );
    }

    #[test]
    fn codes() {
        for good in ["tax_per_mu", "r2", "energy_per_10k_yuan"] {
            assert_eq!(parse_code(good).as_deref(), Ok(good));
        }
        assert_eq!(parse_code(" r_d ").as_deref(), Ok("r_d"));
        for (bad, key) in [
            ("", "error.required"),
            ("a", "error.indicator.code"),
            ("Tax", "error.indicator.code"),
            ("2tax", "error.indicator.code"),
            ("_tax", "error.indicator.code"),
            ("tax_", "error.indicator.code"),
            ("tax__mu", "error.indicator.code"),
            ("tax-mu", "error.indicator.code"),
            ("亩均税收", "error.indicator.code"),
            (&"a".repeat(41), "error.indicator.code"),
        ] {
            assert_eq!(parse_code(bad), Err(key), "{bad}");
        }
    }

    #[test]
    fn an_administrator_adds_an_indicator() {
        let d = IndicatorDraft {
            direction: "lower_is_better".into(),
            ..draft(
                "energy_intensity",
                " 单位产值能耗 ",
                "percent",
                "ratio",
                "none",
            )
        };
        let def = IndicatorDef::parse(&d, &["tax_per_mu"]).unwrap();
        assert_eq!(def.name, "单位产值能耗");
        assert_eq!(def.direction, Direction::LowerIsBetter);
        assert_eq!(def.kind, IndicatorKind::Ratio);
    }

    #[test]
    fn a_bad_definition_says_what_is_wrong() {
        let keys = |d: &IndicatorDraft, existing: &[&str]| -> Vec<(String, &'static str)> {
            IndicatorDef::parse(d, existing)
                .unwrap_err()
                .0
                .into_iter()
                .map(|e| (e.field, e.key))
                .collect()
        };
        let taken = draft(
            "tax_per_mu",
            "亩均税收",
            "wan_yuan_per_mu",
            "ratio",
            "weighted",
        );
        assert_eq!(
            keys(&taken, &["tax_per_mu"]),
            [("code".into(), "error.indicator.code.taken")]
        );
        let all_wrong = IndicatorDraft {
            direction: "up".into(),
            ..draft("Bad", " ", "元", "level", "avg")
        };
        assert_eq!(
            keys(&all_wrong, &[]),
            [
                ("code".into(), "error.indicator.code"),
                ("name".into(), "error.required"),
                ("unit".into(), "error.indicator.unit"),
                ("kind".into(), "error.indicator.kind"),
                ("roll_up".into(), "error.indicator.roll_up"),
                ("direction".into(), "error.indicator.direction"),
            ]
        );
        let growth_in_yuan = draft("gdp_growth", "地区生产总值增速", "yi_yuan", "growth", "sum");
        assert_eq!(
            keys(&growth_in_yuan, &[]),
            [
                ("unit".into(), "error.indicator.unit_kind"),
                ("roll_up".into(), "error.indicator.roll_up_kind"),
            ]
        );
        let summed_ratio = draft("rd_share", "研发投入强度", "percent", "ratio", "sum");
        assert_eq!(
            keys(&summed_ratio, &[]),
            [("roll_up".into(), "error.indicator.roll_up_kind")]
        );
        let amount_in_percent = draft("profit", "利润总额", "percent", "cumulative", "sum");
        assert_eq!(
            keys(&amount_in_percent, &[]),
            [("unit".into(), "error.indicator.unit_kind")]
        );
    }

    #[test]
    fn duplicates_are_named_once() {
        let mut defs = standard_catalogue();
        defs.push(defs[0].clone());
        defs.push(defs[0].clone());
        defs.push(defs[5].clone());
        assert_eq!(
            duplicate_codes(&defs),
            ["industrial_investment", "tax_revenue"]
        );
    }
}
