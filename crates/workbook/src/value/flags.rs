//! Yes/no marks (是否入库): 是/否, √/×, Y/N, TRUE/FALSE, 1/0.

use super::{Cell, Outcome, Parsed};
use crate::text::{compact, is_blank_marker, one_line};

/// 是否入库: 是/否, √/×, 已入库/未入库, Y/N, TRUE/FALSE, 1/0.
pub(crate) fn flag(cell: &Cell) -> Outcome<bool> {
    let t = match cell {
        Cell::Empty => return Ok(None),
        Cell::Text(t) if is_blank_marker(t) => return Ok(None),
        Cell::Bool(b) => return Ok(Some(Parsed::plain(*b))),
        Cell::Number(n) if n == "1" => return Ok(Some(Parsed::plain(true))),
        Cell::Number(n) if n == "0" => return Ok(Some(Parsed::plain(false))),
        Cell::Error(e) => return Err(format!("单元格是错误值“{e}”")),
        other => compact(&other.display_str()).to_lowercase(),
    };
    const NO: &[&str] = &[
        "否", "×", "✗", "✘", "╳", "未", "不", "没", "x", "n", "false",
    ];
    const YES: &[&str] = &[
        "是", "√", "✓", "✔", "☑", "已", "入库", "纳统", "入统", "y", "true", "对", "有",
    ];
    if NO.iter().any(|w| t.starts_with(w)) {
        Ok(Some(Parsed::plain(false)))
    } else if YES.iter().any(|w| t.starts_with(w)) {
        Ok(Some(Parsed::plain(true)))
    } else {
        Err(format!(
            "无法识别的“是/否”“{}”",
            one_line(&cell.display_str())
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn flags() {
        let f = |c: Cell| flag(&c).map(|o| o.map(|p| p.value));
        for yes in [
            "是",
            "√",
            "✓",
            "已入库",
            "入库",
            "Y",
            "yes",
            "TRUE",
            "已纳统",
        ] {
            assert_eq!(f(t(yes)), Ok(Some(true)), "{yes}");
        }
        for no in ["否", "×", "未入库", "不入库", "N", "no", "x", "FALSE"] {
            assert_eq!(f(t(no)), Ok(Some(false)), "{no}");
        }
        assert_eq!(f(Cell::Number("1".into())), Ok(Some(true)));
        assert_eq!(f(Cell::Bool(false)), Ok(Some(false)));
        assert_eq!(f(t("")), Ok(None));
        assert_eq!(f(t("正在办理")), Err("无法识别的“是/否”“正在办理”".into()));
    }
}
