//! Figures with units and qualifiers: money in yuan, land in 亩, floor area in m², head counts.

use std::borrow::Cow;

use kfq_domain::{Money, Mu};
use serde::{Deserialize, Serialize};

use super::{Cell, Decimal, Outcome, Parsed};
use crate::field::Unit;
use crate::text::{compact, is_blank_marker, one_line};

/// A value read with what people wrote around it: "约18亿元" is 18亿 with
/// the qualifier "约"; "500余亩" is 500 亩 with "余".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approx<T> {
    pub value: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
}

const PREFIX_QUALIFIERS: &[&str] = &[
    "大约",
    "约",
    "近",
    "超过",
    "超",
    "逾",
    "不低于",
    "不少于",
    "不超过",
    "预计",
    "估算",
];
const SUFFIX_QUALIFIERS: &[&str] = &["左右", "以上", "以内", "上下", "余", "多", "+"];

/// Splits "约18亿元左右" into ("18", Some("亿元"), ["约", "左右"]) given the
/// unit words a value may carry.
fn split_figure<'u>(text: &str, units: &[&'u str]) -> (String, Option<&'u str>, Vec<String>) {
    let mut t = compact(text);
    let mut qualifiers = Vec::new();
    loop {
        let before = t.len();
        for q in PREFIX_QUALIFIERS {
            if let Some(rest) = t.strip_prefix(q) {
                qualifiers.push(q.to_string());
                t = rest.to_string();
            }
        }
        if t.len() == before {
            break;
        }
    }
    let mut unit = None;
    let mut suffixes = Vec::new();
    loop {
        let before = t.len();
        for q in SUFFIX_QUALIFIERS {
            if let Some(rest) = t.strip_suffix(q) {
                suffixes.push(q.to_string());
                t = rest.to_string();
            }
        }
        if unit.is_none() {
            for u in units {
                if let Some(rest) = t.strip_suffix(u) {
                    unit = Some(*u);
                    t = rest.to_string();
                    break;
                }
            }
        }
        if t.len() == before {
            break;
        }
    }
    suffixes.reverse();
    qualifiers.extend(suffixes);
    (t, unit, qualifiers)
}

fn joined(qualifiers: Vec<String>) -> Option<String> {
    (!qualifiers.is_empty()).then(|| qualifiers.join(""))
}

/// The text of a cell for a numeric reading, or why there is none.
/// The cell's text, borrowed: figures are read from every row, and the text
/// as shown is only needed for a message.
fn numeric_source<'c>(cell: &'c Cell, what: &str) -> Result<Option<(&'c str, bool)>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) if is_blank_marker(t) => Ok(None),
        Cell::Text(t) => Ok(Some((t, false))),
        Cell::Number(n) => Ok(Some((n, true))),
        Cell::Date(d) => Err(format!(
            "应为{what}，单元格却是日期“{}”",
            d.format("%Y-%m-%d")
        )),
        Cell::Bool(b) => Err(format!(
            "应为{what}，单元格却是逻辑值“{}”",
            if *b { "TRUE" } else { "FALSE" }
        )),
        Cell::Error(e) => Err(format!("单元格是错误值“{e}”")),
    }
}

const MONEY_UNITS: &[&str] = &["亿元", "万元", "亿", "万", "元"];

