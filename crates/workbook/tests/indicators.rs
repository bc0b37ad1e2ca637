//! The monthly statistics table of indicators: the fixtures written by
//! make_fixtures.py and layouts built in memory (as CSV). Figures are
//! checked exactly, in the indicators' units.

use kfq_workbook::indicators::{
    read_indicator_sheet, ColumnRole, IndicatorColumnSpec, IndicatorSheet, ZoneSpec,
};
use kfq_workbook::{ReadError, SkipKind};

/// The province's standard indicators, as kfq's catalogue defines them.
fn specs() -> Vec<IndicatorColumnSpec> {
    [
        ("industrial_investment", &["工业投资"][..], "yi_yuan"),
        (
            "industrial_value_added",
            &["规上工业增加值", "规模以上工业增加值"][..],
            "percent",
        ),
        ("operating_revenue", &["营业收入"][..], "yi_yuan"),
        ("tax_revenue", &["税收收入"][..], "wan_yuan"),
        ("import_export", &["进出口总额"][..], "yi_yuan"),
        ("foreign_investment", &["实际利用外资"][..], "wan_usd"),
        ("output_intensity", &["产出强度"][..], "wan_yuan_per_mu"),
        ("tax_per_mu", &["亩均税收"][..], "wan_yuan_per_mu"),
    ]
    .into_iter()
    .map(|(code, names, unit)| IndicatorColumnSpec {
        code: code.into(),
        names: names.iter().map(|n| n.to_string()).collect(),
        unit: unit.into(),
    })
    .collect()
}

fn zones() -> Vec<ZoneSpec> {
    [
        (1, "太原高新技术产业开发区"),
        (2, "太原经济技术开发区"),
        (3, "运城经济技术开发区"),
        (4, "运城空港经济开发区"),
    ]
    .into_iter()
    .map(|(id, name)| ZoneSpec {
        id,
        name: name.into(),
    })
    .collect()
}

fn fixture(name: &str) -> IndicatorSheet {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).expect("fixture present");
    read_indicator_sheet(&bytes, name, &specs(), &zones()).expect("readable")
}

fn csv(text: &str) -> IndicatorSheet {
    read_indicator_sheet(text.as_bytes(), "指标.csv", &specs(), &zones()).expect("readable")
}

/// Row → (zone id, [(code, value, column)]).
type Figures<'a> = Vec<(u32, Option<i64>, Vec<(&'a str, &'a str, &'a str)>)>;

fn figures(sheet: &IndicatorSheet) -> Figures<'_> {
    sheet
        .rows
        .iter()
        .map(|r| {
            let figures = r
                .figures
                .iter()
                .map(|f| (f.code.as_str(), f.value.as_str(), f.column.as_str()))
                .collect();
            (r.row, r.zone_id, figures)
        })
        .collect()
}

fn columns(sheet: &IndicatorSheet) -> Vec<(&str, Option<&str>, ColumnRole)> {
    sheet
        .columns
        .iter()
        .map(|c| (c.column.as_str(), c.code.as_deref(), c.what))
        .collect()
}

fn skipped(sheet: &IndicatorSheet) -> Vec<(u32, SkipKind)> {
    sheet.skipped.iter().map(|s| (s.row, s.kind)).collect()
}

fn messages(sheet: &IndicatorSheet) -> Vec<&str> {
    sheet.issues.iter().map(|i| i.message.as_str()).collect()
}

