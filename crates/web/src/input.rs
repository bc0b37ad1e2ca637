//! Input from a form or a JSON body, read field by field so that every bad
//! field becomes a field error in the user's language (never a 500, never a
//! bare serde message).
//!
//! An API route takes its body as [`Body<B>`]: JSON is read strictly into `B`
//! (the type its OpenAPI entry names) and `B` is then handed on as the
//! [`Input`] the parse functions read, so the document cannot drift from
//! what is parsed. Forms, the pages' encoding, are read as they always were.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::ops::Deref;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use kfq_domain::FieldErrors;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::error::{AppError, AppResult};
use kfq_domain::validation::clean_text;

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
        refuse_forbidden(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let mut values: HashMap<String, Value> = HashMap::new();
        for (key, value) in pairs {
            // `name[]` is a multiple choice: every value, in order, as a list.
            match key.strip_suffix("[]") {
                Some(list) => {
                    let entry = values
                        .entry(list.to_owned())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(items) = entry {
                        items.push(Value::String(value));
                    }
                }
                None => {
                    values.insert(key, Value::String(value));
                }
            }
        }
        Ok(Input { values })
    }

    pub fn from_json(bytes: &[u8]) -> Result<Input, AppError> {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => {
                refuse_forbidden_json(&map)?;
                Ok(Input {
                    values: map.into_iter().collect(),
                })
            }
            Ok(_) => Err(AppError::BadRequest("JSON object expected".into())),
            Err(e) => Err(AppError::BadRequest(e.to_string())),
        }
    }

    /// Reads a JSON body strictly as `B`: an unknown field, a value of the
    /// wrong JSON type or a missing required field is a field error naming
    /// it. Every bad field is named in one answer. The parse functions then
    /// read what `B` holds, not the raw body.
    pub fn from_json_as<B: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<Input, AppError> {
        let mut map = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(AppError::BadRequest("JSON object expected".into())),
            Err(e) => return Err(AppError::BadRequest(e.to_string())),
        };
        refuse_forbidden_json(&map)?;
        let mut errors = FieldErrors::new();
        loop {
            match serde_path_to_error::deserialize::<_, B>(Value::Object(map.clone())) {
                Ok(body) if errors.is_empty() => return Input::of(&body),
                Ok(_) => return Err(AppError::Invalid(errors)),
                Err(err) => {
                    let (field, key) = field_error(&err);
                    // A required field taken out for its type is not missing too.
                    if errors.0.iter().any(|e| e.field == field) {
                        return Err(AppError::Invalid(errors));
                    }
                    errors.add(&field, key);
                    // Serde stops at the first bad field: take it out and read
                    // again, so the next one is found too.
                    let top = field.split(['.', '[']).next().unwrap_or_default();
                    if map.remove(top).is_none() {
                        return Err(AppError::Invalid(errors));
                    }
                }
            }
        }
    }

    /// The input a parsed body stands for; absent optional fields are left
    /// out, as a form leaves out a field it does not have.
    fn of<B: Serialize>(body: &B) -> Result<Input, AppError> {
        match serde_json::to_value(body).map_err(anyhow::Error::from)? {
            Value::Object(map) => Ok(Input {
                values: map.into_iter().filter(|(_, v)| !v.is_null()).collect(),
            }),
            _ => Err(AppError::Internal(anyhow::anyhow!(
                "a request body type serializes to an object"
            ))),
        }
    }

    /// The input as the body type it was read strictly into (a body with
    /// lists in it, such as a sheet of rows).
    pub fn typed<B: DeserializeOwned>(&self) -> Result<B, AppError> {
        serde_json::from_value(Value::Object(self.values.clone().into_iter().collect()))
            .map_err(|e| AppError::BadRequest(e.to_string()))
    }

    /// The names of the fields given.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
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

    /// An optional year, 2000–2100: blank is `None`, anything else out of
    /// that range is a field error (the one check of every year).
    pub fn opt_year(&self, key: &str, errors: &mut FieldErrors) -> Option<i32> {
        errors
            .check(key, kfq_domain::validation::parse_year(&self.text(key)))
            .flatten()
    }

    /// A required year, 2000–2100.
    pub fn year(&self, key: &str, errors: &mut FieldErrors) -> Option<i32> {
        if self.text(key).trim().is_empty() {
            errors.add(key, "error.required");
            return None;
        }
        self.opt_year(key, errors)
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

    /// A list of ids: a JSON array of numbers, or a form's `name[]` values
    /// (blank ones left out); absent is empty.
    pub fn ids(&self, key: &str, errors: &mut FieldErrors) -> Vec<i64> {
        let items = match self.values.get(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                errors.add(key, "error.choice");
                return Vec::new();
            }
        };
        let mut ids = Vec::with_capacity(items.len());
        for item in items {
            let id = match item {
                Value::Number(n) => n.as_i64(),
                Value::String(s) if s.trim().is_empty() => continue,
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            match id {
                Some(id) => ids.push(id),
                None => {
                    errors.add(key, "error.choice");
                    return Vec::new();
                }
            }
        }
        ids
    }

    /// A list field as the comma-joined text a form shows.
    pub fn joined(&self, key: &str) -> String {
        match self.values.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
            _ => self.text(key),
        }
    }

    /// A `name[]` list of texts, in order (one value alone as a list of one).
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.values.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
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

