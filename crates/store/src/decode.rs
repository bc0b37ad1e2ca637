//! Typed columns. The runtime-generic driver reads only integers and text, so
//! codes, days, flags and amounts are turned into their domain types here, once,
//! and a value the domain does not know is a decode error naming its column —
//! never a silent default.

use chrono::NaiveDate;
use kfq_domain::{Coded, Money, Mu};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, thiserror::Error)]
#[error("{column}: not a known value: {value:?}")]
struct Unknown {
    column: String,
    value: String,
}

fn unknown(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(Unknown {
            column: column.to_owned(),
            value: value.to_owned(),
        }),
    }
}

/// A `code_enum!` stored as its code.
pub(crate) fn code<T: Coded>(row: &AnyRow, column: &str) -> sqlx::Result<T> {
    let text: String = row.try_get(column)?;
    T::from_code(&text).ok_or_else(|| unknown(column, &text))
}

pub(crate) fn opt_code<T: Coded>(row: &AnyRow, column: &str) -> sqlx::Result<Option<T>> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| T::from_code(&t).ok_or_else(|| unknown(column, &t)))
        .transpose()
}

fn day(column: &str, text: &str) -> sqlx::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| unknown(column, text))
}

/// A day stored as `YYYY-MM-DD`.
pub(crate) fn date(row: &AnyRow, column: &str) -> sqlx::Result<NaiveDate> {
    let text: String = row.try_get(column)?;
    day(column, &text)
}

pub(crate) fn opt_date(row: &AnyRow, column: &str) -> sqlx::Result<Option<NaiveDate>> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| day(column, &t)).transpose()
}

/// A flag stored as 0/1 (SQLite has no boolean).
pub(crate) fn flag(row: &AnyRow, column: &str) -> sqlx::Result<bool> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Yuan.
pub(crate) fn money(row: &AnyRow, column: &str) -> sqlx::Result<Money> {
    Ok(Money::from_yuan(row.try_get(column)?))
}

pub(crate) fn opt_money(row: &AnyRow, column: &str) -> sqlx::Result<Option<Money>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Money::from_yuan))
}

/// Hundredths of a 亩.
pub(crate) fn opt_mu(row: &AnyRow, column: &str) -> sqlx::Result<Option<Mu>> {
    Ok(row
        .try_get::<Option<i64>, _>(column)?
        .map(Mu::from_hundredths))
}

/// A JSON document stored as text.
pub(crate) fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> sqlx::Result<T> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|_| unknown(column, &text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kfq_domain::Stage;

    #[test]
    fn an_unknown_code_names_its_column() {
        let error = unknown("stage", "flying");
        assert!(error.to_string().contains("stage"), "{error}");
        assert_eq!(<Stage as Coded>::from_code("flying"), None);
        assert_eq!(<Stage as Coded>::from_code("signed"), Some(Stage::Signed));
        assert!(day("on_date", "2024-02-30").is_err());
        assert_eq!(
            day("on_date", "2024-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }
}
