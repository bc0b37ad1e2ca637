//! A project's editable fields, defined once. The table [`FIELDS`] names each
//! field's key (in forms, the API and errors), its column, its catalogue label
//! and its kind; storage builds its column lists and binds from it, the form
//! lays itself out from it, and typed text (a form, a JSON body) is read
//! through it. [`ProjectInput`] is the parsed value; [`ProjectInput::stored`]
//! and [`ProjectInput::from_stored`] are the one place a key meets a struct
//! field.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::money::{Money, Mu};
use crate::project::{parse_project_code, Category, Nature};
use crate::validation::{optional_text, required_text, FieldErrors};

/// What a field holds and how it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The zone the project belongs to (required).
    Zone,
    /// Another row of the zone, by id: an enterprise, a chain, a person, a department.
    Reference,
    /// Text up to so many characters.
    Text(usize),
    /// One code of a `code_enum!` family (required).
    Code(&'static str),
    /// An amount typed in 万元, stored in yuan, not negative.
    MoneyWan,
    /// Land typed in 亩, stored in hundredths.
    Mu,
    /// A whole number, not negative.
    Count,
    /// A yes/no box.
    Flag,
    /// A day.
    Day,
    /// 项目代码 of the national approval platform.
    ProjectCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectField {
    /// Key in forms, API bodies and field errors.
    pub key: &'static str,
    /// Column of `projects`.
    pub column: &'static str,
    /// Catalogue key of its label.
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn field(
    key: &'static str,
    column: &'static str,
    label: &'static str,
    kind: Kind,
) -> ProjectField {
    ProjectField {
        key,
        column,
        label,
        kind,
        required: false,
    }
}

const fn required(mut f: ProjectField) -> ProjectField {
    f.required = true;
    f
}

/// Every editable field, in the order the form shows them.
pub const FIELDS: &[ProjectField] = &[
    required(field("zone_id", "zone_id", "project.zone", Kind::Zone)),
    required(field("name", "name", "project.name", Kind::Text(100))),
    field(
        "enterprise_id",
        "enterprise_id",
        "project.enterprise",
        Kind::Reference,
    ),
    field("investor", "investor", "project.investor", Kind::Text(100)),
    required(field(
        "category",
        "category",
        "project.category",
        Kind::Code("Category"),
    )),
    required(field(
        "nature",
        "nature",
        "project.nature",
        Kind::Code("Nature"),
    )),
    field(
        "industry_chain_id",
        "industry_chain_id",
        "project.industry_chain",
        Kind::Reference,
    ),
    required(field(
        "total_investment",
        "total_investment",
        "project.total_investment_wan",
        Kind::MoneyWan,
    )),
    field("land_mu", "land_mu_hundredths", "project.land_mu", Kind::Mu),
    field(
        "floor_area_m2",
        "floor_area_m2",
        "project.floor_area_m2",
        Kind::Count,
    ),
    field(
        "construction_content",
        "construction_content",
        "project.construction_content",
        Kind::Text(2000),
    ),
    field(
        "annual_output",
        "annual_output",
        "project.annual_output_wan",
        Kind::MoneyWan,
    ),
    field(
        "annual_tax",
        "annual_tax",
        "project.annual_tax_wan",
        Kind::MoneyWan,
    ),
    field("jobs", "jobs", "project.jobs", Kind::Count),
    field("registered", "registered", "project.registered", Kind::Flag),
    field(
        "registered_on",
        "registered_on",
        "project.registered_on",
        Kind::Day,
    ),
    field(
        "liaison_user_id",
        "liaison_user_id",
        "project.liaison",
        Kind::Reference,
    ),
    field(
        "department_id",
        "department_id",
        "project.department",
        Kind::Reference,
    ),
    field(
        "task_force",
        "task_force",
        "project.task_force",
        Kind::Text(500),
    ),
    field(
        "project_code",
        "project_code",
        "project.project_code",
        Kind::ProjectCode,
    ),
];

/// The codes of a [`Kind::Code`] family, in their order.
pub fn codes(family: &str) -> Vec<&'static str> {
    match family {
        "Category" => Category::ALL.iter().map(|c| c.code()).collect(),
        "Nature" => Nature::ALL.iter().map(|c| c.code()).collect(),
        other => unreachable!("not a project code family: {other}"),
    }
}

/// A field as a column holds it: the two kinds of value both databases share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Int(Option<i64>),
    Text(Option<String>),
}

/// A project's editable fields, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInput {
    pub zone_id: i64,
    pub name: String,
    pub enterprise_id: Option<i64>,
    pub investor: Option<String>,
    pub category: Category,
    pub nature: Nature,
    pub industry_chain_id: Option<i64>,
    pub total_investment: Money,
    pub land: Option<Mu>,
    pub floor_area_m2: Option<i64>,
    pub construction_content: Option<String>,
    pub annual_output: Option<Money>,
    pub annual_tax: Option<Money>,
    pub jobs: Option<i64>,
    pub registered: bool,
    pub registered_on: Option<NaiveDate>,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub task_force: Option<String>,
    pub project_code: Option<String>,
}

