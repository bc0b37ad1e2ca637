//! Cell values and how each kind of ledger value is read from them: money to
//! exact yuan, land to hundredths of a 亩, floor area to square metres, counts,
//! dates as people type them, yes/no marks and the coded enums. Every function
//! here is pure and returns the reason in Chinese when a value cannot be read.
//!
//! Numbers are never carried as floating point: a numeric cell becomes the
//! decimal text Excel shows (the shortest text that reads back as the same
//! double, cut to Excel's 15 significant digits) and is then scaled exactly.

mod codes;
mod dates;
mod figures;
mod flags;
mod numbers;
mod texts;

use std::borrow::Cow;

use chrono::NaiveDate;

use numbers::number_text;

pub(crate) use codes::{category, category_of, nature, nature_of, project_code, stage};
pub(crate) use dates::date;
pub use dates::LedgerDate;
pub use figures::Approx;
pub(crate) use figures::{count, floor_area, land, money};
pub(crate) use flags::flag;
pub(crate) use numbers::Decimal;
pub(crate) use texts::{name, text, text_line};

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    /// A numeric cell, as exact decimal text ("1.23", "45123", "-0.5").
    Number(String),
    /// A cell Excel formats as a date.
    Date(NaiveDate),
    Bool(bool),
    /// "#N/A", "#DIV/0!"...
    Error(String),
}

impl Cell {
    pub(crate) fn from_f64(value: f64) -> Cell {
        match number_text(value) {
            Some(text) => Cell::Number(text),
            None => Cell::Error(format!("{value}")),
        }
    }

    /// Nothing at all (a dash still counts as content for layout purposes).
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => crate::text::is_blank(t),
            _ => false,
        }
    }

    /// The cell as text, as the sheet shows it.
    pub(crate) fn display(&self) -> String {
        self.display_str().into_owned()
    }

    /// [`Cell::display`] without copying a text cell: the row walk looks at
    /// every cell several times and most of them are texts.
    pub(crate) fn display_str(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(t) => Cow::Borrowed(crate::text::trim(t)),
            Cell::Number(n) => Cow::Borrowed(n),
            Cell::Date(d) => Cow::Owned(d.to_string()),
            Cell::Bool(true) => Cow::Borrowed("TRUE"),
            Cell::Bool(false) => Cow::Borrowed("FALSE"),
            Cell::Error(e) => Cow::Borrowed(e),
        }
    }
}

/// A parsed value with an optional remark for the user (not an error).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed<T> {
    pub value: T,
    pub warning: Option<String>,
}

impl<T> Parsed<T> {
    fn plain(value: T) -> Parsed<T> {
        Parsed {
            value,
            warning: None,
        }
    }
}

pub(crate) type Outcome<T> = Result<Option<Parsed<T>>, String>;