/// Money in `unit` (the column's) unless the cell names its own: "约18亿元"
/// in a 万元 column is still 18亿. Whole yuan; anything smaller is rounded
/// half away from zero, with a warning.
pub(crate) fn money(cell: &Cell, unit: Unit) -> Outcome<Approx<Money>> {
    let Some((raw, numeric)) = numeric_source(cell, "金额")? else {
        return Ok(None);
    };
    let shown = || one_line(raw);
    let (number, cell_unit, qualifiers) = if numeric {
        (Cow::Borrowed(raw), None, Vec::new())
    } else {
        let (number, unit, qualifiers) = split_figure(raw, MONEY_UNITS);
        (Cow::Owned(number), unit, qualifiers)
    };
    let unit = match cell_unit {
        Some("亿元" | "亿") => Unit::Yi,
        Some("万元" | "万") => Unit::Wan,
        Some(_) => Unit::Yuan,
        None => unit,
    };
    let Some(decimal) = Decimal::parse(&number) else {
        return Err(format!("无法识别的金额“{}”", shown()));
    };
    if decimal.is_negative() {
        return Err(format!("金额不能为负数“{}”", shown()));
    }
    let exponent = unit.yuan_exponent().unwrap_or(4);
    let (yuan, rounded) = decimal
        .times_ratio(10_u128.pow(exponent), 1)
        .filter(|(y, _)| *y <= 1_000_000_000_000_000)
        .ok_or_else(|| format!("金额超出范围“{}”", shown()))?;
    Ok(Some(Parsed {
        value: Approx {
            value: Money::from_yuan(yuan as i64),
            qualifier: joined(qualifiers),
        },
        warning: rounded.then(|| format!("“{}”{}不足1元的部分已四舍五入", shown(), unit.label())),
    }))
}

const AREA_UNITS: &[&str] = &[
    "万平方米",
    "万平米",
    "万㎡",
    "万m2",
    "平方米",
    "平米",
    "㎡",
    "m2",
    "公顷",
    "亩",
];

fn area_unit(word: &str) -> Unit {
    match word {
        "万平方米" | "万平米" | "万㎡" | "万m2" => Unit::WanSquareMetre,
        "平方米" | "平米" | "㎡" | "m2" => Unit::SquareMetre,
        "公顷" => Unit::Hectare,
        _ => Unit::Mu,
    }
}

/// Reads an area figure and scales it by `ratio(unit)`.
fn area_figure(
    cell: &Cell,
    unit: Unit,
    what: &str,
    ratio: fn(Unit) -> (u128, u128),
) -> Outcome<Approx<i64>> {
    let Some((raw, numeric)) = numeric_source(cell, what)? else {
        return Ok(None);
    };
    let shown = || one_line(raw);
    let (number, cell_unit, qualifiers) = if numeric {
        (Cow::Borrowed(raw), None, Vec::new())
    } else {
        let (number, unit, qualifiers) = split_figure(raw, AREA_UNITS);
        (Cow::Owned(number), unit, qualifiers)
    };
    let unit = cell_unit.map(area_unit).unwrap_or(unit);
    let Some(decimal) = Decimal::parse(&number) else {
        return Err(format!("无法识别的{what}“{}”", shown()));
    };
    if decimal.is_negative() {
        return Err(format!("{what}不能为负数“{}”", shown()));
    }
    let (numerator, denominator) = ratio(unit);
    let (value, _) = decimal
        .times_ratio(numerator, denominator)
        .filter(|(v, _)| *v <= 100_000_000_000)
        .ok_or_else(|| format!("{what}超出范围“{}”", shown()))?;
    Ok(Some(Parsed::plain(Approx {
        value: value as i64,
        qualifier: joined(qualifiers),
    })))
}

/// Land in 亩 (or the unit the column or cell names), to hundredths of a 亩
/// (1 亩 = 10000/15 m²; conversions are rounded to the hundredth).
pub(crate) fn land(cell: &Cell, unit: Unit) -> Outcome<Approx<Mu>> {
    let ratio = |u: Unit| match u {
        Unit::Hectare | Unit::WanSquareMetre => (1500, 1),
        Unit::SquareMetre => (15, 100),
        _ => (100, 1),
    };
    Ok(area_figure(cell, unit, "用地面积", ratio)?.map(|p| Parsed {
        value: Approx {
            value: Mu::from_hundredths(p.value.value),
            qualifier: p.value.qualifier,
        },
        warning: p.warning,
    }))
}

