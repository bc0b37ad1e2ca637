//! Generic page shapes — a list with filters, an object's fields, a form — so
//! every resource looks and behaves the same and its module only says what to
//! show. Labels arrive already translated.

use std::collections::HashMap;

use askama::Template;
use kfq_domain::FieldErrors;

use crate::error::field_messages;
use crate::layout::PageContext;

/// One table cell, optionally a link.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub class: &'static str,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: None,
            class: "",
        }
    }

    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: Some(href.into()),
            class: "",
        }
    }

    pub fn class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text,
    /// A day, picked from a calendar (YYYY-MM-DD).
    Date,
    Password,
    Hidden,
    Checkbox,
    /// Options as (value, label).
    Select(Vec<(String, String)>),
    /// Several of the options as (value, label); the value is the chosen
    /// ones joined by commas, posted as `name[]` once each.
    Multi(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    pub error: Option<String>,
    pub required: bool,
    /// Shown only when the unit kind is "zone" (see app.js).
    pub zone_only: bool,
}

impl Field {
    pub fn new(name: &'static str, label: &str, kind: FieldKind) -> Self {
        Self {
            name,
            label: label.to_owned(),
            kind,
            value: String::new(),
            error: None,
            required: false,
            zone_only: false,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn zone_only(mut self) -> Self {
        self.zone_only = true;
        self
    }

    pub fn is_select(&self) -> bool {
        matches!(self.kind, FieldKind::Select(_))
    }

    pub fn options(&self) -> &[(String, String)] {
        match &self.kind {
            FieldKind::Select(options) | FieldKind::Multi(options) => options,
            _ => &[],
        }
    }

    pub fn is_multi(&self) -> bool {
        matches!(self.kind, FieldKind::Multi(_))
    }

    /// Whether `value` is among a multiple choice's chosen ones.
    pub fn chosen(&self, value: &str) -> bool {
        self.value.split(',').any(|v| v.trim() == value)
    }

    pub fn input_type(&self) -> &'static str {
        match self.kind {
            FieldKind::Password => "password",
            FieldKind::Hidden => "hidden",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Date => "date",
            _ => "text",
        }
    }

    pub fn is_checkbox(&self) -> bool {
        matches!(self.kind, FieldKind::Checkbox)
    }

    pub fn is_hidden(&self) -> bool {
        matches!(self.kind, FieldKind::Hidden)
    }

    pub fn checked(&self) -> bool {
        matches!(self.value.as_str(), "on" | "true" | "1")
    }
}

/// A form's fields filled from values and, after a refused submit, errors.
pub struct FormFields {
    pub fields: Vec<Field>,
}

impl FormFields {
    pub fn new(fields: Vec<Field>) -> Self {
        Self { fields }
    }

    pub fn fill(mut self, values: &HashMap<&str, String>) -> Self {
        for field in &mut self.fields {
            if let Some(value) = values.get(field.name) {
                field.value.clone_from(value);
            }
        }
        self
    }

