//! The OOXML package: document, styles, settings, font table and the two
//! page-number footers, zipped. Element order inside each *Pr follows the
//! schema, which Word enforces even where the spec's prose seems lax.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use quick_xml::escape::escape;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::style::{self, Jc, LineSpacing, Look};
use crate::table::{layout, Align, Placed, Table};
use crate::{Block, Document};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT_WORD: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// (path, content) of every part, [Content_Types].xml first as Word prefers.
fn parts(doc: &Document) -> Vec<(&'static str, String)> {
    vec![
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", package_rels()),
        ("docProps/core.xml", core_properties(doc)),
        ("word/_rels/document.xml.rels", document_rels()),
        ("word/document.xml", document(doc)),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/fontTable.xml", font_table()),
        ("word/footer1.xml", footer(Jc::Right)),
        ("word/footer2.xml", footer(Jc::Left)),
    ]
}

pub(crate) fn package(doc: &Document) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    // Writing to memory has no I/O to fail, and every name and size here is
    // well within the zip format's limits.
    for (path, content) in parts(doc) {
        zip.start_file(path, options).expect("zip entry in memory");
        zip.write_all(content.as_bytes())
            .expect("zip write to memory");
    }
    zip.finish().expect("zip finish in memory").into_inner()
}

fn content_types() -> String {
    let overrides = [
        ("/word/document.xml", format!("{CT_WORD}.document.main+xml")),
        ("/word/styles.xml", format!("{CT_WORD}.styles+xml")),
        ("/word/settings.xml", format!("{CT_WORD}.settings+xml")),
        ("/word/fontTable.xml", format!("{CT_WORD}.fontTable+xml")),
        ("/word/footer1.xml", format!("{CT_WORD}.footer+xml")),
        ("/word/footer2.xml", format!("{CT_WORD}.footer+xml")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".into(),
        ),
    ];
    let mut xml = format!(
        r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#
    );
    for (part, content_type) in overrides {
        let _ = write!(
            xml,
            r#"<Override PartName="{part}" ContentType="{content_type}"/>"#
        );
    }
    xml.push_str("</Types>");
    xml
}

fn package_rels() -> String {
    format!(
        r#"{XML_DECL}<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type="{REL_TYPE}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#
    )
}

fn core_properties(doc: &Document) -> String {
    let creator = doc
        .issuer
        .as_deref()
        .or(doc.imprint.as_ref().map(|(unit, _)| unit.as_str()))
        .map(clean)
        .unwrap_or_default();
    format!(
        r#"{XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator></cp:coreProperties>"#,
        escape(clean(&doc.title).replace('\n', "")),
        escape(creator),
    )
}

fn document_rels() -> String {
    let rels = [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdFontTable", "fontTable", "fontTable.xml"),
        ("rIdFooterOdd", "footer", "footer1.xml"),
        ("rIdFooterEven", "footer", "footer2.xml"),
    ];
    let mut xml = format!(r#"{XML_DECL}<Relationships xmlns="{REL_NS}">"#);
    for (id, kind, target) in rels {
        let _ = write!(
            xml,
            r#"<Relationship Id="{id}" Type="{REL_TYPE}/{kind}" Target="{target}"/>"#
        );
    }
    xml.push_str("</Relationships>");
    xml
}

fn document(doc: &Document) -> String {
    let mut body = String::new();
    head(&mut body, doc);
    title_block(&mut body, doc);
    for (index, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, text } => paragraph(&mut body, &style::heading(*level), text),
            Block::Paragraph(text) => paragraph(&mut body, &style::BODY, text),
            Block::Table(table) => {
                table_block(&mut body, table);
                // Two grids in a row would be joined into one table by Word.
                if let Some(Block::Table(next)) = doc.blocks.get(index + 1) {
                    if table.has_rows() && next.caption.is_none() && next.unit.is_none() {
                        paragraph(&mut body, &style::TABLE_TEXT, "");
                    }
                }
            }
        }
    }
    closing(&mut body, doc);
    colophon(&mut body, doc);
    format!(
        r#"{XML_DECL}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{}</w:body></w:document>"#,
        section_properties()
    )
}

