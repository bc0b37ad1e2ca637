//! Field-level validation errors. Messages are catalogue keys, never literal text:
//! the edge translates them (zh-CN today) so a locale can be added without touching
//! domain code.

use serde::Serialize;

/// One invalid field: which field, and the catalogue key of the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub key: &'static str,
}

/// All the invalid fields of one input, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, key: &'static str) -> Self {
        let mut errors = Self::new();
        errors.add(field, key);
        errors
    }

    pub fn add(&mut self, field: &str, key: &'static str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            key,
        });
    }

    /// Records the error of a parse, keeping the value when it is good.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, &'static str>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(key) => {
                self.add(field, key);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// The years the platform takes anywhere (forms, API bodies, query
/// parameters, import mappings): a year outside is a mistake, never data.
pub const YEARS: std::ops::RangeInclusive<i64> = 2000..=2100;

/// A year within [`YEARS`].
pub fn year(value: i64) -> Result<i32, &'static str> {
    if YEARS.contains(&value) {
        Ok(value as i32)
    } else {
        Err("error.year")
    }
}

/// A year as typed ("2024", "２０２４"): blank is `None`.
pub fn parse_year(raw: &str) -> Result<Option<i32>, &'static str> {
    let text = crate::money::normalise_number(raw);
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map_err(|_| "error.year")
        .and_then(year)
        .map(Some)
}

/// The bidirectional embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069): they reorder what is shown, so a name
/// can read differently from what it is. Refused in every text.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character no text a user sends may hold: NUL and the other C0 and C1
/// controls (tab, line feed and carriage return excepted: multi-line
/// fields keep them; single-line fields refuse them in [`required_text`])
/// and the bidi controls.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c)
}

/// Any text of a request: the catalogue key of its refusal, if refused.
pub fn clean_text(raw: &str) -> Result<(), &'static str> {
    if raw.chars().any(is_forbidden_char) {
        Err("error.control_chars")
    } else {
        Ok(())
    }
}

/// Whether a text shows something: not only white space and zero-width
/// characters (U+200B–U+200D, U+2060, U+FEFF, U+00AD).
pub fn has_visible(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(
                c,
                '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'
            )
            && !is_bidi_control(c)
    })
}

/// A required, trimmed, length-bounded, single-line text (names, titles):
/// no control or bidi characters, and something visible in it.
pub fn required_text(raw: &str, max_chars: usize) -> Result<String, &'static str> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("error.required");
    }
    if text.chars().count() > max_chars {
        return Err("error.too_long");
    }
    if text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err("error.control_chars");
    }
    if !has_visible(text) {
        return Err("error.invisible");
    }
    Ok(text.to_owned())
}

/// An optional text: blank becomes `None`.
pub fn optional_text(raw: &str, max_chars: usize) -> Result<Option<String>, &'static str> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        required_text(raw, max_chars).map(Some)
    }
}

/// A day as people type it: 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日
/// (full-width digits too); none if it is not a real day.
pub fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    let normalised: String = crate::money::normalise_number(text)
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', "");
    let mut parts = normalised.trim_end_matches('-').split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=2200).contains(&year) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_bounds() {
        assert_eq!(
            required_text("  临汾经济开发区 ", 10),
            Ok("临汾经济开发区".into())
        );
        assert_eq!(required_text("   ", 10), Err("error.required"));
        assert_eq!(required_text("一二三四五六", 5), Err("error.too_long"));
        assert_eq!(required_text("a\u{0}b", 5), Err("error.control_chars"));
        assert_eq!(required_text("a\nb", 5), Err("error.control_chars"));
        assert_eq!(required_text("ab\u{202E}c", 5), Err("error.control_chars"));
        assert_eq!(required_text("\u{2066}x", 5), Err("error.control_chars"));
        assert_eq!(
            required_text("\u{200B}\u{200C}\u{200D}\u{FEFF}", 5),
            Err("error.invisible")
        );
        assert_eq!(
            required_text("\u{3000}\u{200B} ", 5),
            Err("error.invisible")
        );
        assert_eq!(required_text("\u{200B}甲", 5), Ok("\u{200B}甲".into()));
    }

    #[test]
    fn any_text_refuses_nul_controls_and_bidi_but_keeps_lines() {
        assert_eq!(clean_text("一行\n二行\r\n\t三"), Ok(()));
        for bad in [
            "a\u{0}",
            "\u{1b}[31m",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{202A}",
            "\u{2069}",
        ] {
            assert_eq!(clean_text(bad), Err("error.control_chars"), "{bad:?}");
        }
    }

    #[test]
    fn years_are_2000_to_2100() {
        assert_eq!(year(2000), Ok(2000));
        assert_eq!(year(2100), Ok(2100));
        for bad in [-5, 0, 1999, 2101, 99999, 2147483647, i64::MAX] {
            assert_eq!(year(bad), Err("error.year"), "{bad}");
        }
        assert_eq!(parse_year(" "), Ok(None));
        assert_eq!(parse_year("２０２４"), Ok(Some(2024)));
        assert_eq!(parse_year("-5"), Err("error.year"));
        assert_eq!(parse_year("99999"), Err("error.year"));
        assert_eq!(parse_year("abc"), Err("error.year"));
    }

    #[test]
    fn optional_text_blank_is_none() {
        assert_eq!(optional_text(" ", 5), Ok(None));
        assert_eq!(optional_text(" x ", 5), Ok(Some("x".into())));
    }

    #[test]
    fn errors_collect_in_order() {
        let mut errors = FieldErrors::new();
        assert_eq!(errors.check("name", required_text("", 5)), None);
        assert_eq!(errors.check("code", Ok::<_, &str>(3)), Some(3));
        errors.add("code", "error.org_code.taken");
        assert_eq!(errors.0.len(), 2);
        assert_eq!(errors.0[0].field, "name");
        assert!(errors.into_result().is_err());
    }
}
