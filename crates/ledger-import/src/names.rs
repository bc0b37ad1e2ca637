//! Names compared as people mean them: blanks and bracket widths folded, zones' short forms.

/// Names compared as people mean them: without blanks, brackets of either width.
pub fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// "运城经开区" and "运城经济技术开发区": the usual short forms of zone names.
pub(crate) fn same_short_name(a: &str, b: &str) -> bool {
    let short = |s: &str| {
        s.replace("经济技术开发区", "经开区")
            .replace("高新技术产业开发区", "高新区")
            .replace("经济开发区", "开发区")
    };
    short(a) == short(b)
}

pub(crate) fn find_name(list: &[(i64, String)], name: &str) -> Option<i64> {
    let folded = fold(name);
    list.iter()
        .find(|(_, n)| fold(n) == folded)
        .map(|(id, _)| *id)
}