/// The head of a bulletin (GB/T 9704 7.2): the red 发文机关标志, the issue
/// number, the unit and date line, and the red rule under them.
fn head(body: &mut String, doc: &Document) {
    if let Some(masthead) = &doc.masthead {
        let look = Look {
            size: style::masthead_size(masthead),
            ..style::MASTHEAD
        };
        paragraph(body, &look, masthead);
    }
    if let Some(number) = &doc.issue_number {
        paragraph(body, &style::ISSUE_NUMBER, number);
    }
    if let Some((unit, date)) = &doc.imprint {
        paragraph(body, &style::IMPRINT, &format!("{unit}\t{date}"));
    }
    if doc.masthead.is_some() || doc.issue_number.is_some() || doc.imprint.is_some() {
        paragraph(body, &style::RED_RULE, "");
    }
}

/// The 版记 (GB/T 9704 7.4): 抄送 and 印发 between a thick rule above, a
/// thin one between them and a thick one below.
fn colophon(body: &mut String, doc: &Document) {
    let Some(printed) = &doc.printed else {
        if let Some(copy_to) = &doc.copy_to {
            paragraph(body, &style::COPY_TO, &copy_to_line(copy_to));
        }
        return;
    };
    let printed_line = format!("{}\t{}印发", printed.0, printed.1);
    match &doc.copy_to {
        Some(copy_to) => {
            paragraph(body, &style::COPY_TO, &copy_to_line(copy_to));
            paragraph(body, &style::PRINTED, &printed_line);
        }
        None => {
            let look = Look {
                before: style::COPY_TO.before,
                border_top: style::COPY_TO.border_top,
                ..style::PRINTED
            };
            paragraph(body, &look, &printed_line);
        }
    }
}

/// "抄送：市商务局，市发展改革委。": the list ends with a full stop.
fn copy_to_line(list: &str) -> String {
    let list = list
        .trim()
        .trim_end_matches(['。', '.', '；', ';', '，', ',']);
    format!("抄送：{list}。")
}

fn title_block(body: &mut String, doc: &Document) {
    // One blank line (as spacing, not an empty paragraph) between the title
    // block and what follows, as GB/T 9704 7.3.2 asks.
    let gap = style::BODY_LINE;
    let title_after = if doc.subtitle.is_some() { 0 } else { gap };
    paragraph(
        body,
        &Look {
            after: title_after,
            ..style::TITLE
        },
        &doc.title,
    );
    if let Some(subtitle) = &doc.subtitle {
        paragraph(
            body,
            &Look {
                after: gap,
                ..style::SUBTITLE
            },
            subtitle,
        );
    }
    if let Some(addressee) = &doc.addressee {
        paragraph(body, &style::ADDRESSEE, addressee);
    }
}

fn closing(body: &mut String, doc: &Document) {
    let (issuer_chars, date_chars) = match (&doc.issuer, &doc.date) {
        (Some(issuer), Some(date)) => style::closing_indents(issuer, date),
        _ => (style::CLOSING.right_chars, style::CLOSING.right_chars),
    };
    // The blank line after the text leaves room for the seal.
    let before = style::BODY_LINE;
    if let Some(issuer) = &doc.issuer {
        paragraph(
            body,
            &Look {
                right_chars: issuer_chars,
                before,
                ..style::CLOSING
            },
            issuer,
        );
    }
    if let Some(date) = &doc.date {
        let before = if doc.issuer.is_some() { 0 } else { before };
        paragraph(
            body,
            &Look {
                right_chars: date_chars,
                before,
                ..style::CLOSING
            },
            date,
        );
    }
}

fn section_properties() -> String {
    format!(
        concat!(
            r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/>"#,
            r#"<w:footerReference w:type="even" r:id="rIdFooterEven"/>"#,
            r#"<w:pgSz w:w="{}" w:h="{}"/>"#,
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0"/>"#,
            r#"<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/></w:sectPr>"#
        ),
        style::PAGE_WIDTH,
        style::PAGE_HEIGHT,
        style::MARGIN_TOP,
        style::MARGIN_RIGHT,
        style::MARGIN_BOTTOM,
        style::MARGIN_LEFT,
        style::HEADER_DISTANCE,
        style::FOOTER_DISTANCE,
    )
}

