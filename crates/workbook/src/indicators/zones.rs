//! Matching a zone's name as a statistics table writes it to the caller's
//! zones: exactly, then without blanks and brackets, then by the short forms
//! offices use (运城经开区 for 运城经济技术开发区), then by containment.

use crate::text::compact;

use super::ZoneSpec;

/// Long forms and the short forms tables write, longest first.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("高新技术产业开发区", "高新区"),
    ("高新技术产业园区", "高新区"),
    ("高新技术开发区", "高新区"),
    ("经济技术开发区", "经开区"),
    ("经济开发区", "开发区"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ZoneMatch {
    /// The same name, written the same or in a short form.
    Exact(i64),
    /// One zone's name contains the other ("山西运城经开区").
    Contained(i64),
    /// The names of every zone it could be.
    Many(Vec<String>),
    None,
}

/// Without blanks and bracket marks, folded: "太原高新区（国家级）" →
/// "太原高新区国家级".
fn folded(name: &str) -> String {
    compact(name)
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | '“' | '”' | '"'))
        .collect()
}

/// Without bracketed remarks, in short form: "太原高新技术产业开发区（国家级）"
/// → "太原高新区".
fn short(name: &str) -> String {
    let mut bare = String::new();
    let mut depth = 0;
    for c in compact(name).chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    SHORT_FORMS
        .iter()
        .fold(bare, |text, (long, short)| text.replace(long, short))
}

fn contains_either(a: &str, b: &str) -> bool {
    let (shorter, longer) = match a.chars().count() <= b.chars().count() {
        true => (a, b),
        false => (b, a),
    };
    shorter.chars().count() >= 2 && longer.contains(shorter)
}

pub(crate) fn match_zone(text: &str, zones: &[ZoneSpec]) -> ZoneMatch {
    let text = text.trim();
    if text.is_empty() {
        return ZoneMatch::None;
    }
    let (text_folded, text_short) = (folded(text), short(text));
    let levels: [&dyn Fn(&ZoneSpec) -> bool; 4] = [
        &|z| z.name.trim() == text,
        &|z| folded(&z.name) == text_folded,
        &|z| short(&z.name) == text_short,
        &|z| contains_either(&short(&z.name), &text_short),
    ];
    for (level, fits) in levels.iter().enumerate() {
        let found: Vec<&ZoneSpec> = zones.iter().filter(|z| fits(z)).collect();
        match found[..] {
            [] => continue,
            [zone] if level < 3 => return ZoneMatch::Exact(zone.id),
            [zone] => return ZoneMatch::Contained(zone.id),
            _ => return ZoneMatch::Many(found.iter().map(|z| z.name.clone()).collect()),
        }
    }
    ZoneMatch::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_tables_write_them() {
        let zones: Vec<ZoneSpec> = [
            (1, "运城经济技术开发区"),
            (2, "太原高新技术产业开发区"),
            (3, "太原经济技术开发区"),
            (4, "孝义经济开发区"),
            (5, "运城空港经济开发区"),
        ]
        .into_iter()
        .map(|(id, name)| ZoneSpec {
            id,
            name: name.to_string(),
        })
        .collect();
        let cases = [
            ("运城经济技术开发区", ZoneMatch::Exact(1)),
            ("运城经济技术 开发区", ZoneMatch::Exact(1)),
            ("运城经开区", ZoneMatch::Exact(1)),
            ("太原高新区", ZoneMatch::Exact(2)),
            ("太原高新区（国家级）", ZoneMatch::Exact(2)),
            ("太原经开区", ZoneMatch::Exact(3)),
            ("孝义开发区", ZoneMatch::Exact(4)),
            ("运城空港开发区", ZoneMatch::Exact(5)),
            ("山西运城经济技术开发区", ZoneMatch::Contained(1)),
            (
                "太原",
                ZoneMatch::Many(vec![
                    "太原高新技术产业开发区".to_string(),
                    "太原经济技术开发区".to_string(),
                ]),
            ),
            ("平遥古城开发区", ZoneMatch::None),
            ("", ZoneMatch::None),
        ];
        for (text, expected) in cases {
            assert_eq!(match_zone(text, &zones), expected, "{text}");
        }
    }
}
