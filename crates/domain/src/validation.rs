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

/// A required, trimmed, length-bounded text (names, titles).
pub fn required_text(raw: &str, max_chars: usize) -> Result<String, &'static str> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("error.required");
    }
    if text.chars().count() > max_chars {
        return Err("error.too_long");
    }
    if text.chars().any(char::is_control) {
        return Err("error.control_chars");
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