/// A paragraph in `look`, with the look also written as direct formatting so
/// that text pasted into another document keeps its fonts.
fn paragraph(out: &mut String, look: &Look, text: &str) {
    out.push_str("<w:p>");
    paragraph_properties(out, look, true);
    if !text.is_empty() {
        out.push_str("<w:r>");
        run_properties(out, look);
        text_content(out, text);
        out.push_str("</w:r>");
    }
    out.push_str("</w:p>");
}

fn paragraph_properties(out: &mut String, look: &Look, with_style: bool) {
    out.push_str("<w:pPr>");
    if with_style {
        let _ = write!(out, r#"<w:pStyle w:val="{}"/>"#, look.style_id);
    }
    if look.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if look.border_top.is_some() || look.border_bottom.is_some() {
        out.push_str("<w:pBdr>");
        for (side, rule) in [("top", look.border_top), ("bottom", look.border_bottom)] {
            if let Some(rule) = rule {
                let _ = write!(
                    out,
                    r#"<w:{side} w:val="single" w:sz="{}" w:space="{}" w:color="{}"/>"#,
                    rule.size, rule.space, rule.color
                );
            }
        }
        out.push_str("</w:pBdr>");
    }
    if look.right_tab {
        // Tab stops count from the left margin, whatever the indents.
        let _ = write!(
            out,
            r#"<w:tabs><w:tab w:val="right" w:pos="{}"/></w:tabs>"#,
            style::TEXT_WIDTH - look.chars_to_twips(look.right_chars)
        );
    }
    let (line, rule) = match look.line {
        LineSpacing::Exact(twips) => (twips, "exact"),
        LineSpacing::Single => (240, "auto"),
    };
    let _ = write!(
        out,
        r#"<w:spacing w:before="{}" w:after="{}" w:line="{line}" w:lineRule="{rule}"/>"#,
        look.before, look.after
    );
    // Styles based on Normal must state zero indents, or they inherit its two characters.
    let (first, first_attr) = if look.hanging_chars > 0 {
        (look.hanging_chars, "hanging")
    } else {
        (look.first_line_chars, "firstLine")
    };
    let _ = write!(
        out,
        r#"<w:ind w:left="{}" w:leftChars="{}" w:right="{}" w:rightChars="{}" w:{first_attr}="{}" w:{first_attr}Chars="{first}"/>"#,
        look.chars_to_twips(look.left_chars),
        look.left_chars,
        look.chars_to_twips(look.right_chars),
        look.right_chars,
        look.chars_to_twips(first),
    );
    let _ = write!(out, r#"<w:jc w:val="{}"/>"#, look.jc.as_str());
    if let Some(level) = look.outline_level {
        let _ = write!(out, r#"<w:outlineLvl w:val="{level}"/>"#);
    }
    out.push_str("</w:pPr>");
}

fn run_properties(out: &mut String, look: &Look) {
    out.push_str("<w:rPr>");
    // Word takes Chinese characters from eastAsia and digits/Latin from
    // ascii/hAnsi; WPS reads ascii first. Naming all four keeps them equal.
    let font = look.font;
    let _ = write!(
        out,
        r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>"#
    );
    if look.bold {
        out.push_str("<w:b/><w:bCs/>");
    } else {
        out.push_str(r#"<w:b w:val="0"/><w:bCs w:val="0"/>"#);
    }
    if let Some(color) = look.color {
        let _ = write!(out, r#"<w:color w:val="{color}"/>"#);
    }
    let _ = write!(
        out,
        r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
        look.size
    );
    out.push_str(r#"<w:lang w:val="en-US" w:eastAsia="zh-CN"/>"#);
    out.push_str("</w:rPr>");
}

/// Text as w:t pieces: `\n` becomes a line break and `\t` a tab, characters
/// XML 1.0 forbids (control codes pasted from spreadsheets) are dropped, and
/// the rest is escaped.
fn text_content(out: &mut String, text: &str) {
    let text = clean(text);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push_str("<w:br/>");
        }
        for (index, piece) in line.split('\t').enumerate() {
            if index > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(out, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(piece));
            }
        }
    }
}

/// Line endings made `\n` and characters illegal in XML 1.0 removed.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| matches!(c, '\t' | '\n') || !(c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}'))
        .collect()
}

fn table_block(out: &mut String, table: &Table) {
    if let Some(caption) = &table.caption {
        paragraph(out, &style::TABLE_CAPTION, caption);
    }
    if let Some(unit) = &table.unit {
        paragraph(out, &style::TABLE_UNIT, unit);
    }
    if !table.has_rows() {
        return;
    }
    let widths = column_widths(table);
    out.push_str(concat!(
        "<w:tbl><w:tblPr>",
        r#"<w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>"#,
        "<w:tblBorders>",
        r#"<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        "</w:tblBorders>",
        // Fixed layout keeps the given widths instead of fitting to content.
        r#"<w:tblLayout w:type="fixed"/>"#,
        r#"<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>"#,
        r#"<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>"#,
        "</w:tblPr><w:tblGrid>"
    ));
    for width in &widths {
        let _ = write!(out, r#"<w:gridCol w:w="{width}"/>"#);
    }
    out.push_str("</w:tblGrid>");
    let columns = widths.len();
    let sections: [(&[Vec<_>], Part); 3] = [
        (&table.header, Part::Header),
        (&table.rows, Part::Body),
        (table.totals.as_slice(), Part::Totals),
    ];
    for (rows, part) in sections {
        for row in layout(rows, columns) {
            table_row(out, table, &widths, &row, part);
        }
    }
    out.push_str("</w:tbl>");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Header,
    Body,
    Totals,
}

fn table_row(out: &mut String, table: &Table, widths: &[u32], row: &[Placed<'_>], part: Part) {
    out.push_str("<w:tr><w:trPr><w:cantSplit/>");
    if part == Part::Header {
        out.push_str("<w:tblHeader/>");
    }
    out.push_str("</w:trPr>");
    for placed in row {
        let (column, col_span, vertical_merge, text) = match placed {
            Placed::Start {
                cell,
                column,
                col_span,
                merges_down,
            } => {
                let merge = merges_down.then_some(r#"<w:vMerge w:val="restart"/>"#);
                (*column, *col_span, merge, cell.text.as_str())
            }
            Placed::Continue { column, col_span } => (*column, *col_span, Some("<w:vMerge/>"), ""),
            Placed::Empty { column } => (*column, 1, None, ""),
        };
        let width: u32 = widths[column..column + col_span].iter().sum();
        let _ = write!(out, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
        if col_span > 1 {
            let _ = write!(out, r#"<w:gridSpan w:val="{col_span}"/>"#);
        }
        out.push_str(vertical_merge.unwrap_or_default());
        out.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
        paragraph(out, &cell_look(table, column, part), text);
        out.push_str("</w:tc>");
    }
    out.push_str("</w:tr>");
}

fn cell_look(table: &Table, column: usize, part: Part) -> Look {
    let jc = match table.column(column).align {
        Align::Left => Jc::Left,
        Align::Center => Jc::Center,
        Align::Right => Jc::Right,
    };
    match part {
        Part::Header => style::TABLE_HEADER,
        Part::Body => Look {
            jc,
            ..style::TABLE_TEXT
        },
        Part::Totals => Look {
            jc,
            bold: true,
            ..style::TABLE_TEXT
        },
    }
}

/// Column widths in twips, proportional to the weights and summing to the
/// text width exactly (the last column takes the rounding remainder). A
/// column too narrow for a cell that must not break (see [`floor`]) is
/// widened to it, the others sharing what is left by their weights: a
/// 序号 column of weight 1 beside wide ones broke its header into 序/号 and
/// "100" into two lines.
fn column_widths(table: &Table) -> Vec<u32> {
    let count = table.column_count();
    let weights: Vec<u32> = (0..count)
        .map(|i| u32::from(table.column(i).weight.max(1)))
        .collect();
    let mut floors = floors(table, count);
    // Floors that would fill the page give way to the weights.
    if floors.iter().sum::<u32>() >= style::TEXT_WIDTH {
        floors = vec![0; count];
    }
    // Each round holds the columns short of their floors at them; the rest
    // share what is left by weight, until none is short.
    let mut held = vec![false; count];
    let mut widths = loop {
        let free = style::TEXT_WIDTH
            - (0..count)
                .filter(|&i| held[i])
                .map(|i| floors[i])
                .sum::<u32>();
        let total: u32 = (0..count).filter(|&i| !held[i]).map(|i| weights[i]).sum();
        let widths: Vec<u32> = (0..count)
            .map(|i| match held[i] {
                true => floors[i],
                false => free * weights[i] / total,
            })
            .collect();
        let short: Vec<usize> = (0..count).filter(|&i| widths[i] < floors[i]).collect();
        if short.is_empty() {
            break widths;
        }
        for i in short {
            held[i] = true;
        }
    };
    let sum: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += style::TEXT_WIDTH - sum;
    }
    widths
}

/// Each column's least width: its widest cell of one column that must not
/// break, with the cell's margins.
fn floors(table: &Table, count: usize) -> Vec<u32> {
    let mut floors = vec![0; count];
    let parts = [
        (table.header.as_slice(), &style::TABLE_HEADER),
        (table.rows.as_slice(), &style::TABLE_TEXT),
        (table.totals.as_slice(), &style::TABLE_HEADER),
    ];
    for (rows, look) in parts {
        for row in layout(rows, count) {
            for placed in row {
                if let Placed::Start {
                    cell,
                    column,
                    col_span: 1,
                    ..
                } = placed
                {
                    if let Some(width) = floor(&cell.text, look) {
                        floors[column] = floors[column].max(width);
                    }
                }
            }
        }
    }
    floors
}

/// Cell margins, left and right (`tblCellMar` below), and a little room for
/// the font's own spacing.
const CELL_ROOM: u32 = 85 + 85 + 40;

/// The width `text` needs on one line, if it is a cell that must not break:
/// a figure, date or code without spaces (100, 18.60, 2026-06-30, +1.5%),
/// or a word of at most four characters (序号, 合计). Longer texts wrap.
fn floor(text: &str, look: &Look) -> Option<u32> {
    let text = text.trim();
    let chars = text.chars().count();
    let token = !text.is_empty()
        && !text.contains(char::is_whitespace)
        && ((text.is_ascii() && chars <= 16) || chars <= 4);
    if !token {
        return None;
    }
    // An em is the size in twips; a Latin letter or digit three fifths of
    // it (half in 宋体, more in the sans fonts a reader without it falls
    // back to: a date at half an em broke in LibreOffice); bold a twentieth
    // wider.
    let em = look.size * 10;
    let width: u32 = text
        .chars()
        .map(|c| if c.is_ascii() { em * 3 / 5 } else { em })
        .sum();
    let width = if look.bold { width * 21 / 20 } else { width };
    Some(width + CELL_ROOM)
}

fn styles() -> String {
    let mut xml = format!(r#"{XML_DECL}<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault>"#);
    run_properties(&mut xml, &style::BODY);
    xml.push_str("</w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>");
    for look in style::ALL {
        let is_normal = look.style_id == style::BODY.style_id;
        let _ = write!(
            xml,
            r#"<w:style w:type="paragraph" w:styleId="{}"{}><w:name w:val="{}"/>"#,
            look.style_id,
            if is_normal { r#" w:default="1""# } else { "" },
            look.style_name,
        );
        if !is_normal {
            xml.push_str(r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/>"#);
        }
        xml.push_str("<w:qFormat/>");
        paragraph_properties(&mut xml, &look, false);
        run_properties(&mut xml, &look);
        xml.push_str("</w:style>");
    }
    xml.push_str(concat!(
        r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#,
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        "</w:styles>"
    ));
    xml
}

fn settings() -> String {
    format!(
        concat!(
            r#"{}<w:settings xmlns:w="{}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>"#,
            // Odd pages carry the number on the right, even pages on the left.
            "<w:evenAndOddHeaders/>",
            r#"<w:characterSpacingControl w:val="compressPunctuation"/>"#,
            r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
            "</w:settings>"
        ),
        XML_DECL, W_NS
    )
}

/// Fonts with the name a machine without the GB2312 faces (a stock Windows
/// 10, say) should fall back to; 86 is the GB2312 character set.
fn font_table() -> String {
    let fonts = [
        (style::FANGSONG, "仿宋"),
        (style::KAITI, "楷体"),
        (style::HEITI, "SimHei"),
        (style::XIAOBIAOSONG, "宋体"),
        (style::SONGTI, "SimSun"),
    ];
    let mut xml = format!(r#"{XML_DECL}<w:fonts xmlns:w="{W_NS}">"#);
    for (name, alternative) in fonts {
        let _ = write!(
            xml,
            r#"<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="86"/></w:font>"#
        );
    }
    xml.push_str("</w:fonts>");
    xml
}

/// A page-number footer "— 1 —", one character in from the outer edge
/// (GB/T 9704 7.5): right on odd pages, left on even ones.
fn footer(jc: Jc) -> String {
    let look = match jc {
        Jc::Left => Look {
            jc,
            left_chars: 100,
            right_chars: 0,
            ..style::FOOTER
        },
        _ => Look {
            jc,
            left_chars: 0,
            right_chars: 100,
            ..style::FOOTER
        },
    };
    let mut rpr = String::new();
    run_properties(&mut rpr, &look);
    let mut xml = format!(r#"{XML_DECL}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>"#);
    paragraph_properties(&mut xml, &look, true);
    let runs = [
        r#"<w:t xml:space="preserve">— </w:t>"#,
        r#"<w:fldChar w:fldCharType="begin"/>"#,
        r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#,
        r#"<w:fldChar w:fldCharType="separate"/>"#,
        "<w:t>1</w:t>",
        r#"<w:fldChar w:fldCharType="end"/>"#,
        r#"<w:t xml:space="preserve"> —</w:t>"#,
    ];
    for run in runs {
        let _ = write!(xml, "<w:r>{rpr}{run}</w:r>");
    }
    xml.push_str("</w:p></w:ftr>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Column;

    #[test]
    fn widths_follow_weights_and_fill_the_text_width() {
        let table =
            Table::new([Column::center(1), Column::left(4), Column::right(2)]).row(["1", "a", "2"]);
        let widths = column_widths(&table);
        assert_eq!(widths.iter().sum::<u32>(), style::TEXT_WIDTH);
        assert_eq!(widths[0], style::TEXT_WIDTH / 7);
        assert_eq!(widths[1], style::TEXT_WIDTH * 4 / 7);
    }

    #[test]
    fn a_narrow_column_is_widened_to_what_must_not_break() {
        let mut table = Table::new([
            Column::center(1),
            Column::left(12),
            Column::left(8),
            Column::right(5),
            Column::right(5),
        ])
        .header_row(["序号", "项目名称", "所在园区", "总投资", "完成投资"]);
        for n in 1..=100 {
            table = table.row([
                n.to_string(),
                "年产10万吨再生铝项目".to_string(),
                "经济技术开发区".to_string(),
                "18.60".to_string(),
                "6.25".to_string(),
            ]);
        }
        let widths = column_widths(&table);
        assert_eq!(widths.iter().sum::<u32>(), style::TEXT_WIDTH);
        // By weight alone 序号 would get a 31st of the page, less than its
        // two bold characters and the cell's margins.
        assert!(style::TEXT_WIDTH / 31 < floor("序号", &style::TABLE_HEADER).unwrap());
        assert_eq!(widths[0], floor("序号", &style::TABLE_HEADER).unwrap());
        assert!(widths[0] >= floor("100", &style::TABLE_TEXT).unwrap());
        // The others keep their proportions (12 : 8 : 5).
        assert!((widths[1] * 8).abs_diff(widths[2] * 12) <= 12);
        assert!((widths[2] * 5).abs_diff(widths[3] * 8) <= 8);
        // Long names wrap: they set no floor.
        assert_eq!(floor("年产10万吨再生铝项目", &style::TABLE_TEXT), None);
        assert_eq!(
            floor("2026-06-30", &style::TABLE_TEXT),
            Some(10 * 126 + CELL_ROOM)
        );
    }

    #[test]
    fn floors_that_fill_the_page_give_way_to_the_weights() {
        let mut table = Table::new((0..30).map(|_| Column::center(1)));
        table = table.row((0..30).map(|_| "1234567890123456"));
        let widths = column_widths(&table);
        assert_eq!(widths.iter().sum::<u32>(), style::TEXT_WIDTH);
        assert_eq!(widths[0], style::TEXT_WIDTH / 30);
    }

    #[test]
    fn text_is_escaped_and_cleaned() {
        let mut out = String::new();
        text_content(&mut out, "a&b<c>\"d'\u{1}\r\ne\tf");
        assert_eq!(
            out,
            concat!(
                r#"<w:t xml:space="preserve">a&amp;b&lt;c&gt;&quot;d&apos;</w:t>"#,
                r#"<w:br/><w:t xml:space="preserve">e</w:t><w:tab/><w:t xml:space="preserve">f</w:t>"#
            )
        );
    }
}
