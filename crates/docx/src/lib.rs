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
    pub(crate) masthead: Option<String>,
    pub(crate) issue_number: Option<String>,
    /// The unit and the date of the head line, as written.
    pub(crate) imprint: Option<(String, String)>,
    pub(crate) copy_to: Option<String>,
    /// 印发机关 and 印发日期, as written.
    pub(crate) printed: Option<(String, String)>,
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

    /// The 发文机关标志 at the top, red and centred, as large as fits one
    /// line (小初 down to 二号); a `\n` breaks it. With it, the issue number
    /// or the imprint, a red rule runs under the head.
    pub fn masthead(mut self, masthead: impl Into<String>) -> Self {
        self.masthead = Some(masthead.into());
        self
    }

    /// The issue number centred under the masthead (2026年第11期).
    pub fn issue_number(mut self, number: impl Into<String>) -> Self {
        self.issue_number = Some(number.into());
        self
    }

    /// The head line above the red rule: the unit flush left, the date
    /// (2026年12月3日) flush right.
    pub fn imprint(mut self, unit: impl Into<String>, date: NaiveDate) -> Self {
        self.imprint = Some((unit.into(), format_date(date)));
        self
    }

    /// The 抄送 line of the 版记: the units separated as the caller writes
    /// them; "抄送：" before and the closing full stop are added.
    pub fn copy_to(mut self, units: impl Into<String>) -> Self {
        self.copy_to = Some(units.into());
        self
    }

    /// The 印发 line of the 版记: the printing office flush left, the date
    /// with "印发" flush right.
    pub fn printed(mut self, office: impl Into<String>, date: NaiveDate) -> Self {
        self.printed = Some((office.into(), format_date(date)));
        self
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

    fn bulletin() -> Document {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        Document::new("运城经济技术开发区2026年11月重点项目推进情况通报")
            .masthead("运城经济技术开发区重点项目通报")
            .issue_number("2026年第11期")
            .imprint("运城经济技术开发区", day)
            .addressee("各部门、各有关单位：")
            .paragraph("正文。")
            .copy_to("运城市商务局，运城市发展改革委；")
            .printed("运城经济技术开发区", day)
    }

    #[test]
    fn a_bulletin_has_its_head_and_colophon_in_order() {
        let read = read_back(&bulletin().to_bytes()).unwrap();
        let styles: Vec<(&str, &str)> = read
            .paragraphs
            .iter()
            .map(|(s, t)| (s.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            styles,
            [
                ("Masthead", "运城经济技术开发区重点项目通报"),
                ("IssueNumber", "2026年第11期"),
                ("Imprint", "运城经济技术开发区\t2026年12月3日"),
                ("RedRule", ""),
                ("Title", "运城经济技术开发区2026年11月重点项目推进情况通报"),
                ("Addressee", "各部门、各有关单位："),
                ("Normal", "正文。"),
                ("CopyTo", "抄送：运城市商务局，运城市发展改革委。"),
                ("PrintedBy", "运城经济技术开发区\t2026年12月3日印发"),
            ]
        );
    }

    #[test]
    fn the_masthead_and_its_rule_are_red_and_the_colophon_ruled() {
        let xml = read_part(&bulletin().to_bytes(), "word/document.xml").unwrap();
        let paragraph = |style: &str| {
            let start = xml
                .find(&format!(r#"<w:pStyle w:val="{style}"/>"#))
                .unwrap();
            let end = start + xml[start..].find("</w:p>").unwrap();
            xml[start..end].to_owned()
        };
        let masthead = paragraph("Masthead");
        assert!(
            masthead.contains(r#"<w:color w:val="FF0000"/>"#),
            "{masthead}"
        );
        assert!(
            masthead.contains(r#"<w:sz w:val="52"/>"#),
            "一号: {masthead}"
        );
        assert!(paragraph("RedRule").contains(
            r#"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="1" w:color="FF0000"/></w:pBdr>"#
        ));
        let copy_to = paragraph("CopyTo");
        assert!(
            copy_to.contains(r#"<w:top w:val="single" w:sz="8""#),
            "{copy_to}"
        );
        assert!(
            copy_to.contains(r#"<w:bottom w:val="single" w:sz="6""#),
            "{copy_to}"
        );
        assert!(copy_to.contains(r#"w:hangingChars="300""#), "{copy_to}");
        let printed = paragraph("PrintedBy");
        assert!(
            printed.contains(r#"<w:bottom w:val="single" w:sz="8""#),
            "{printed}"
        );
        assert!(
            printed.contains(r#"<w:tab w:val="right" w:pos="8565"/>"#),
            "{printed}"
        );
        assert!(!printed.contains("<w:top "), "{printed}");
    }

    #[test]
    fn without_copy_to_the_printed_line_carries_both_thick_rules() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let bytes = Document::new("t").printed("某单位", day).to_bytes();
        let read = read_back(&bytes).unwrap();
        assert_eq!(read.texts_in("CopyTo"), Vec::<&str>::new());
        assert_eq!(
            read.texts_in("RedRule"),
            Vec::<&str>::new(),
            "no head, no red rule"
        );
        let xml = read_part(&bytes, "word/document.xml").unwrap();
        assert!(xml.contains(concat!(
            r#"<w:pBdr><w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/>"#,
            r#"<w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/></w:pBdr>"#
        )));
    }

    #[test]
    fn dates_have_no_leading_zeros() {
        let date = NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
        assert_eq!(format_date(date), "2024年7月5日");
        let date = NaiveDate::from_ymd_opt(2023, 12, 31).unwrap();
        assert_eq!(format_date(date), "2023年12月31日");
    }
}
