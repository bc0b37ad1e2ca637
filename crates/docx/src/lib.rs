//! Word (.docx) documents in the shape of a government bulletin (通报), set
//! as GB/T 9704-2012 (党政机关公文格式) asks as far as a generated file can:
//! A4 with 37/35/28/26 mm margins, the title in 方正小标宋简体 二号, headings
//! numbered 一、（一）1.（1）in 黑体 / 楷体_GB2312 / 仿宋_GB2312 三号, body text
//! in 仿宋_GB2312 三号 on a 22-line page, tables in 仿宋_GB2312 五号 with the
//! header repeated on every page, and page numbers "— 1 —" outside on odd
//! and even pages. Also a reader of such files, for tests.
//!
//! This crate owns the document layer only: it takes text and figures already
//! formatted and knows nothing of ledgers, storage or HTTP.
//!
//! The package is written directly as OOXML with `zip` and `quick-xml`
//! rather than through `docx-rs`. That crate is maintained and covers
//! east-asian fonts, margins, merged cells and page-number fields, but it
//! cannot mark a table row as a repeated header (`w:tblHeader`), which long
//! ledger tables need, and it would bring second copies of `zip` and
//! `quick-xml` into the workspace. What a bulletin needs is a dozen
//! elements; writing them here keeps every font and measurement visible.
//!
//! ```
//! use kfq_docx::{Cell, Column, Document, Table};
//! use chrono::NaiveDate;
//!
//! let bytes = Document::new("临汾经济开发区2024年6月重点项目推进情况通报")
//!     .issuer("临汾经济开发区管理委员会")
//!     .date(NaiveDate::from_ymd_opt(2024, 7, 5).unwrap())
//!     .heading(1, "总体情况")
//!     .paragraph("1—6月，全区32个重点项目累计完成投资18.60亿元。")
//!     .table(
//!         Table::new([Column::center(1), Column::left(5), Column::right(2)])
//!             .header_row(["序号", "项目名称", "完成投资"])
//!             .row(["1", "年产10万吨再生铝项目", "6.25"]),
//!     )
//!     .to_bytes();
//! let read = kfq_docx::read_back(&bytes).unwrap();
//! assert_eq!(read.paragraphs[1], ("Heading1".to_string(), "一、总体情况".to_string()));
//! ```

mod numeral;
mod read;
mod style;
mod table;
mod write;

use chrono::{Datelike, NaiveDate};

pub use numeral::{chinese_numeral, heading_label};
pub use read::{read_back, read_part, ReadDocument};
pub use table::{Align, Cell, Column, Table};

/// What can go wrong reading a .docx back.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not a readable .docx package: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot read part of the package: {0}")]
    Io(#[from] std::io::Error),
    #[error("malformed XML in the package: {0}")]
    Xml(#[from] quick_xml::Error),
}

// quick-xml reports attribute and encoding faults as types of their own.
impl From<quick_xml::events::attributes::AttrError> for Error {
    fn from(error: quick_xml::events::attributes::AttrError) -> Self {
        Error::Xml(error.into())
    }
}

impl From<quick_xml::encoding::EncodingError> for Error {
    fn from(error: quick_xml::encoding::EncodingError) -> Self {
        Error::Xml(error.into())
    }
}

/// A bulletin being built: title block, numbered headings, paragraphs and
/// tables in order, and the closing (issuer and date).
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub(crate) title: String,
    pub(crate) subtitle: Option<String>,
    pub(crate) addressee: Option<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) blocks: Vec<Block>,
    /// Headings so far at levels 1–4; a heading restarts the levels below it.
    counters: [u32; 4],
}

#[derive(Debug, Clone)]
pub(crate) enum Block {
    Heading { level: u8, text: String },
    Paragraph(String),
    Table(Table),
}

impl Document {
    /// A document with this title; a `\n` in the title breaks the line there.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// A line centred under the title, such as an issue number
    /// （2024年第6期） or a document number (临开管发〔2024〕12号).
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// The addressee line (主送机关) after the title, e.g. "各部门、各园区：".
    pub fn addressee(mut self, addressee: impl Into<String>) -> Self {
        self.addressee = Some(addressee.into());
        self
    }

    /// The issuing body (发文机关署名), signed at the end above the date.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// The date of the document, written 2024年7月5日 at the end.
    pub fn date(self, date: NaiveDate) -> Self {
        self.date_text(format_date(date))
    }

    /// The date line as given, for dates that are not a single day.
    pub fn date_text(mut self, date: impl Into<String>) -> Self {
        self.date = Some(date.into());
        self
    }

    /// A heading, numbered automatically: level 1 一、二、…, level 2
    /// （一）（二）… restarting under each level-1 heading, level 3 `1.`, level
    /// 4 `（1）`. Levels outside 1..=4 are treated as the nearest of them.
    pub fn heading(mut self, level: u8, text: impl Into<String>) -> Self {
        let level = level.clamp(1, 4);
        let index = usize::from(level - 1);
        self.counters[index] += 1;
        self.counters[index + 1..].fill(0);
        let text = format!(
            "{}{}",
            heading_label(level, self.counters[index]),
            text.into()
        );
        self.blocks.push(Block::Heading { level, text });
        self
    }

    /// A body paragraph, first line indented two characters; `\n` breaks a line.
    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    /// A table with its caption and unit line. A table without any rows
    /// keeps its caption and unit but writes no grid, which Word would reject.
    pub fn table(mut self, table: Table) -> Self {
        self.blocks.push(Block::Table(table));
        self
    }

    /// The .docx file.
    pub fn to_bytes(&self) -> Vec<u8> {
        write::package(self)
    }
}

/// A date as GB/T 9704 writes it: Arabic numerals, year in full, no leading
/// zeros — 2024年7月5日.
pub fn format_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_restart_below_their_parent() {
        let doc = Document::new("t")
            .heading(1, "a")
            .heading(2, "b")
            .heading(2, "c")
            .heading(3, "d")
            .heading(1, "e")
            .heading(2, "f")
            .heading(3, "g")
            .heading(4, "h")
            .heading(7, "i");
        let texts: Vec<_> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text, .. } => text.as_str(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            texts,
            [
                "一、a",
                "（一）b",
                "（二）c",
                "1.d",
                "二、e",
                "（一）f",
                "1.g",
                "（1）h",
                "（2）i"
            ]
        );
    }

    #[test]
    fn dates_have_no_leading_zeros() {
        let date = NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
        assert_eq!(format_date(date), "2024年7月5日");
        let date = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(format_date(date), "2023年12月31日");
    }
}
