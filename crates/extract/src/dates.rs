//! Dates of articles: "7月17日", "7月14日晚", "7月11日-13日", "2023年7月17日",
//! "二〇二三年七月十七日", or words such as "近日" left unnormalised; and the year
//! a bulletin is about when an article gives only month and day. Owns date
//! syntax and the year-inference rule; nothing else.

use crate::model::ArticleDate;
use crate::numbers;
use crate::text::{starts_with, text_of, Clean};

/// Words that date an article without a calendar date.
const RELATIVE: &[&str] = &[
    "今年以来",
    "近日",
    "日前",
    "近期",
    "上周",
    "昨日",
    "今天",
    "当日",
    "今年",
];

/// How far into the body the event date is looked for (within its first sentence).
const LEAD: usize = 120;

/// A whole number at `at` and where it ends.
fn int_at(chars: &[char], at: usize) -> Option<(i64, usize)> {
    let p = numbers::parse_at(chars, at)?;
    let n = p.value.to_integer()?;
    i64::try_from(n).ok().map(|n| (n, p.end))
}

/// A calendar date starting at `at`: (year, month, day, end_day, end).
type Calendar = (Option<i32>, u8, Option<u8>, Option<u8>, usize);

fn calendar_at(chars: &[char], at: usize) -> Option<Calendar> {
    let mut i = at;
    let mut year = None;
    let (first, after) = int_at(chars, i)?;
    if chars.get(after) == Some(&'年') && (1900..=2100).contains(&first) {
        year = Some(first as i32);
        i = after + 1;
    }
    let (month, after) = int_at(chars, i)?;
    if chars.get(after) != Some(&'月') || !(1..=12).contains(&month) {
        return None;
    }
    i = after + 1;
    let mut day = None;
    let mut end_day = None;
    if let Some((d, after)) = int_at(chars, i) {
        if matches!(chars.get(after), Some('日' | '号')) && (1..=31).contains(&d) {
            day = Some(d as u8);
            i = after + 1;
            // 7月11日-13日 / 7月11日至13日
            if matches!(chars.get(i), Some('-' | '—' | '–' | '~' | '～' | '至')) {
                if let Some((d2, after2)) = int_at(chars, i + 1) {
                    if matches!(chars.get(after2), Some('日' | '号')) && d < d2 && d2 <= 31 {
                        end_day = Some(d2 as u8);
                        i = after2 + 1;
                    }
                }
            }
        }
    }
    Some((year, month as u8, day, end_day, i))
}

/// The event date near the start of an article body (cleaned chars).
pub(crate) fn article_date(clean: &Clean, from: usize, input: &[char]) -> Option<ArticleDate> {
    let chars = &clean.chars;
    let to = (from + LEAD).min(chars.len());
    for i in from..to {
        if matches!(chars[i], '\n' | '。') && i > from {
            break;
        }
        let prev_is_number = i > 0 && numbers::is_numeral_char(chars[i - 1]);
        if !prev_is_number {
            if let Some((year, month, day, end_day, end)) = calendar_at(chars, i) {
                let span = clean.span(i, end);
                return Some(ArticleDate {
                    as_written: text_of(input, span),
                    year,
                    month: Some(month),
                    day,
                    end_day,
                    year_inferred: false,
                    span,
                });
            }
        }
        if let Some(word) = RELATIVE.iter().find(|w| starts_with(chars, i, w)) {
            let span = clean.span(i, i + word.chars().count());
            return Some(ArticleDate {
                as_written: text_of(input, span),
                span,
                ..ArticleDate::default()
            });
        }
    }
    None
}

/// Words before a year that make it a target or a founding date, not "now".
const NOT_NOW_BEFORE: &[&str] = &["力争", "预计", "计划", "争取", "目标", "到", "至", "于"];
/// Words after a year that make it a future milestone.
const NOT_NOW_AFTER: &[&str] = &["投产", "建成", "竣工", "实现", "达到", "前", "底前", "完成"];

/// Years a text speaks of as its present: "2023年第二季度", "2022年以来",
/// but not "（2022-2026年）", "《…2030年…》", "成立于1982年", "2024年投产".
pub(crate) fn present_years(chars: &[char]) -> Vec<i32> {
    let mut out = Vec::new();
    let mut title_depth = 0i32;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '《' => title_depth += 1,
            '》' => title_depth = (title_depth - 1).max(0),
            _ => {}
        }
        let starts = numbers::is_numeral_char(chars[i])
            && !(i > 0 && numbers::is_numeral_char(chars[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let Some((n, end)) = int_at(chars, i) else {
            i += 1;
            continue;
        };
        let is_year = chars.get(end) == Some(&'年') && (1990..=2100).contains(&n) && end - i == 4;
        if is_year && title_depth == 0 {
            let before_range = i > 0 && matches!(chars[i - 1], '-' | '—' | '–' | '~' | '～');
            let target = NOT_NOW_BEFORE
                .iter()
                .any(|w| i >= w.chars().count() && starts_with(chars, i - w.chars().count(), w));
            let future = NOT_NOW_AFTER.iter().any(|w| starts_with(chars, end + 1, w));
            if !before_range && !target && !future {
                out.push(n as i32);
            }
        }
        i = end.max(i + 1);
    }
    out
}

/// The year to give a month-and-day date: the latest present year the article
/// or the bulletin speaks of (an article may mention only a past event, "2008年
/// 启动", while the issue is about today), else none.
pub(crate) fn infer_year(article_years: &[i32], bulletin_years: &[i32]) -> Option<i32> {
    article_years.iter().chain(bulletin_years).max().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Option<ArticleDate> {
        let input: Vec<char> = s.chars().collect();
        let mut clean = Clean::default();
        clean.push_input(&input, 0, input.len());
        article_date(&clean, 0, &input)
    }

    #[test]
    fn dates_as_written() {
        type Case<'a> = (
            &'a str,
            &'a str,
            Option<i32>,
            Option<u8>,
            Option<u8>,
            Option<u8>,
        );
        let cases: &[Case] = &[
            (" 7月17日，运城", "7月17日", None, Some(7), Some(17), None),
            ("7月14日晚，临汾", "7月14日", None, Some(7), Some(14), None),
            (
                "7月11日-13日，中国金属学会",
                "7月11日-13日",
                None,
                Some(7),
                Some(11),
                Some(13),
            ),
            (
                "2023年5月3日，",
                "2023年5月3日",
                Some(2023),
                Some(5),
                Some(3),
                None,
            ),
            (
                "二〇二三年七月十七日上午",
                "二〇二三年七月十七日",
                Some(2023),
                Some(7),
                Some(17),
                None,
            ),
            ("近日，忻州市委书记", "近日", None, None, None, None),
        ];
        for &(text, written, year, month, day, end_day) in cases {
            let d = date(text).unwrap_or_else(|| panic!("no date in {text}"));
            assert_eq!(
                (d.as_written.as_str(), d.year, d.month, d.day, d.end_day),
                (written, year, month, day, end_day),
                "{text}"
            );
        }
    }

    #[test]
    fn present_years_skip_plans_titles_and_ranges() {
        let text = "《2023年大招商实施方案》，2022年以来，（2022-2026年），成立于1982年，2024年投产，运城市2023年第二季度";
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(present_years(&chars), vec![2022, 2023]);
        assert_eq!(infer_year(&[], &[2022, 2023]), Some(2023));
        assert_eq!(infer_year(&[], &[]), None);
    }
}