/// Refuses text no request may carry: NUL and the other control characters
/// (tab and line breaks excepted: single-line fields refuse those when they
/// are parsed) and the bidi controls, in any field's name or value. One
/// field error (422) names each field; nothing reaches the database, which
/// would refuse a NUL with an error of its own.
pub fn refuse_forbidden<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    for (key, value) in pairs {
        let bad_key = clean_text(key).is_err();
        if bad_key || clean_text(value).is_err() {
            add_once(&mut errors, &field_name(key));
        }
    }
    errors.into_result().map_err(AppError::Invalid)
}

/// [`refuse_forbidden`] for a JSON object, through its arrays and objects:
/// the field is named by its path (`rows[2].note`).
fn refuse_forbidden_json(map: &serde_json::Map<String, Value>) -> Result<(), AppError> {
    fn walk(path: &str, value: &Value, errors: &mut FieldErrors) {
        match value {
            Value::String(text) if clean_text(text).is_err() => add_once(errors, path),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), item, errors);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let name = field_name(key);
                    let name = if path.is_empty() {
                        name
                    } else {
                        format!("{path}.{name}")
                    };
                    if clean_text(key).is_err() {
                        add_once(errors, &name);
                    } else {
                        walk(&name, item, errors);
                    }
                }
            }
            _ => {}
        }
    }
    let mut errors = FieldErrors::new();
    walk("", &Value::Object(map.clone()), &mut errors);
    errors.into_result().map_err(AppError::Invalid)
}

/// A field's name as an error can show it: without the characters refused.
fn field_name(key: &str) -> String {
    let name: String = key
        .chars()
        .filter(|c| !kfq_domain::validation::is_forbidden_char(*c) && !c.is_control())
        .collect();
    if name.is_empty() {
        "body".to_owned()
    } else {
        name
    }
}

fn add_once(errors: &mut FieldErrors, field: &str) {
    if !errors.0.iter().any(|e| e.field == field) {
        errors.add(field, "error.control_chars");
    }
}

/// Every route's query string passes here (see `routes`): a parameter
/// holding NUL, another control character or a bidi control is a 422 naming
/// it, for the API and the pages alike, before any handler reads it.
pub async fn refuse_forbidden_query(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(query) = req.uri().query() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        if let Err(err) = refuse_forbidden(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            return err.into_response();
        }
    }
    next.run(req).await
}

/// A year (2000–2100, [`kfq_domain::validation::YEARS`]) of a query
/// parameter: blank is `None`; anything else out of range is a 422 naming
/// the parameter, never ignored.
pub fn query_year(value: Option<&str>, field: &str) -> AppResult<Option<i32>> {
    kfq_domain::validation::parse_year(value.unwrap_or_default())
        .map_err(|key| AppError::Invalid(FieldErrors::single(field, key)))
}

