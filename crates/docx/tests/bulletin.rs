//! Writes bulletins the way the monthly report will, reads them back, and
//! checks both the text and the GB/T 9704 formatting in the package's XML.

use chrono::NaiveDate;
use kfq_docx::{read_back, read_part, Cell, Column, Document, Table};
use quick_xml::events::Event;
use quick_xml::Reader;

const PARTS: [&str; 10] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
    "word/footer2.xml",
];

fn s(text: &str) -> String {
    text.to_string()
}

fn ledger_table() -> Table {
    Table::new([
        Column::center(1),
        Column::left(5),
        Column::center(2),
        Column::right(2),
        Column::right(2),
    ])
    .caption("表1  重点项目投资完成情况")
    .unit("单位：亿元")
    .header_row([
        Cell::new("序号").span(1, 2),
        Cell::new("项目名称").span(1, 2),
        Cell::new("所属产业链").span(1, 2),
        Cell::new("投资").span(2, 1),
    ])
    .header_row(["总投资", "1—6月完成"])
    .row(["1", "年产10万吨再生铝项目", "再生金属", "18.60", "6.25"])
    .row(["2", "氢能装备产业园（一期）", "新能源", "12.00", "3.40"])
    .totals([Cell::new("合计").span(3, 1), "30.60".into(), "9.65".into()])
}

fn bulletin() -> Document {
    Document::new("临汾经济开发区2024年6月重点项目推进情况通报")
        .subtitle("（2024年第6期）")
        .addressee("各部门、各园区：")
        .issuer("临汾经济开发区管理委员会")
        .date(NaiveDate::from_ymd_opt(2024, 7, 5).unwrap())
        .heading(1, "总体情况")
        .paragraph("1—6月，全区32个重点项目累计完成投资30.60亿元，占年度计划的52.3%。")
        .heading(2, "产业类项目")
        .paragraph("再生金属、新能源产业链项目进展较快。")
        .heading(2, "基础设施类项目")
        .table(ledger_table())
        .heading(1, "存在问题")
        .heading(2, "要素保障")
        .paragraph("部分项目用地、用电指标尚未落实。")
}

/// Every XML part parses from start to end.
fn assert_well_formed(bytes: &[u8]) {
    for part in PARTS {
        let xml = read_part(bytes, part).unwrap_or_else(|e| panic!("{part}: {e}"));
        let mut reader = Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{part} is not well-formed: {e}"),
            }
        }
    }
}

#[test]
fn bulletin_reads_back_in_order() {
    let bytes = bulletin().to_bytes();
    assert_well_formed(&bytes);
    let read = read_back(&bytes).unwrap();
    assert_eq!(
        read.paragraphs,
        vec![
            (s("Title"), s("临汾经济开发区2024年6月重点项目推进情况通报")),
            (s("Subtitle"), s("（2024年第6期）")),
            (s("Addressee"), s("各部门、各园区：")),
            (s("Heading1"), s("一、总体情况")),
            (
                s("Normal"),
                s("1—6月，全区32个重点项目累计完成投资30.60亿元，占年度计划的52.3%。")
            ),
            (s("Heading2"), s("（一）产业类项目")),
            (s("Normal"), s("再生金属、新能源产业链项目进展较快。")),
            (s("Heading2"), s("（二）基础设施类项目")),
            (s("TableCaption"), s("表1  重点项目投资完成情况")),
            (s("TableUnit"), s("单位：亿元")),
            (s("Heading1"), s("二、存在问题")),
            (s("Heading2"), s("（一）要素保障")),
            (s("Normal"), s("部分项目用地、用电指标尚未落实。")),
            (s("Closing"), s("临汾经济开发区管理委员会")),
            (s("Closing"), s("2024年7月5日")),
        ]
    );
    assert_eq!(read.texts_in("Heading1"), ["一、总体情况", "二、存在问题"]);
}

#[test]
fn table_cells_read_back_with_merges() {
    let read = read_back(&bulletin().to_bytes()).unwrap();
    assert_eq!(read.tables.len(), 1);
    let expected: Vec<Vec<String>> = [
        &["序号", "项目名称", "所属产业链", "投资"][..],
        &["", "", "", "总投资", "1—6月完成"],
        &["1", "年产10万吨再生铝项目", "再生金属", "18.60", "6.25"],
        &["2", "氢能装备产业园（一期）", "新能源", "12.00", "3.40"],
        &["合计", "30.60", "9.65"],
    ]
    .iter()
    .map(|row| row.iter().map(|c| c.to_string()).collect())
    .collect();
    assert_eq!(read.tables[0], expected);
}

