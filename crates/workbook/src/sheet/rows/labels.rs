//! What a row's text says: table notes, section headings and what they name, column numbers.

use super::Section;
use crate::text::{compact, one_line};
use crate::value::{self, Cell};

/// "注：", "注1.", "备注：", "说明：", "填报人：", "联系电话：" — the lines under a
/// printed table. A project name may start with 注 (注塑…), so 注 must be
/// followed by a colon, a number or a list mark.
pub(crate) fn is_note(t: &str) -> bool {
    if t == "注" || t.starts_with("注释") {
        return true;
    }
    if let Some(rest) = t.strip_prefix('注') {
        return rest.starts_with([':', '、', '.', ','])
            || rest.starts_with(|c: char| c.is_ascii_digit());
    }
    const SIGNATURES: &[&str] = &[
        "填报人",
        "填表人",
        "制表人",
        "审核人",
        "审核:",
        "制表:",
        "联系人",
        "联系电话",
        "填报单位",
        "填报日期",
        "填报时间",
        "制表时间",
        "制表日期",
        "单位负责人",
        "负责人:",
        "数据来源",
        "备注:",
        "说明:",
    ];
    SIGNATURES.iter().any(|s| t.starts_with(s))
}

/// "（12个）" and "(共5个)" after a heading say how many projects follow.
pub(super) fn strip_count(t: &str) -> &str {
    if let Some(open) = t.rfind('(') {
        if t.ends_with(')') && t[open..].contains('个') {
            return &t[..open];
        }
    }
    t
}

pub(super) fn update_section(section: &mut Section, heading: &str) {
    let compacted = compact(heading);
    let bare = strip_count(&compacted);
    let category = value::category_of(bare);
    let nature = value::nature_of(bare);
    const ZONE_ENDINGS: &[&str] = &[
        "开发区",
        "经开区",
        "高新区",
        "园区",
        "示范区",
        "综保区",
        "新区",
    ];
    let zone_text: String = bare
        .trim_start_matches(|c: char| "一二三四五六七八九十零第()、.,".contains(c))
        .to_string();
    let zone = ZONE_ENDINGS
        .iter()
        .any(|e| zone_text.ends_with(e))
        .then_some(zone_text);
    if category.is_some() {
        section.category = category;
        section.nature = None;
    }
    if nature.is_some() {
        section.nature = nature;
    }
    if zone.is_some() {
        section.zone = zone;
        section.category = None;
        section.nature = None;
    }
    section.text = Some(one_line(heading));
}

/// A row numbering the columns: 1, 2, 3 … or 甲, 乙, 丙 ….
pub(crate) fn is_column_numbers(own: &[(usize, &Cell)]) -> bool {
    if own.len() < 3 {
        return false;
    }
    let values: Vec<String> = own.iter().map(|(_, c)| compact(&c.display_str())).collect();
    let numbers: Vec<Option<u32>> = values.iter().map(|v| v.parse().ok()).collect();
    let counting = numbers.iter().all(Option::is_some)
        && numbers.windows(2).all(|w| w[1] == w[0].map(|n| n + 1))
        && numbers[0].is_some_and(|n| n <= 2);
    let stems = values.iter().all(|v| {
        v.chars().count() == 1 && "甲乙丙丁戊己庚辛壬癸".contains(v.as_str())
            || v.parse::<u32>().is_ok()
    });
    counting || (stems && values.iter().any(|v| v == "甲"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::title::year_in;

    #[test]
    fn notes_and_headings() {
        for t in [
            "注:1.本表数据截至6月底",
            "注1.",
            "注",
            "填报人:张三",
            "联系电话:0359-1234567",
            "备注:无",
        ] {
            assert!(is_note(t), "{t}");
        }
        for t in ["注塑件生产项目", "年产2000吨非晶合金薄带材料项目"] {
            assert!(!is_note(t), "{t}");
        }
        assert_eq!(strip_count("产业类项目(12个)"), "产业类项目");
        let mut s = Section::default();
        update_section(&mut s, "一、产业类项目（12个）");
        assert_eq!(s.category, Some(kfq_domain::Category::Industrial));
        update_section(&mut s, "（一）续建项目");
        assert_eq!(
            (s.category, s.nature),
            (
                Some(kfq_domain::Category::Industrial),
                Some(kfq_domain::Nature::Continuing)
            )
        );
        update_section(&mut s, "二、新绛经济技术开发区");
        assert_eq!(s.zone.as_deref(), Some("新绛经济技术开发区"));
        assert_eq!(s.category, None);
        assert_eq!(year_in("2023年XX开发区重点项目推进台账"), Some(2023));
        assert_eq!(year_in("重点项目台账"), None);
    }

    #[test]
    fn column_number_rows() {
        let cells: Vec<Cell> = ["1", "2", "3", "4"]
            .iter()
            .map(|t| Cell::Text(t.to_string()))
            .collect();
        let own: Vec<(usize, &Cell)> = cells.iter().enumerate().collect();
        assert!(is_column_numbers(&own));
        let cells: Vec<Cell> = ["1", "年产项目", "3"]
            .iter()
            .map(|t| Cell::Text(t.to_string()))
            .collect();
        let own: Vec<(usize, &Cell)> = cells.iter().enumerate().collect();
        assert!(!is_column_numbers(&own));
    }
}