    pub fn errors(mut self, errors: &FieldErrors, page: &PageContext) -> Self {
        for message in field_messages(errors, page.catalog) {
            if let Some(field) = self.fields.iter_mut().find(|f| f.name == message.field) {
                field.error = Some(message.message);
            }
        }
        self
    }
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListView {
    pub page: PageContext,
    pub title: String,
    pub new_href: Option<String>,
    pub filters: Vec<Field>,
    pub filter_action: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// What an empty list says when no filter is set: what the list holds and how to start it.
    pub empty: String,
    pub total: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

impl ListView {
    fn header(&self, column: &usize) -> &str {
        self.headers.get(*column).map_or("", String::as_str)
    }

    fn head_class(&self, column: &usize) -> &'static str {
        head_class(&self.rows, *column)
    }

    /// An empty list under a filter says so and offers to clear it, not to create.
    fn filtered(&self) -> bool {
        self.filters.iter().any(|f| !f.value.is_empty())
    }
}

#[derive(Template)]
#[template(path = "show.html")]
pub struct ShowView {
    pub page: PageContext,
    pub title: String,
    pub subtitle: String,
    pub rows: Vec<(String, Cell)>,
    pub edit_href: Option<String>,
    pub delete_action: Option<String>,
    pub version: i64,
    pub history_href: String,
    pub related: Vec<Related>,
}

/// A table of related objects on an object's page.
pub struct Related {
    pub title: String,
    pub new_href: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Related {
    /// A column's heading, repeated beside each cell on a phone.
    pub fn header(&self, column: &usize) -> &str {
        self.headers.get(*column).map_or("", String::as_str)
    }

    /// A column's heading sits as its figures do: right for numbers.
    pub fn head_class(&self, column: &usize) -> &'static str {
        head_class(&self.rows, *column)
    }
}

/// "num" when the column's first cell holds a number.
fn head_class(rows: &[Vec<Cell>], column: usize) -> &'static str {
    match rows.first().and_then(|row| row.get(column)) {
        Some(cell) if cell.class.split(' ').any(|c| c == "num") => "num",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormView {
    pub page: PageContext,
    pub title: String,
    pub action: String,
    pub fields: Vec<Field>,
    pub cancel_href: String,
    pub message: Option<String>,
}

/// What a form page is: its heading, where it posts, where cancel goes.
pub struct FormHeading {
    pub title: String,
    pub action: String,
    pub cancel: String,
}

impl FormView {
    /// The form filled with `values`, each refused field marked with its
    /// message: 200 when fresh, 422 when it comes back refused.
    pub fn answer(
        page: PageContext,
        heading: FormHeading,
        fields: FormFields,
        values: &HashMap<&str, String>,
        errors: Option<&FieldErrors>,
    ) -> crate::error::AppResult<axum::response::Response> {
        use axum::response::IntoResponse;
        let mut fields = fields.fill(values);
        if let Some(errors) = errors {
            fields = fields.errors(errors, &page);
        }
        let view = FormView {
            title: heading.title,
            action: heading.action,
            fields: fields.fields,
            cancel_href: heading.cancel,
            message: errors.map(|_| page.t("error.invalid").to_owned()),
            page,
        };
        let status = match errors {
            Some(_) => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            None => axum::http::StatusCode::OK,
        };
        Ok((status, crate::layout::render(&view)?).into_response())
    }
}

/// Pages of a list: `?page=N`, 50 a page.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub fn from_query(page: Option<&str>, per_page: Option<&str>) -> Self {
        let page = page
            .and_then(|p| p.parse().ok())
            .filter(|p: &i64| *p >= 1)
            .unwrap_or(1);
        let per_page = per_page
            .and_then(|p| p.parse().ok())
            .unwrap_or(50_i64)
            .clamp(1, 500);
        Self { page, per_page }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// Links to the neighbouring pages, keeping the other query parameters.
    pub fn links(
        &self,
        base: &str,
        query: &[(&str, String)],
        total: i64,
    ) -> (Option<String>, Option<String>) {
        let href = |page: i64| {
            let mut pairs: Vec<(&str, String)> = query
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .cloned()
                .collect();
            pairs.push(("page", page.to_string()));
            format!(
                "{base}?{}",
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        };
        let prev = (self.page > 1).then(|| href(self.page - 1));
        let next = (self.offset() + self.per_page < total).then(|| href(self.page + 1));
        (prev, next)
    }
}

/// A chart as a page shows it: the server's SVG (what prints, and what
/// screen readers read) and the same chart as an ECharts option, which
/// app.js draws interactively in its place on screen.
pub fn bar_figure(chart: &kfq_charts::BarChart) -> String {
    figure(
        kfq_charts::bar_chart(chart),
        kfq_charts::echarts::bar_option(chart),
    )
}

/// A trend as [`bar_figure`] does a ranking.
pub fn line_figure(chart: &kfq_charts::LineChart) -> String {
    figure(
        kfq_charts::line_chart(chart),
        kfq_charts::echarts::line_option(chart),
    )
}

fn figure(svg: String, option: serde_json::Value) -> String {
    format!(
        "<figure class=\"chart\" data-echarts=\"{}\"><div class=\"chart-live\" aria-hidden=\"true\"></div><div class=\"chart-svg\">{svg}</div></figure>",
        attribute(&option.to_string())
    )
}

/// Text made safe inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_links_keep_the_filter() {
        let paging = Paging::from_query(Some("2"), None);
        assert_eq!(paging.offset(), 50);
        let (prev, next) = paging.links(
            "/orgs",
            &[("q", "临汾".into()), ("kind", String::new())],
            120,
        );
        assert_eq!(prev.as_deref(), Some("/orgs?q=%E4%B8%B4%E6%B1%BE&page=1"));
        assert_eq!(next.as_deref(), Some("/orgs?q=%E4%B8%B4%E6%B1%BE&page=3"));
        let (_, none) = Paging::from_query(Some("3"), None).links("/orgs", &[], 120);
        assert!(none.is_none());
        assert_eq!(Paging::from_query(Some("-4"), Some("100000")).per_page, 500);
    }
}