impl ProjectInput {
    /// The value of `key` as its column holds it.
    pub fn stored(&self, key: &str) -> Stored {
        use Stored::{Int, Text};
        let money = |m: Option<Money>| Int(m.map(Money::yuan));
        match key {
            "zone_id" => Int(Some(self.zone_id)),
            "name" => Text(Some(self.name.clone())),
            "enterprise_id" => Int(self.enterprise_id),
            "investor" => Text(self.investor.clone()),
            "category" => Text(Some(self.category.code().to_owned())),
            "nature" => Text(Some(self.nature.code().to_owned())),
            "industry_chain_id" => Int(self.industry_chain_id),
            "total_investment" => money(Some(self.total_investment)),
            "land_mu" => Int(self.land.map(Mu::hundredths)),
            "floor_area_m2" => Int(self.floor_area_m2),
            "construction_content" => Text(self.construction_content.clone()),
            "annual_output" => money(self.annual_output),
            "annual_tax" => money(self.annual_tax),
            "jobs" => Int(self.jobs),
            "registered" => Int(Some(i64::from(self.registered))),
            "registered_on" => Text(self.registered_on.map(|d| d.to_string())),
            "liaison_user_id" => Int(self.liaison_user_id),
            "department_id" => Int(self.department_id),
            "task_force" => Text(self.task_force.clone()),
            "project_code" => Text(self.project_code.clone()),
            other => unreachable!("not a project field: {other}"),
        }
    }

    /// The input from stored values by key (as [`ProjectInput::parse`] makes
    /// them); a key that is absent or malformed takes its empty value.
    pub fn from_stored(values: &HashMap<&str, Stored>) -> ProjectInput {
        let int = |k: &str| match values.get(k) {
            Some(Stored::Int(v)) => *v,
            _ => None,
        };
        let text = |k: &str| match values.get(k) {
            Some(Stored::Text(v)) => v.clone(),
            _ => None,
        };
        let money = |k: &str| int(k).map(Money::from_yuan);
        let code = |k: &str| text(k).unwrap_or_default();
        ProjectInput {
            zone_id: int("zone_id").unwrap_or_default(),
            name: text("name").unwrap_or_default(),
            enterprise_id: int("enterprise_id"),
            investor: text("investor"),
            category: Category::from_code(&code("category")).unwrap_or(Category::Industrial),
            nature: Nature::from_code(&code("nature")).unwrap_or(Nature::New),
            industry_chain_id: int("industry_chain_id"),
            total_investment: money("total_investment").unwrap_or_default(),
            land: int("land_mu").map(Mu::from_hundredths),
            floor_area_m2: int("floor_area_m2"),
            construction_content: text("construction_content"),
            annual_output: money("annual_output"),
            annual_tax: money("annual_tax"),
            jobs: int("jobs"),
            registered: int("registered").is_some_and(|v| v != 0),
            registered_on: text("registered_on")
                .and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()),
            liaison_user_id: int("liaison_user_id"),
            department_id: int("department_id"),
            task_force: text("task_force"),
            project_code: text("project_code"),
        }
    }

    /// Reads typed text (a form, or a JSON body taken as text) field by field:
    /// every bad field becomes a field error under its key.
    pub fn parse(text: impl Fn(&str) -> String) -> Result<ProjectInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut values = HashMap::new();
        for f in FIELDS {
            if let Some(value) = parse_one(f, &text(f.key), &mut errors) {
                values.insert(f.key, value);
            }
        }
        errors
            .into_result()
            .map(|_| ProjectInput::from_stored(&values))
    }

    /// The value of `key` as a form shows it for editing.
    pub fn text(&self, key: &str) -> String {
        let kind = FIELDS
            .iter()
            .find(|f| f.key == key)
            .map_or(Kind::Text(0), |f| f.kind);
        match (kind, self.stored(key)) {
            (_, Stored::Int(None) | Stored::Text(None)) => String::new(),
            (Kind::MoneyWan, Stored::Int(Some(y))) => Money::from_yuan(y).wan_string(),
            (Kind::Mu, Stored::Int(Some(h))) => Mu::from_hundredths(h).to_string(),
            (Kind::Flag, Stored::Int(Some(v))) => if v != 0 { "on" } else { "" }.to_owned(),
            (_, Stored::Int(Some(v))) => v.to_string(),
            (_, Stored::Text(Some(t))) => t,
        }
    }
}

