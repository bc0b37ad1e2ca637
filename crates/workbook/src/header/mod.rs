//! Header matching: from the text of a header cell (or of a two-row header,
//! parent and child joined) to a ledger field with a confidence, plus what the
//! header says about units ("总投资（亿元）"), the year ("2023年计划投资") and the
//! months covered ("1-6月完成投资"). Also the catalogue of known header
//! variants shown on the page where users confirm a mapping.

mod classify;
mod parse;
mod sections;
mod variants;

use crate::field::{Field, Unit};

pub(crate) use classify::{classify, may_name_a_field};
pub(crate) use parse::{header_core, parse_header, take_months, take_year, unit_word};
pub(crate) use sections::section_number;
pub use variants::{header_variants, HeaderVariants};

/// Confidence when the header, stripped of units, years and month ranges, is a
/// known variant.
pub const EXACT: u8 = 100;
/// Confidence when the header contains a distinctive key word of the field.
pub const LIKELY: u8 = 80;
/// Confidence when the header only resembles the field.
pub const GUESS: u8 = 60;

/// What a header cell says, taken apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HeaderText {
    /// As shown, on one line.
    pub shown: String,
    /// Without blanks, units, year and month range: what is matched.
    pub core: String,
    pub unit: Option<Unit>,
    pub year: Option<i32>,
    /// Months covered, e.g. (1, 6) for "1-6月".
    pub months: Option<(u8, u8)>,
}

/// A field proposed for a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub field: Field,
    pub confidence: u8,
}