/// The `<w:tr>` elements of the document, in order.
fn table_rows(xml: &str) -> Vec<&str> {
    xml.split("<w:tr>")
        .skip(1)
        .map(|row| row.split("</w:tr>").next().unwrap())
        .collect()
}

#[test]
fn table_is_full_width_with_repeated_bold_header_and_right_aligned_figures() {
    let xml = read_part(&bulletin().to_bytes(), "word/document.xml").unwrap();
    assert!(xml.contains(r#"<w:tblW w:w="5000" w:type="pct"/>"#));
    assert!(
        xml.contains(r#"<w:insideV w:val="single""#),
        "inner borders"
    );
    let rows = table_rows(&xml);
    assert_eq!(rows.len(), 5);
    for header in &rows[..2] {
        assert!(
            header.contains("<w:tblHeader/>") && header.contains("<w:b/>"),
            "{header}"
        );
    }
    assert!(rows[0].contains(r#"<w:gridSpan w:val="2"/>"#));
    assert!(rows[0].contains(r#"<w:vMerge w:val="restart"/>"#));
    assert!(rows[1].contains("<w:vMerge/>"));
    let body = rows[2];
    assert!(!body.contains("<w:tblHeader/>") && !body.contains("<w:b/>"));
    // The figure cell "18.60" is right-aligned; the name cell is not.
    let cells: Vec<&str> = body.split("<w:tc>").skip(1).collect();
    assert!(cells[3].contains("18.60") && cells[3].contains(r#"<w:jc w:val="right"/>"#));
    assert!(cells[1].contains(r#"<w:jc w:val="left"/>"#));
    let totals = rows[4];
    assert!(totals.contains("<w:b/>") && totals.contains(r#"<w:gridSpan w:val="3"/>"#));
}

#[test]
fn fonts_are_named_for_east_asian_text_too() {
    let bytes = bulletin().to_bytes();
    let xml = read_part(&bytes, "word/document.xml").unwrap();
    for (font, size) in [
        ("方正小标宋简体", 44), // title 二号
        ("黑体", 32),           // level-1 heading 三号
        ("楷体_GB2312", 32),    // level-2 heading 三号
        ("仿宋_GB2312", 32),    // body 三号
        ("仿宋_GB2312", 21),    // table 五号
    ] {
        let fonts = format!(
            r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>"#
        );
        let run = format!(r#"{fonts}<w:b w:val="0"/><w:bCs w:val="0"/><w:sz w:val="{size}"/>"#);
        assert!(xml.contains(&run), "{font} at {size} half-points");
    }
    let styles = read_part(&bytes, "word/styles.xml").unwrap();
    assert!(
        styles.contains(r#"w:eastAsia="仿宋_GB2312""#)
            && styles.contains(r#"w:styleId="Heading1""#)
    );
    let font_table = read_part(&bytes, "word/fontTable.xml").unwrap();
    assert!(font_table.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
}

#[test]
fn body_paragraphs_indent_two_characters_on_a_22_line_page() {
    let xml = read_part(&bulletin().to_bytes(), "word/document.xml").unwrap();
    let body = xml
        .split("<w:p>")
        .find(|p| p.contains("再生金属、新能源"))
        .unwrap();
    assert!(
        body.contains(r#"w:firstLine="640" w:firstLineChars="200""#),
        "{body}"
    );
    assert!(
        body.contains(r#"w:line="579" w:lineRule="exact""#),
        "{body}"
    );
    assert!(body.contains(r#"<w:jc w:val="both"/>"#));
    let title = xml.split("<w:p>").find(|p| p.contains("通报")).unwrap();
    assert!(title.contains(r#"<w:jc w:val="center"/>"#));
}

#[test]
fn page_is_a4_with_gbt_9704_margins_and_numbered_footers() {
    let bytes = bulletin().to_bytes();
    let xml = read_part(&bytes, "word/document.xml").unwrap();
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    // 37, 26, 35 and 28 mm in twips.
    assert!(xml.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#));
    assert!(xml.contains(r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/>"#));
    assert!(xml.contains(r#"<w:footerReference w:type="even" r:id="rIdFooterEven"/>"#));
    let rels = read_part(&bytes, "word/_rels/document.xml.rels").unwrap();
    assert!(rels.contains(r#"Id="rIdFooterOdd""#) && rels.contains(r#"Target="footer1.xml""#));
    for (part, jc) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let footer = read_part(&bytes, part).unwrap();
        assert!(footer.contains(" PAGE </w:instrText>"), "{part}");
        assert!(
            footer.contains(">— </w:t>") && footer.contains("> —</w:t>"),
            "{part}"
        );
        assert!(
            footer.contains(&format!(r#"<w:jc w:val="{jc}"/>"#)),
            "{part}"
        );
        assert!(
            footer.contains(r#"w:eastAsia="宋体""#) && footer.contains(r#"<w:sz w:val="28"/>"#)
        );
    }
    let settings = read_part(&bytes, "word/settings.xml").unwrap();
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
}

#[test]
fn xml_special_characters_survive() {
    let tricky = r#"A&B <项目> "引号" 'single' &amp; ]]>"#;
    let bytes = Document::new(tricky)
        .issuer(tricky)
        .heading(1, tricky)
        .paragraph(tricky)
        .table(
            Table::new([Column::left(1)])
                .caption(tricky)
                .header_row([tricky])
                .row([tricky]),
        )
        .to_bytes();
    assert_well_formed(&bytes);
    let read = read_back(&bytes).unwrap();
    assert_eq!(read.paragraphs[0], (s("Title"), s(tricky)));
    assert_eq!(read.paragraphs[1], (s("Heading1"), format!("一、{tricky}")));
    assert_eq!(read.paragraphs[2], (s("Normal"), s(tricky)));
    assert_eq!(read.paragraphs[3], (s("TableCaption"), s(tricky)));
    assert_eq!(read.tables, vec![vec![vec![s(tricky)], vec![s(tricky)]]]);
    let core = read_part(&bytes, "docProps/core.xml").unwrap();
    assert!(core.contains("A&amp;B &lt;项目&gt;"));
}

#[test]
fn line_breaks_tabs_and_control_characters() {
    let bytes = Document::new("第一行\n第二行")
        .paragraph("甲\t乙\r\n丙\u{0}\u{1b}丁")
        .table(Table::new([Column::left(1)]).row(["上\n下"]))
        .to_bytes();
    assert_well_formed(&bytes);
    let read = read_back(&bytes).unwrap();
    assert_eq!(read.paragraphs[0].1, "第一行\n第二行");
    assert_eq!(read.paragraphs[1].1, "甲\t乙\n丙丁");
    assert_eq!(read.tables[0], vec![vec![s("上\n下")]]);
}

#[test]
fn empty_document_is_a_valid_package() {
    let bytes = Document::new("").to_bytes();
    assert_well_formed(&bytes);
    let read = read_back(&bytes).unwrap();
    assert_eq!(read.paragraphs, vec![(s("Title"), s(""))]);
    assert!(read.tables.is_empty());
    assert!(read_part(&bytes, "word/document.xml")
        .unwrap()
        .contains("<w:sectPr>"));
}

#[test]
fn empty_tables_keep_their_caption_and_write_no_grid() {
    let bytes = Document::new("通报")
        .table(Table::default())
        .table(Table::new([Column::left(1), Column::right(1)]).caption("表2  本月新开工项目"))
        .to_bytes();
    assert_well_formed(&bytes);
    let read = read_back(&bytes).unwrap();
    assert!(read.tables.is_empty());
    assert_eq!(read.texts_in("TableCaption"), ["表2  本月新开工项目"]);
    assert!(!read_part(&bytes, "word/document.xml")
        .unwrap()
        .contains("<w:tbl>"));
}

#[test]
fn header_only_and_ragged_tables_still_fill_the_grid() {
    let bytes = Document::new("通报")
        .table(Table::new([Column::left(1), Column::right(1)]).header_row(["项目", "投资"]))
        .table(
            Table::new([Column::left(1)])
                .row(["a", "b", "c"])
                .row(["d"]),
        )
        .to_bytes();
    assert_well_formed(&bytes);
    let read = read_back(&bytes).unwrap();
    assert_eq!(read.tables.len(), 2, "adjacent tables stay apart");
    assert_eq!(read.tables[0], vec![vec![s("项目"), s("投资")]]);
    assert_eq!(
        read.tables[1],
        vec![vec![s("a"), s("b"), s("c")], vec![s("d"), s(""), s("")]]
    );
}

#[test]
fn output_is_deterministic() {
    assert_eq!(bulletin().to_bytes(), bulletin().to_bytes());
}

#[test]
fn other_bytes_are_an_error() {
    assert!(read_back(b"not a zip").is_err());
}