/// One field's text as its kind reads it; `None` for blank (or bad, with an error).
fn parse_one(f: &ProjectField, raw: &str, errors: &mut FieldErrors) -> Option<Stored> {
    let key = f.key;
    let blank = raw.trim().is_empty();
    if blank && f.required && !matches!(f.kind, Kind::Text(_) | Kind::MoneyWan) {
        errors.add(key, "error.required");
        return None;
    }
    let int = |v: i64| Some(Stored::Int(Some(v)));
    let text = |v: String| Some(Stored::Text(Some(v)));
    match f.kind {
        Kind::Text(max) if f.required => errors.check(key, required_text(raw, max)).and_then(text),
        Kind::Text(max) => errors
            .check(key, optional_text(raw, max))
            .flatten()
            .and_then(text),
        Kind::MoneyWan if f.required => errors
            .check(key, Money::parse_wan_non_negative(raw))
            .and_then(|m| int(m.yuan())),
        _ if blank => None,
        Kind::Zone | Kind::Reference => match raw.trim().parse() {
            Ok(n) => int(n),
            Err(_) => {
                errors.add(key, "error.number");
                None
            }
        },
        Kind::Count => match raw.trim().parse::<i64>() {
            Ok(n) if n >= 0 => int(n),
            Ok(_) => {
                errors.add(key, "error.number.range");
                None
            }
            Err(_) => {
                errors.add(key, "error.number");
                None
            }
        },
        Kind::Code(family) => match codes(family).into_iter().find(|c| *c == raw.trim()) {
            Some(code) => text(code.to_owned()),
            None => {
                errors.add(key, "error.choice");
                None
            }
        },
        Kind::MoneyWan => errors
            .check(key, Money::parse_wan_non_negative(raw))
            .and_then(|m| int(m.yuan())),
        Kind::Mu => errors
            .check(key, Mu::parse(raw))
            .and_then(|m| int(m.hundredths())),
        Kind::Flag => int(i64::from(matches!(raw.trim(), "on" | "true" | "1" | "yes"))),
        Kind::Day => match crate::validation::parse_day(raw) {
            Some(d) => text(d.to_string()),
            None => {
                errors.add(key, "error.date");
                None
            }
        },
        Kind::ProjectCode => errors
            .check(key, parse_project_code(raw))
            .flatten()
            .and_then(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ProjectInput {
        ProjectInput {
            zone_id: 12,
            name: "年产10万吨新材料项目".into(),
            enterprise_id: Some(3),
            investor: Some("临汾某新材料有限公司".into()),
            category: Category::Industrial,
            nature: Nature::Continuing,
            industry_chain_id: Some(5),
            total_investment: Money::parse_wan("180000.5").unwrap(),
            land: Some(Mu::parse("126.5").unwrap()),
            floor_area_m2: Some(52_000),
            construction_content: Some("新建生产车间".into()),
            annual_output: Some(Money::from_wan(300_000)),
            annual_tax: Some(Money::from_wan(12_000)),
            jobs: Some(450),
            registered: true,
            registered_on: NaiveDate::from_ymd_opt(2024, 3, 1),
            liaison_user_id: Some(7),
            department_id: Some(8),
            task_force: Some("专班".into()),
            project_code: Some("2304-140800-89-01-123456".into()),
        }
    }

    #[test]
    fn every_field_is_read_back_as_the_form_shows_it() {
        let p = sample();
        let parsed = ProjectInput::parse(|k| p.text(k)).unwrap();
        assert_eq!(parsed, p);
        let by_key: HashMap<&str, Stored> =
            FIELDS.iter().map(|f| (f.key, p.stored(f.key))).collect();
        assert_eq!(ProjectInput::from_stored(&by_key), p);
    }

    #[test]
    fn keys_and_columns_are_unique() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in &FIELDS[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.column, b.column);
            }
        }
    }

    #[test]
    fn bad_text_is_an_error_under_its_key() {
        let typed = HashMap::from([
            ("zone_id", "十二"),
            ("name", ""),
            ("category", "farm"),
            ("nature", "new"),
            ("total_investment", "-5"),
            ("land_mu", "1.234"),
            ("jobs", "-1"),
            ("registered_on", "2024-02-30"),
            ("project_code", "ab"),
        ]);
        let errors = ProjectInput::parse(|k| typed.get(k).unwrap_or(&"").to_string()).unwrap_err();
        let got: Vec<(&str, &str)> = errors.0.iter().map(|e| (e.field.as_str(), e.key)).collect();
        assert_eq!(
            got,
            [
                ("zone_id", "error.number"),
                ("name", "error.required"),
                ("category", "error.choice"),
                ("total_investment", "error.money.negative"),
                ("land_mu", got[4].1),
                ("jobs", "error.number.range"),
                ("registered_on", "error.date"),
                ("project_code", "error.project_code"),
            ]
        );
    }

    #[test]
    fn blanks_are_none_and_flags_read_as_typed() {
        let typed = HashMap::from([
            ("zone_id", "1"),
            ("name", "甲"),
            ("category", "social"),
            ("nature", "new"),
            ("total_investment", "１２００"),
            ("registered", "true"),
        ]);
        let p = ProjectInput::parse(|k| typed.get(k).unwrap_or(&"").to_string()).unwrap();
        assert_eq!(p.total_investment, Money::from_wan(1200));
        assert!(p.registered);
        assert_eq!(
            (p.land, p.jobs, p.investor, p.registered_on),
            (None, None, None, None)
        );
        let off = ProjectInput::parse(|k| {
            if k == "registered" {
                "".into()
            } else {
                typed.get(k).unwrap_or(&"").to_string()
            }
        })
        .unwrap();
        assert!(!off.registered);
    }
}
