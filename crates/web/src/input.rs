//! Input from a form or a JSON body, read field by field so that every bad
//! field becomes a field error in the user's language (never a 500, never a
//! bare serde message).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use kfq_domain::FieldErrors;
use serde_json::Value;

use crate::error::AppError;

/// Largest form or JSON body accepted.
pub const MAX_BODY: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Input {
    values: HashMap<String, Value>,
}

impl Input {
    pub fn from_form(bytes: &[u8]) -> Result<Input, AppError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(bytes).map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok(Input {
            values: pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        })
    }

    pub fn from_json(bytes: &[u8]) -> Result<Input, AppError> {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Input {
                values: map.into_iter().collect(),
            }),
            Ok(_) => Err(AppError::BadRequest("JSON object expected".into())),
            Err(e) => Err(AppError::BadRequest(e.to_string())),
        }
    }

    /// A field as text; numbers and booleans are taken as written, absent is "".
    pub fn text(&self, key: &str) -> String {
        match self.values.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        }
    }

    /// An optional whole number: blank is `None`, anything else must parse.
    pub fn opt_int(&self, key: &str, errors: &mut FieldErrors) -> Option<i64> {
        let text = self.text(key);
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(key, "error.number");
                None
            }
        }
    }

    /// A required whole number.
    pub fn int(&self, key: &str, errors: &mut FieldErrors) -> Option<i64> {
        let value = self.opt_int(key, errors);
        if value.is_none() && !errors.0.iter().any(|e| e.field == key) {
            errors.add(key, "error.required");
        }
        value
    }

    /// A checkbox or boolean: present and truthy.
    pub fn flag(&self, key: &str) -> bool {
        match self.values.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64() != Some(0),
            Some(Value::String(s)) => matches!(s.as_str(), "on" | "true" | "1" | "yes"),
            _ => false,
        }
    }

    /// An optional date as people type it: 2024-06-30, 2024/6/30, 2024.6.30, 2024年6月30日.
    pub fn opt_date(&self, key: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveDate> {
        let text = self.text(key);
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = parse_date(text);
        if parsed.is_none() {
            errors.add(key, "error.date");
        }
        parsed
    }

    /// A required date.
    pub fn date(&self, key: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveDate> {
        if self.text(key).trim().is_empty() {
            errors.add(key, "error.required");
            return None;
        }
        self.opt_date(key, errors)
    }

    /// An optional amount in 万元, not negative.
    pub fn opt_money(&self, key: &str, errors: &mut FieldErrors) -> Option<kfq_domain::Money> {
        let text = self.text(key);
        if text.trim().is_empty() {
            return None;
        }
        errors.check(key, kfq_domain::Money::parse_wan_non_negative(&text))
    }

    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// A required choice from a list of codes.
    pub fn choice<T>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        let text = self.text(key);
        if text.trim().is_empty() {
            errors.add(key, "error.required");
            return None;
        }
        let parsed = parse(text.trim());
        if parsed.is_none() {
            errors.add(key, "error.choice");
        }
        parsed
    }

    pub fn opt_choice<T>(
        &self,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        if self.text(key).trim().is_empty() {
            None
        } else {
            self.choice(key, parse, errors)
        }
    }
}

/// Reads the date forms people type; none if it is not a real date.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let normalised: String = kfq_domain::money::normalise_number(text)
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

/// Extracts [`Input`] from a JSON body (by content type) or a form.
impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        if bytes.len() > MAX_BODY {
            return Err(AppError::BadRequest("body too large".into()));
        }
        if is_json {
            Input::from_json(&bytes)
        } else {
            Input::from_form(&bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_json_read_alike() {
        let form = Input::from_form("name=%E7%94%B2&zone_id=12&active=on".as_bytes()).unwrap();
        let json = Input::from_json(br#"{"name":"\u7532","zone_id":12,"active":true}"#).unwrap();
        for input in [form, json] {
            let mut errors = FieldErrors::new();
            assert_eq!(input.text("name"), "甲");
            assert_eq!(input.int("zone_id", &mut errors), Some(12));
            assert!(input.flag("active"));
            assert!(errors.is_empty());
        }
    }

    #[test]
    fn bad_numbers_are_field_errors() {
        let input = Input::from_json(br#"{"zone_id":"abc","version":""}"#).unwrap();
        let mut errors = FieldErrors::new();
        assert_eq!(input.int("zone_id", &mut errors), None);
        assert_eq!(input.int("version", &mut errors), None);
        assert_eq!(input.opt_int("missing", &mut errors), None);
        let keys: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.key)).collect();
        assert_eq!(
            keys,
            [("zone_id", "error.number"), ("version", "error.required")]
        );
    }

    #[test]
    fn dates_in_the_forms_people_type() {
        let expected = chrono::NaiveDate::from_ymd_opt(2024, 6, 30);
        for text in [
            "2024-06-30",
            "2024/6/30",
            "2024.6.30",
            "2024年6月30日",
            "２０２４-６-３０",
        ] {
            assert_eq!(parse_date(text), expected, "{text}");
        }
        for bad in ["2024-02-30", "2024-13-01", "30/6/2024", "2024-6", "明天"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_date("2024-02-29"),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn non_objects_are_refused() {
        assert!(Input::from_json(b"[1,2]").is_err());
        assert!(Input::from_json(b"{not json").is_err());
    }
}