/// Reads the date forms people type; none if it is not a real date.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    kfq_domain::validation::parse_day(text)
}

/// The field and message key of a body serde could not read. Serde names an
/// unknown or missing field only in its message, so that is where it is
/// taken from; a value of the wrong type is named by its path.
fn field_error(err: &serde_path_to_error::Error<serde_json::Error>) -> (String, &'static str) {
    let message = err.inner().to_string();
    let path = err.path().to_string();
    // The path ends at the unknown field itself, or at the struct missing one.
    let within = |name: &str| {
        if path == "." {
            name.to_owned()
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path.clone()
        } else {
            format!("{path}.{name}")
        }
    };
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(within)
    };
    if let Some(field) = named("unknown field `") {
        return (field, "error.field.unknown");
    }
    if let Some(field) = named("missing field `") {
        return (field, "error.required");
    }
    let field = if path == "." { "body".to_owned() } else { path };
    // Whole numbers keep the message the parse functions give them.
    let expected = message.rsplit(", expected ").next().unwrap_or_default();
    let whole_number = expected.len() > 1
        && expected.starts_with(['i', 'u'])
        && expected[1..].bytes().all(|b| b.is_ascii_digit());
    if whole_number {
        (field, "error.number")
    } else {
        (field, "error.field.type")
    }
}

/// Whether the request says its body is JSON, and the body.
async fn body_of<S: Send + Sync>(req: Request, state: &S) -> Result<(bool, Bytes), AppError> {
    let is_json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let bytes = Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(MAX_BODY)
        } else {
            AppError::BadRequest(e.body_text())
        }
    })?;
    if bytes.len() > MAX_BODY {
        return Err(AppError::TooLarge(MAX_BODY));
    }
    Ok((is_json, bytes))
}

/// Extracts [`Input`] from a JSON body (by content type) or a form.
impl<S: Send + Sync> FromRequest<S> for Input {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (is_json, bytes) = body_of(req, state).await?;
        if is_json {
            Input::from_json(&bytes)
        } else {
            Input::from_form(&bytes)
        }
    }
}

/// The body of an API route, described in the OpenAPI document by `B`: JSON
/// is read strictly into `B` ([`Input::from_json_as`]); a form is read as for
/// the pages. The handler reads it as the [`Input`] it derefs to.
pub struct Body<B> {
    input: Input,
    _body: PhantomData<fn() -> B>,
}

impl<B> Deref for Body<B> {
    type Target = Input;

    fn deref(&self) -> &Input {
        &self.input
    }
}

impl<S, B> FromRequest<S> for Body<B>
where
    S: Send + Sync,
    B: DeserializeOwned + Serialize,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (is_json, bytes) = body_of(req, state).await?;
        let input = if is_json {
            Input::from_json_as::<B>(&bytes)?
        } else {
            Input::from_form(&bytes)?
        };
        Ok(Body {
            input,
            _body: PhantomData,
        })
    }
}

/// An amount or figure as people write it: text ("1,200.5", "１２００") or a
/// JSON number. It is handed on as text, and parsed as the form's field is.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Text(String),
    Number(serde_json::Number),
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Amount::Text(text) => serializer.serialize_str(text),
            Amount::Number(n) => serializer.serialize_str(&n.to_string()),
        }
    }
}

impl utoipa::PartialSchema for Amount {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .description(Some("Text (\"1,200.5\") or a number."))
            .into()
    }
}

impl utoipa::ToSchema for Amount {}

/// A yes or no: JSON `true`/`false`, or text as a form's checkbox sends it
/// ("on", "true", "1" or "yes" are yes; anything else is no).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

impl utoipa::PartialSchema for Flag {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "true or false; or text as a checkbox sends it (\"on\", \"true\", \"1\" or \"yes\").",
            ))
            .into()
    }
}

