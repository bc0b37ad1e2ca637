//! The spreadsheet library's values as [`Cell`]s.

use calamine::{Data, DataRef, ExcelDateTime};
use chrono::NaiveDate;

use crate::value::Cell;

pub(super) fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => Cell::from_f64(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

pub(super) fn cell_of_ref(data: &DataRef) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Int(i) => Cell::Number(i.to_string()),
        DataRef::Float(f) => Cell::from_f64(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_cell(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn text_cell(text: &str) -> Cell {
    match crate::text::is_blank(text) {
        true => Cell::Empty,
        false => Cell::Text(text.to_string()),
    }
}

fn date_cell(dt: &ExcelDateTime) -> Cell {
    // Days 1 to 2958465 are 1900-01-01 to 9999-12-31; anything else is
    // not a date whatever its format says.
    if dt.is_datetime() && (1.0..2_958_466.0).contains(&dt.as_f64()) {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32) {
            return Cell::Date(date);
        }
    }
    Cell::from_f64(dt.as_f64())
}