/// Floor area in square metres (rounded to the square metre).
pub(crate) fn floor_area(cell: &Cell, unit: Unit) -> Outcome<Approx<i64>> {
    let ratio = |u: Unit| match u {
        Unit::WanSquareMetre | Unit::Hectare => (10_000, 1),
        Unit::Mu => (10_000, 15),
        _ => (1, 1),
    };
    area_figure(cell, unit, "建筑面积", ratio)
}

/// A head count: "200", "200余人", "约300人".
pub(crate) fn count(cell: &Cell) -> Outcome<Approx<i64>> {
    let Some((raw, numeric)) = numeric_source(cell, "人数")? else {
        return Ok(None);
    };
    let shown = || one_line(raw);
    let (number, _, qualifiers) = if numeric {
        (Cow::Borrowed(raw), None, Vec::new())
    } else {
        let (number, unit, qualifiers) = split_figure(raw, &["人", "名", "个"]);
        (Cow::Owned(number), unit, qualifiers)
    };
    let decimal = Decimal::parse(&number).ok_or_else(|| format!("无法识别的人数“{}”", shown()))?;
    match decimal.times_ratio(1, 1) {
        Some((n, false)) if n >= 0 && n <= i64::MAX as i128 => Ok(Some(Parsed::plain(Approx {
            value: n as i64,
            qualifier: joined(qualifiers),
        }))),
        _ => Err(format!("人数应为不小于0的整数“{}”", shown())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn yuan(cell: &Cell, unit: Unit) -> Result<Option<(i64, Option<String>)>, String> {
        money(cell, unit).map(|o| o.map(|p| (p.value.value.yuan(), p.value.qualifier)))
    }

    #[test]
    fn money_is_exact_in_yuan() {
        let n = |s: &str| Cell::Number(s.to_string());
        let cases: &[(Cell, Unit, i64, Option<&str>)] = &[
            (n("1.23"), Unit::Yi, 123_000_000, None),
            (Cell::from_f64(1.23), Unit::Yi, 123_000_000, None),
            (Cell::from_f64(0.1 + 0.2), Unit::Yi, 30_000_000, None),
            (n("1200"), Unit::Wan, 12_000_000, None),
            (n("0.0001"), Unit::Wan, 1, None),
            (n("5000000"), Unit::Yuan, 5_000_000, None),
            (t("12,000"), Unit::Wan, 120_000_000, None),
            (t("１２０００"), Unit::Wan, 120_000_000, None),
            (t("１.５"), Unit::Yi, 150_000_000, None),
            (t("约18亿元"), Unit::Wan, 1_800_000_000, Some("约")),
            (t("18亿"), Unit::Wan, 1_800_000_000, None),
            (t("3000万元"), Unit::Yi, 30_000_000, None),
            (t("约2.5"), Unit::Yi, 250_000_000, Some("约")),
            (t("5000余万元"), Unit::Yi, 50_000_000, Some("余")),
            (t("1亿元以上"), Unit::Wan, 100_000_000, Some("以上")),
            (t("8.8 亿元左右"), Unit::Wan, 880_000_000, Some("左右")),
            (t(" 2,100.5 "), Unit::Wan, 21_005_000, None),
            (t("500元"), Unit::Wan, 500, None),
            (t("0"), Unit::Wan, 0, None),
        ];
        for (cell, unit, expected, qualifier) in cases {
            assert_eq!(
                yuan(cell, *unit),
                Ok(Some((*expected, qualifier.map(str::to_string)))),
                "{cell:?} in {unit:?}"
            );
        }
        for blank in [Cell::Empty, t(""), t("—"), t("/"), t("无"), t("  ")] {
            assert_eq!(yuan(&blank, Unit::Wan), Ok(None), "{blank:?}");
        }
    }

    #[test]
    fn money_rounds_below_a_yuan_and_says_so() {
        let p = money(&Cell::Number("1.234567891".into()), Unit::Yi)
            .unwrap()
            .unwrap();
        assert_eq!(p.value.value.yuan(), 123_456_789);
        assert_eq!(
            p.warning.as_deref(),
            Some("“1.234567891”亿元不足1元的部分已四舍五入")
        );
        let p = money(&Cell::Number("0.00005".into()), Unit::Wan)
            .unwrap()
            .unwrap();
        assert_eq!(p.value.value.yuan(), 1);
    }

    #[test]
    fn unreadable_money_says_why() {
        let cases: &[(Cell, &str)] = &[
            (t("约十八个亿"), "无法识别的金额“约十八个亿”"),
            (t("待定"), "无法识别的金额“待定”"),
            (t("1e5"), "无法识别的金额“1e5”"),
            (t("-300"), "金额不能为负数“-300”"),
            (
                t("99999999999999999999"),
                "金额超出范围“99999999999999999999”",
            ),
            (
                Cell::Date(NaiveDate::from_ymd_opt(2023, 7, 1).unwrap()),
                "应为金额，单元格却是日期“2023-07-01”",
            ),
            (Cell::Error("#REF!".into()), "单元格是错误值“#REF!”"),
        ];
        for (cell, reason) in cases {
            assert_eq!(yuan(cell, Unit::Wan), Err(reason.to_string()), "{cell:?}");
        }
    }

    #[test]
    fn land_and_floor_area() {
        let mu = |c: Cell, u: Unit| {
            land(&c, u).map(|o| o.map(|p| (p.value.value.hundredths(), p.value.qualifier)))
        };
        assert_eq!(mu(t("500"), Unit::Mu), Ok(Some((50_000, None))));
        assert_eq!(
            mu(t("500余亩"), Unit::Mu),
            Ok(Some((50_000, Some("余".into()))))
        );
        assert_eq!(
            mu(t("约120.5亩"), Unit::Mu),
            Ok(Some((12_050, Some("约".into()))))
        );
        assert_eq!(
            mu(Cell::Number("12.345".into()), Unit::Mu),
            Ok(Some((1_235, None)))
        );
        assert_eq!(mu(t("10000平方米"), Unit::Mu), Ok(Some((1_500, None))));
        assert_eq!(mu(t("2公顷"), Unit::Mu), Ok(Some((3_000, None))));
        assert_eq!(
            mu(Cell::Number("6666.7".into()), Unit::SquareMetre),
            Ok(Some((1_000, None)))
        );
        assert_eq!(mu(t("—"), Unit::Mu), Ok(None));
        assert_eq!(
            mu(t("五百亩"), Unit::Mu),
            Err("无法识别的用地面积“五百亩”".into())
        );

        let m2 = |c: Cell, u: Unit| floor_area(&c, u).map(|o| o.map(|p| p.value.value));
        assert_eq!(m2(t("12000"), Unit::SquareMetre), Ok(Some(12_000)));
        assert_eq!(
            m2(Cell::Number("3.5".into()), Unit::WanSquareMetre),
            Ok(Some(35_000))
        );
        assert_eq!(m2(t("1.2万平方米"), Unit::SquareMetre), Ok(Some(12_000)));
        assert_eq!(m2(t("8,000㎡"), Unit::WanSquareMetre), Ok(Some(8_000)));
        assert_eq!(m2(t("15亩"), Unit::SquareMetre), Ok(Some(10_000)));
    }

    #[test]
    fn counts() {
        let c = |s: &str| count(&t(s)).map(|o| o.map(|p| (p.value.value, p.value.qualifier)));
        assert_eq!(c("200"), Ok(Some((200, None))));
        assert_eq!(c("200余人"), Ok(Some((200, Some("余".into())))));
        assert_eq!(c("约300人"), Ok(Some((300, Some("约".into())))));
        assert_eq!(c("12.5"), Err("人数应为不小于0的整数“12.5”".into()));
        assert_eq!(c("若干"), Err("无法识别的人数“若干”".into()));
    }
}