impl utoipa::ToSchema for Flag {}

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

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        zone_id: Option<i64>,
        name: Option<String>,
        total: Option<Amount>,
        active: Option<Flag>,
        required: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        year: i32,
    }

    fn field_keys(err: AppError) -> Vec<(String, &'static str)> {
        match err {
            AppError::Invalid(errors) => errors.0.into_iter().map(|e| (e.field, e.key)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_body_is_read_strictly_and_handed_on_as_input() {
        let input = Input::from_json_as::<Sample>(
            br#"{"zone_id": 12, "name": "a", "total": 1200.5, "active": "on", "required": null}"#,
        )
        .unwrap();
        let mut errors = FieldErrors::new();
        assert_eq!(input.int("zone_id", &mut errors), Some(12));
        assert_eq!(input.text("total"), "1200.5");
        assert!(input.flag("active"));
        assert!(!input.has("required"), "null is absent, as in a form");
        assert!(errors.is_empty());
        let text = Input::from_json_as::<Sample>(br#"{"total": "1,200"}"#).unwrap();
        assert_eq!(text.text("total"), "1,200");
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_named_all_at_once() {
        let err = Input::from_json_as::<Sample>(
            br#"{"zone_id": "abc", "surprise": 1, "name": [], "total": {}, "active": 3}"#,
        )
        .unwrap_err();
        let mut keys = field_keys(err);
        keys.sort();
        assert_eq!(
            keys,
            [
                ("active".to_string(), "error.field.type"),
                ("name".to_string(), "error.field.type"),
                ("surprise".to_string(), "error.field.unknown"),
                ("total".to_string(), "error.field.type"),
                ("zone_id".to_string(), "error.number"),
            ]
        );
        let missing = Input::from_json_as::<Strict>(b"{}").unwrap_err();
        assert_eq!(
            field_keys(missing),
            [("year".to_string(), "error.required")]
        );
        let wrong = Input::from_json_as::<Strict>(br#"{"year": []}"#).unwrap_err();
        assert_eq!(field_keys(wrong), [("year".to_string(), "error.number")]);
    }

    #[test]
    fn control_and_bidi_characters_are_refused_naming_the_field() {
        let form = Input::from_form(b"name=a%00b&note=line%0Aline&x=%E2%80%AE").unwrap_err();
        let mut keys = field_keys(form);
        keys.sort();
        assert_eq!(
            keys,
            [
                ("name".to_string(), "error.control_chars"),
                ("x".to_string(), "error.control_chars"),
            ]
        );
        let json = Input::from_json_as::<Sample>(br#"{"name": "a\u0000", "zone_id": 1}"#);
        assert_eq!(
            field_keys(json.unwrap_err()),
            [("name".to_string(), "error.control_chars")]
        );
        let nested = Input::from_json(br#"{"rows": [{"note": "\u001b"}]}"#).unwrap_err();
        assert_eq!(
            field_keys(nested),
            [("rows[0].note".to_string(), "error.control_chars")]
        );
        let lines = Input::from_json(br#"{"note": "a\r\n\tb"}"#).unwrap();
        assert_eq!(lines.text("note"), "a\r\n\tb");
    }

    #[test]
    fn years_are_checked_once() {
        let input = Input::from_form(b"a=-5&b=99999&c=2024&d=&e=x").unwrap();
        let mut errors = FieldErrors::new();
        assert_eq!(input.opt_year("a", &mut errors), None);
        assert_eq!(input.opt_year("b", &mut errors), None);
        assert_eq!(input.opt_year("c", &mut errors), Some(2024));
        assert_eq!(input.opt_year("d", &mut errors), None);
        assert_eq!(input.year("d", &mut errors), None);
        assert_eq!(input.year("e", &mut errors), None);
        let keys: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.key)).collect();
        assert_eq!(
            keys,
            [
                ("a", "error.year"),
                ("b", "error.year"),
                ("d", "error.required"),
                ("e", "error.year")
            ]
        );
        assert!(query_year(Some("-5"), "year").is_err());
        assert_eq!(query_year(None, "year").unwrap(), None);
    }

    #[test]
    fn non_objects_are_refused() {
        assert!(Input::from_json(b"[1,2]").is_err());
        assert!(Input::from_json(b"{not json").is_err());
    }
}