#[test]
fn two_row_merged_header_in_yi_with_growth_columns_and_city_subtotals() {
    let s = fixture("indicators_merged.xlsx");
    assert_eq!(s.sheet, "主要指标");
    assert_eq!(
        s.title.as_deref(),
        Some("2024年1-6月全省开发区主要经济指标完成情况")
    );
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(s.unit_note.as_deref(), Some("单位：亿元、%"));
    assert_eq!(s.header_rows, [3, 4]);
    use ColumnRole::*;
    assert_eq!(
        columns(&s),
        [
            ("A", None, Serial),
            ("B", None, Zone),
            ("C", Some("industrial_investment"), Value),
            ("D", Some("industrial_investment"), Growth),
            ("E", Some("industrial_value_added"), Value),
            ("F", Some("operating_revenue"), Value),
            ("G", Some("operating_revenue"), Growth),
            ("H", Some("tax_revenue"), Value),
            ("I", Some("import_export"), Value),
            ("J", Some("foreign_investment"), Value),
            ("K", Some("output_intensity"), Value),
            ("L", Some("tax_per_mu"), Value),
        ]
    );
    let headers: Vec<&str> = s.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers[2..4], ["工业投资 / 累计", "工业投资 / 同比增长%"]);
    // 税收 is written in 亿元 (its header) and read into 万元; 进出口 takes
    // 亿元 from the note.
    let units: Vec<Option<&str>> = s.columns.iter().map(|c| c.unit.as_deref()).collect();
    assert_eq!(units[7..9], [Some("yi_yuan"), Some("yi_yuan")]);
    assert_eq!(
        figures(&s),
        [
            (
                5,
                Some(1),
                vec![
                    ("industrial_investment", "125.36", "C"),
                    ("industrial_value_added", "8.2", "E"),
                    ("operating_revenue", "856.4", "F"),
                    ("tax_revenue", "34567", "H"),
                    ("import_export", "45.8", "I"),
                    ("foreign_investment", "3200", "J"),
                    ("output_intensity", "520.6", "K"),
                    ("tax_per_mu", "28.35", "L"),
                ]
            ),
            (
                6,
                Some(2),
                vec![
                    ("industrial_investment", "98.7", "C"),
                    ("industrial_value_added", "6.9", "E"),
                    ("operating_revenue", "612.03", "F"),
                    ("tax_revenue", "21000", "H"),
                    ("import_export", "30.25", "I"),
                    ("output_intensity", "410", "K"),
                    ("tax_per_mu", "19.8", "L"),
                ]
            ),
            (
                8,
                Some(3),
                vec![
                    ("industrial_investment", "56.2", "C"),
                    ("industrial_value_added", "11.3", "E"),
                    ("operating_revenue", "233.5", "F"),
                    ("tax_revenue", "8500", "H"),
                    ("output_intensity", "268.4", "K"),
                    ("tax_per_mu", "12.06", "L"),
                ]
            ),
            (
                9,
                Some(4),
                vec![
                    ("industrial_investment", "12", "C"),
                    ("industrial_value_added", "-2.4", "E"),
                    ("operating_revenue", "40.5", "F"),
                    ("tax_revenue", "3000", "H"),
                    ("import_export", "1.15", "I"),
                    ("foreign_investment", "150", "J"),
                    ("output_intensity", "95.5", "K"),
                    ("tax_per_mu", "6.4", "L"),
                ]
            ),
        ]
    );
    use SkipKind::*;
    assert_eq!(
        skipped(&s),
        [
            (7, Subtotal),
            (10, Subtotal),
            (11, Total),
            (12, Blank),
            (13, Note),
            (14, Note)
        ]
    );
    assert!(s.skipped[0].text.starts_with("太原市小计 | 224.06"));
    assert_eq!(s.skipped[0].reason, "小计行，不是开发区");
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn gbk_csv_in_wan_with_short_zone_names() {
    let s = fixture("indicators_gbk.csv");
    assert_eq!(s.sheet, "indicators_gbk.csv");
    assert_eq!(
        s.title.as_deref(),
        Some("2024年1-2月全市开发区主要经济指标")
    );
    assert_eq!(s.period, Some((2024, 2)));
    assert_eq!(s.unit_note.as_deref(), Some("单位：万元"));
    assert_eq!(s.header_rows, [3]);
    use ColumnRole::*;
    assert_eq!(
        columns(&s),
        [
            ("A", None, Serial),
            ("B", None, Zone),
            ("C", Some("industrial_investment"), Value),
            ("D", Some("industrial_investment"), Growth),
            ("E", Some("industrial_value_added"), Value),
            ("F", Some("operating_revenue"), Value),
            ("G", Some("tax_revenue"), Value),
            ("H", Some("foreign_investment"), Value),
            ("I", Some("tax_per_mu"), Value),
        ]
    );
    // 万元 → 亿元 for the amounts kfq keeps in 亿元; 税收 stays in 万元.
    assert_eq!(
        figures(&s),
        [
            (
                4,
                Some(3),
                vec![
                    ("industrial_investment", "12.536", "C"),
                    ("industrial_value_added", "8.2", "E"),
                    ("operating_revenue", "856.4", "F"),
                    ("tax_revenue", "3456.7", "G"),
                    ("foreign_investment", "320", "H"),
                    ("tax_per_mu", "2.85", "I"),
                ]
            ),
            (
                5,
                Some(4),
                vec![
                    ("industrial_investment", "1.2", "C"),
                    ("operating_revenue", "40.5", "F"),
                    ("tax_per_mu", "0.64", "I"),
                ]
            ),
            (
                6,
                Some(1),
                vec![
                    ("industrial_investment", "9.87", "C"),
                    ("industrial_value_added", "6.9", "E"),
                    ("operating_revenue", "612.03", "F"),
                    ("tax_revenue", "21000", "G"),
                    ("foreign_investment", "150.5", "H"),
                    ("tax_per_mu", "3.1", "I"),
                ]
            ),
        ]
    );
    let zone_texts: Vec<&str> = s.rows.iter().map(|r| r.zone_text.as_str()).collect();
    assert_eq!(zone_texts, ["运城经开区", "运城空港开发区", "太原高新区"]);
    assert_eq!(skipped(&s), [(7, SkipKind::Total)]);
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn broken_table_names_every_problem_with_row_and_column() {
    let s = fixture("indicators_broken.xlsx");
    assert_eq!(s.period, None);
    assert_eq!(
        figures(&s),
        [
            (
                3,
                Some(3),
                vec![
                    ("industrial_investment", "56.2", "C"),
                    ("operating_revenue", "233.5", "D"),
                    ("tax_revenue", "8500", "E"),
                ]
            ),
            (
                4,
                None,
                vec![
                    ("industrial_investment", "3.2", "C"),
                    ("operating_revenue", "10.5", "D"),
                    ("tax_revenue", "420", "E"),
                ]
            ),
            (
                5,
                None,
                vec![
                    ("industrial_investment", "1", "C"),
                    ("operating_revenue", "2", "D"),
                    ("tax_revenue", "3", "E"),
                ]
            ),
            (6, Some(1), vec![("operating_revenue", "856.4", "D")]),
            (
                7,
                None,
                vec![
                    ("industrial_investment", "7.5", "C"),
                    ("operating_revenue", "20", "D"),
                    ("tax_revenue", "100", "E"),
                ]
            ),
        ]
    );
    assert_eq!(skipped(&s), [(8, SkipKind::Total)]);
    assert_eq!(
        messages(&s),
        [
            "Sheet1 第1行：标题“全省开发区主要经济指标完成情况”中没有统计期（如“2024年1-6月”），请选择数据所属年月",
            "Sheet1 第4行 B列：开发区“平遥古城开发区”不在您管理的范围内",
            "Sheet1 第5行 B列：开发区“太原”对应多个开发区：太原高新技术产业开发区、太原经济技术开发区",
            "Sheet1 第6行 C列：工业投资“待核实”不是数字，未读取",
            "Sheet1 第6行 E列：税收收入为错误值“#DIV/0!”，未读取",
            "Sheet1 第7行 B列：没有开发区名称",
        ]
    );
    let issue = &s.issues[3];
    assert_eq!(
        (issue.sheet.as_str(), issue.row, issue.column.as_deref()),
        ("Sheet1", Some(6), Some("C"))
    );
}

#[test]
fn layouts_built_in_memory() {
    struct Case {
        name: &'static str,
        text: &'static str,
        period: Option<(i32, u32)>,
        figures: Vec<(&'static str, &'static str)>,
        notes: Vec<(&'static str, &'static str)>,
        messages: Vec<&'static str>,
    }
    let cases = [
        Case {
            name: "two-row header written without merges",
            text: "2024年上半年开发区指标\n\
                   开发区,工业投资(万元),,营业收入(亿元),\n\
                   ,累计,同比,累计,同比\n\
                   运城经开区,\"1,200\",5.5,3.25,-1\n",
            period: Some((2024, 6)),
            figures: vec![
                ("industrial_investment", "0.12"),
                ("operating_revenue", "3.25"),
            ],
            notes: vec![],
            messages: vec![],
        },
        Case {
            name: "a growth-only indicator given as an amount and a rate",
            text: "2024年前三季度开发区指标\n\
                   开发区名称,规上工业增加值(亿元),规上工业增加值增速(%)\n\
                   太原高新区,88.5,7.2%\n",
            period: Some((2024, 9)),
            figures: vec![("industrial_value_added", "7.2")],
            notes: vec![("B", "单位为亿元，与指标“规上工业增加值”的单位%不符，未读取")],
            messages: vec![],
        },
        Case {
            name: "this month, target and a second cumulative column are not values",
            text: "2024年6月开发区指标\n\
                   开发区,工业投资本月,工业投资1-6月累计(亿元),工业投资目标,工业投资\n\
                   太原经开区,2,12.5,30,12.5\n",
            period: Some((2024, 6)),
            figures: vec![("industrial_investment", "12.5")],
            notes: vec![
                ("B", "不是“工业投资”的累计值，未读取"),
                ("D", "是“工业投资”的计划（目标）数，不是完成值，未读取"),
                ("E", "与C列同为“工业投资”，未读取"),
            ],
            messages: vec!["指标.csv 第2行 E列：“工业投资”与C列同为“工业投资”，未读取"],
        },
        Case {
            name: "units from a note in 元 and 万美元 headers in 美元",
            text: "2024年1-3月开发区指标（单位：元）\n\
                   开发区,税收收入,实际利用外资(美元),产出强度(元/亩)\n\
                   运城空港开发区,１２３４５６７,50000,12345\n",
            period: Some((2024, 3)),
            figures: vec![
                ("tax_revenue", "123.4567"),
                ("foreign_investment", "5"),
                ("output_intensity", "1.2345"),
            ],
            notes: vec![],
            messages: vec![],
        },
    ];
    for case in cases {
        let s = csv(case.text);
        assert_eq!(s.period, case.period, "{}", case.name);
        let got: Vec<(&str, &str)> = s.rows[0]
            .figures
            .iter()
            .map(|f| (f.code.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(got, case.figures, "{}", case.name);
        let notes: Vec<(&str, &str)> = s
            .columns
            .iter()
            .filter_map(|c| Some((c.column.as_str(), c.note.as_deref()?)))
            .collect();
        assert_eq!(notes, case.notes, "{}", case.name);
        assert_eq!(messages(&s), case.messages, "{}", case.name);
    }
}

#[test]
fn a_file_without_an_indicator_header_says_so() {
    let s = csv("会议纪要\n一、经济运行情况\n");
    assert!(s.columns.is_empty() && s.rows.is_empty());
    assert_eq!(
        messages(&s),
        ["指标.csv：没有找到指标表头（需要“开发区”列和“工业投资”等指标列），请确认文件内容"]
    );
}

#[test]
fn an_amount_with_no_unit_anywhere_is_read_in_the_indicators_unit_and_said_so() {
    let text = "2024年1-6月指标\n开发区,工业投资\n运城经开区,12.5\n";
    let s = read_indicator_sheet(text.as_bytes(), "指标.csv", &specs(), &zones()).unwrap();
    assert_eq!(s.rows[0].figures[0].value, "12.5");
    assert_eq!(
        messages(&s),
        ["指标.csv 第2行 B列：“工业投资”未注明单位（表头、标题和单位说明中都没有），按指标“工业投资”的单位亿元读取，请核对"]
    );
}

#[test]
fn an_indicator_with_an_unknown_unit_is_not_read_and_said_so() {
    let mut specs = specs();
    specs[0].unit = "yuan_per_head".into();
    let text = "2024年1-6月指标\n开发区,工业投资,营业收入（亿元）\n运城经开区,1,2\n";
    let s = read_indicator_sheet(text.as_bytes(), "指标.csv", &specs, &zones()).unwrap();
    assert_eq!(s.rows[0].figures.len(), 1);
    assert_eq!(
        messages(&s),
        ["指标.csv：指标“industrial_investment”的单位“yuan_per_head”无法识别，未读取"]
    );
}

#[test]
fn files_that_cannot_be_read() {
    let read = |bytes: &[u8], name: &str| read_indicator_sheet(bytes, name, &specs(), &zones());
    assert!(matches!(read(b"", "a.xlsx"), Err(ReadError::Empty)));
    assert!(matches!(
        read(b"%PDF", "a.pdf"),
        Err(ReadError::Unsupported(_))
    ));
    assert!(matches!(
        read(b"<html>", "a.xls"),
        Err(ReadError::NotASpreadsheet(_))
    ));
}

#[test]
fn sheets_serialise() {
    let s = fixture("indicators_gbk.csv");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["period"], serde_json::json!([2024, 2]));
    assert_eq!(json["columns"][3]["what"], "growth");
    assert_eq!(json["skipped"][0]["kind"], "total");
}

#[test]
fn odd_input_never_panics() {
    let inputs = [
        "开发区,工业投资\n",
        "开发区,工业投资\n\n\n",
        "2024年13月\n开发区,工业投资\n运城经开区,1e5\n",
        "单位：\n单位\n开发区,工业投资,工业投资\n,,\n合计\n",
        "开发区\n工业投资\n",
        "\"开发区\",\"工业投资（\"\n\"运城经开区\",\"９９９９９９９９９９９９９９９９９９９９９９９９９９９９\"\n",
        "，，，\n开发区,工业投资\n注：\n运城经开区,1\n",
    ];
    for text in inputs {
        let _ = read_indicator_sheet(text.as_bytes(), "x.csv", &specs(), &zones());
        let _ = read_indicator_sheet(text.as_bytes(), "x.csv", &[], &[]);
    }
}
