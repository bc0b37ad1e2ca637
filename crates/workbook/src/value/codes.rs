//! The coded values of a ledger row: 项目类别, 建设性质, 项目阶段 and 项目代码.

use kfq_domain::{Category, Nature, Stage};

use super::{text, Cell, Outcome, Parsed};
use crate::text::{compact, one_line};

fn coded_text(cell: &Cell) -> Result<Option<String>, String> {
    match cell {
        Cell::Error(e) => Err(format!("单元格是错误值“{e}”")),
        other => Ok(text(other).map(|t| compact(&t))),
    }
}

/// 项目类别: 产业类 / 基础设施类 / 社会民生类 and their usual variants.
pub(crate) fn category(cell: &Cell) -> Outcome<Category> {
    let Some(t) = coded_text(cell)? else {
        return Ok(None);
    };
    category_of(&t)
        .map(|c| Some(Parsed::plain(c)))
        .ok_or_else(|| {
            format!(
                "无法识别的项目类别“{}”（应为产业类、基础设施类或社会民生类）",
                one_line(&cell.display_str())
            )
        })
}

pub(crate) fn category_of(t: &str) -> Option<Category> {
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["基础设施", "基建", "市政", "基础配套"]) {
        Some(Category::Infrastructure)
    } else if has(&["民生", "社会事业", "公共服务", "社会"]) {
        Some(Category::Social)
    } else if has(&["产业", "工业", "制造", "服务业"]) {
        Some(Category::Industrial)
    } else {
        None
    }
}

/// 建设性质: 新建 / 续建 / 前期. 扩建、改建、技改 are new works this year.
pub(crate) fn nature(cell: &Cell) -> Outcome<Nature> {
    let Some(t) = coded_text(cell)? else {
        return Ok(None);
    };
    let shown = one_line(&cell.display_str());
    if let Some(n) = nature_of(&t) {
        return Ok(Some(Parsed::plain(n)));
    }
    if ["扩建", "改建", "技改", "迁建", "改造"]
        .iter()
        .any(|w| t.contains(w))
    {
        return Ok(Some(Parsed {
            value: Nature::New,
            warning: Some(format!("建设性质“{shown}”按新建理解")),
        }));
    }
    Err(format!(
        "无法识别的建设性质“{shown}”（应为新建、续建或前期）"
    ))
}

pub(crate) fn nature_of(t: &str) -> Option<Nature> {
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["续建", "续建项目"]) {
        Some(Nature::Continuing)
    } else if has(&["新建", "新开工"]) {
        Some(Nature::New)
    } else if has(&["前期", "拟建", "储备", "谋划"]) {
        Some(Nature::Preliminary)
    } else {
        None
    }
}

/// 项目阶段 in the words ledgers use.
pub(crate) fn stage(cell: &Cell) -> Outcome<Stage> {
    let Some(t) = coded_text(cell)? else {
        return Ok(None);
    };
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let stage = if has(&["取消", "终止"]) {
        Stage::Cancelled
    } else if has(&["停建", "停工", "暂停", "缓建"]) {
        Stage::Suspended
    } else if has(&["未开工", "待开工", "拟开工", "前期"]) {
        Stage::PreConstruction
    } else if has(&["达产", "达效"]) {
        Stage::AtCapacity
    } else if has(&["投产", "试生产", "运营", "试运行"]) {
        Stage::Producing
    } else if has(&["竣工", "建成", "完工"]) {
        Stage::Completed
    } else if has(&["开工", "在建", "施工", "建设中"]) {
        Stage::Started
    } else if has(&["签约"]) {
        Stage::Signed
    } else if has(&["谋划", "储备", "洽谈"]) {
        Stage::Planning
    } else {
        return Err(format!(
            "无法识别的项目阶段“{}”",
            one_line(&cell.display_str())
        ));
    };
    Ok(Some(Parsed::plain(stage)))
}

/// 项目代码 as the national approval platform issues it.
pub(crate) fn project_code(cell: &Cell) -> Outcome<String> {
    let Some(raw) = text(cell) else {
        return Ok(None);
    };
    match kfq_domain::project::parse_project_code(&raw) {
        Ok(Some(code)) => Ok(Some(Parsed::plain(code))),
        Ok(None) => Ok(None),
        Err(_) => Err(format!("项目代码格式不正确“{}”", one_line(&raw))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    #[test]
    fn coded_values() {
        let cat = |s: &str| category(&t(s)).map(|o| o.map(|p| p.value));
        assert_eq!(cat("产业类"), Ok(Some(Category::Industrial)));
        assert_eq!(cat("工业项目"), Ok(Some(Category::Industrial)));
        assert_eq!(cat("基础设施类"), Ok(Some(Category::Infrastructure)));
        assert_eq!(cat("社会民生"), Ok(Some(Category::Social)));
        assert_eq!(cat("民生类"), Ok(Some(Category::Social)));
        assert!(cat("其他")
            .unwrap_err()
            .starts_with("无法识别的项目类别“其他”"));

        let nat = |s: &str| nature(&t(s)).map(|o| o.map(|p| (p.value, p.warning.is_some())));
        assert_eq!(nat("新建"), Ok(Some((Nature::New, false))));
        assert_eq!(nat("续建"), Ok(Some((Nature::Continuing, false))));
        assert_eq!(nat("前期"), Ok(Some((Nature::Preliminary, false))));
        assert_eq!(nat("改扩建"), Ok(Some((Nature::New, true))));
        assert!(nat("在建").is_err());

        let st = |s: &str| stage(&t(s)).map(|o| o.map(|p| p.value));
        let cases = [
            ("谋划", Stage::Planning),
            ("已签约", Stage::Signed),
            ("前期手续办理", Stage::PreConstruction),
            ("未开工", Stage::PreConstruction),
            ("在建", Stage::Started),
            ("已开工", Stage::Started),
            ("主体完工", Stage::Completed),
            ("已竣工", Stage::Completed),
            ("试生产", Stage::Producing),
            ("已投产", Stage::Producing),
            ("达产", Stage::AtCapacity),
            ("停工", Stage::Suspended),
            ("取消", Stage::Cancelled),
        ];
        for (raw, expected) in cases {
            assert_eq!(st(raw), Ok(Some(expected)), "{raw}");
        }

        let code = |s: &str| project_code(&t(s)).map(|o| o.map(|p| p.value));
        assert_eq!(
            code("2304-140800-89-01-123456"),
            Ok(Some("2304-140800-89-01-123456".into()))
        );
        assert_eq!(code("—"), Ok(None));
        assert_eq!(code("待赋码"), Err("项目代码格式不正确“待赋码”".into()));
    }
}
