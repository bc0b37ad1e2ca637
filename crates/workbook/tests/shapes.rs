//! Workbooks built here in the shapes zones and statistics offices send
//! (issue #14): merged two-row headers with line breaks, 亿元 in the title
//! and 万元 in a header, sheets named for their month, CSV in GBK, "1-N月累计
//! 完成" headers, plan and target columns next to the figures. The same
//! rules hold for the ledger and the indicator table: every sheet has a
//! reporting period and says where it was read, plans are never facts, and
//! figures are converted exactly.

use chrono::NaiveDate;
use kfq_domain::progress::stage_from_progress;
use kfq_domain::Stage;
use kfq_workbook::indicators::{
    read_indicator_sheet, read_indicator_sheet_with, ColumnRole, IndicatorColumnSpec,
    IndicatorOptions, IndicatorSheet, ZoneSpec,
};
use kfq_workbook::{read, AsOfSource, Field, ReadOptions, Sheet, Unit, Workbook};

#[path = "support/build.rs"]
mod build;
use build::{sheet, xlsx, Build};

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "text has characters GBK cannot write");
    bytes.into_owned()
}

// ---- the indicator table ----

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
    [(1, "太原高新技术产业开发区"), (3, "运城经济技术开发区")]
        .into_iter()
        .map(|(id, name)| ZoneSpec {
            id,
            name: name.into(),
        })
        .collect()
}

fn indicators(bytes: &[u8], file: &str) -> IndicatorSheet {
    read_indicator_sheet(bytes, file, &specs(), &zones()).expect("readable")
}

/// Row → [(code, value, column)].
type Figures<'a> = Vec<(u32, Vec<(&'a str, &'a str, &'a str)>)>;

fn figures(s: &IndicatorSheet) -> Figures<'_> {
    s.rows
        .iter()
        .map(|r| {
            let f = r
                .figures
                .iter()
                .map(|f| (f.code.as_str(), f.value.as_str(), f.column.as_str()))
                .collect();
            (r.row, f)
        })
        .collect()
}

fn roles(s: &IndicatorSheet) -> Vec<(&str, Option<&str>, ColumnRole)> {
    s.columns
        .iter()
        .map(|c| (c.column.as_str(), c.code.as_deref(), c.what))
        .collect()
}

fn notes(s: &IndicatorSheet) -> Vec<(&str, &str)> {
    s.columns
        .iter()
        .filter_map(|c| Some((c.column.as_str(), c.note.as_deref()?)))
        .collect()
}

fn messages(s: &IndicatorSheet) -> Vec<&str> {
    s.issues.iter().map(|i| i.message.as_str()).collect()
}

/// The table of a month, its title and sheet name given.
fn month_table<'a>(name: &'a str, title: &'a str) -> Build<'a> {
    sheet(
        name,
        &[
            &[title],
            &["单位：亿元、%"],
            &["序号", "开发区", "工业投资", "营业收入"],
            &["1", "运城经开区", "56.2", "233.5"],
        ],
    )
}

#[test]
fn indicator_period_from_a_sheet_named_for_its_month() {
    let cases = [
        (
            "6月",
            "2024年全省开发区主要经济指标完成情况",
            Some((2024, 6)),
        ),
        (
            "6月份",
            "2024年全省开发区主要经济指标完成情况",
            Some((2024, 6)),
        ),
        (
            "2024年6月",
            "全省开发区主要经济指标完成情况",
            Some((2024, 6)),
        ),
        ("2024.6", "全省开发区主要经济指标完成情况", Some((2024, 6))),
        ("202405", "全省开发区主要经济指标完成情况", Some((2024, 5))),
        (
            "1-6月",
            "2024年全省开发区主要经济指标完成情况",
            Some((2024, 6)),
        ),
    ];
    for (name, title, period) in cases {
        let s = indicators(&xlsx(&[month_table(name, title)]), "指标.xlsx");
        assert_eq!(s.period, period, "{name}");
        assert_eq!(messages(&s), Vec::<&str>::new(), "{name}");
        assert_eq!(figures(&s)[0].1[0], ("industrial_investment", "56.2", "C"));
    }
    let s = indicators(
        &xlsx(&[month_table("6月", "2024年全省开发区主要经济指标完成情况")]),
        "指标.xlsx",
    );
    assert_eq!(
        s.period_basis.as_deref(),
        Some("据工作表名“6月”，年份据标题“2024年全省开发区主要经济指标完成情况”")
    );
    let s = indicators(
        &xlsx(&[month_table("2024.6", "全省开发区主要经济指标完成情况")]),
        "指标.xlsx",
    );
    assert_eq!(s.period_basis.as_deref(), Some("据工作表名“2024.6”"));
}

#[test]
fn indicator_period_in_the_title_comes_before_the_sheets_name() {
    let s = indicators(
        &xlsx(&[month_table(
            "5月",
            "2024年1-6月全省开发区主要经济指标完成情况",
        )]),
        "指标.xlsx",
    );
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(
        s.period_basis.as_deref(),
        Some("据标题“2024年1-6月全省开发区主要经济指标完成情况”")
    );
    // A sheet named for another month is worth a word.
    assert_eq!(
        messages(&s),
        ["5月：标题为2024年6月，工作表名“5月”却是5月，请核对数据所属年月"]
    );
}

#[test]
fn indicator_period_from_a_stated_cut_off_and_from_1_n_headers() {
    // "截至6月底" under a title that gives only the year.
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年全省开发区主要经济指标"],
                &["（截至6月底）", "", "单位：亿元"],
                &["开发区", "工业投资", "营业收入"],
                &["运城经开区", "56.2", "233.5"],
            ],
        )]),
        "指标.xlsx",
    );
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(
        s.period_basis.as_deref(),
        Some("据“（截至6月底）”，年份据标题“2024年全省开发区主要经济指标”")
    );
    assert_eq!(messages(&s), Vec::<&str>::new());

    // "1-5月累计完成" in the header, the year in the title.
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年全省开发区主要经济指标完成情况"],
                &[
                    "开发区",
                    "工业投资\n1-5月累计完成\n（亿元）",
                    "营业收入（亿元）",
                ],
                &["运城经开区", "56.2", "233.5"],
            ],
        )]),
        "指标.xlsx",
    );
    assert_eq!(s.period, Some((2024, 5)));
    assert_eq!(
        s.period_basis.as_deref(),
        Some("据表头“工业投资 1-5月累计完成 （亿元）”，年份据标题“2024年全省开发区主要经济指标完成情况”")
    );
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn indicator_period_that_cannot_be_read_is_said_never_guessed() {
    // The months without a year.
    let s = indicators(
        &xlsx(&[month_table("Sheet1", "1-6月全省开发区主要经济指标")]),
        "指标.xlsx",
    );
    assert_eq!(s.period, None);
    assert_eq!(s.period_basis, None);
    assert_eq!(
        messages(&s),
        ["Sheet1 第1行：标题“1-6月全省开发区主要经济指标”只有月份（6月），没有年份，请选择数据所属年月"]
    );
    // The months in the title, the year in the sheet's name.
    let s = indicators(
        &xlsx(&[month_table("2024年", "1-6月全省开发区主要经济指标")]),
        "指标.xlsx",
    );
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(
        s.period_basis.as_deref(),
        Some("据标题“1-6月全省开发区主要经济指标”，年份据工作表名“2024年”")
    );
    assert_eq!(messages(&s), Vec::<&str>::new());
    // A month-named sheet under a title without a year.
    let s = indicators(
        &xlsx(&[month_table("6月", "全省开发区主要经济指标完成情况")]),
        "指标.xlsx",
    );
    assert_eq!(s.period, None);
    assert_eq!(
        messages(&s),
        ["6月：工作表名“6月”只有月份（6月），没有年份，请选择数据所属年月"]
    );
    // Nothing at all.
    let s = indicators(
        &xlsx(&[month_table("Sheet1", "全省开发区主要经济指标完成情况")]),
        "指标.xlsx",
    );
    assert_eq!(
        messages(&s),
        ["Sheet1 第1行：标题“全省开发区主要经济指标完成情况”中没有统计期（如“2024年1-6月”），请选择数据所属年月"]
    );
}

#[test]
fn indicator_period_header_disagreeing_with_the_title_is_said() {
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年1-6月全省开发区主要经济指标完成情况"],
                &["开发区", "1-5月工业投资（亿元）", "营业收入（亿元）"],
                &["运城经开区", "56.2", "233.5"],
            ],
        )]),
        "指标.xlsx",
    );
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(
        messages(&s),
        ["Sheet1 第2行 B列：标题为2024年6月，表头“1-5月工业投资（亿元）”却是1-5月，请核对数据所属年月"]
    );
}

#[test]
fn indicator_period_chosen_by_the_user() {
    let bytes = xlsx(&[month_table(
        "Sheet1",
        "2024年1-6月全省开发区主要经济指标完成情况",
    )]);
    let read = |period| {
        let options = IndicatorOptions { period };
        read_indicator_sheet_with(&bytes, "指标.xlsx", &specs(), &zones(), &options).unwrap()
    };
    let s = read(Some((2024, 6)));
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(s.period_basis.as_deref(), Some("按所选年月"));
    assert_eq!(messages(&s), Vec::<&str>::new());
    let s = read(Some((2024, 5)));
    assert_eq!(s.period, Some((2024, 5)));
    assert_eq!(
        messages(&s),
        ["Sheet1：所选年月为2024年5月，表格为2024年6月（据标题“2024年1-6月全省开发区主要经济指标完成情况”），按所选年月读取"]
    );
    // Chosen where the table says nothing: no complaint.
    let bytes = xlsx(&[month_table("Sheet1", "全省开发区主要经济指标完成情况")]);
    let options = IndicatorOptions {
        period: Some((2024, 3)),
    };
    let s = read_indicator_sheet_with(&bytes, "指标.xlsx", &specs(), &zones(), &options).unwrap();
    assert_eq!(s.period, Some((2024, 3)));
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn indicator_workbook_of_month_sheets_reads_the_month_chosen() {
    let month = |name: &'static str, figure: &'static str| {
        sheet(
            name,
            &[
                &["2024年全省开发区主要经济指标完成情况"],
                &["开发区", "工业投资（亿元）"],
                &["运城经开区", figure],
            ],
        )
    };
    let bytes = xlsx(&[month("5月", "40.5"), month("6月", "56.2")]);
    let s = indicators(&bytes, "指标.xlsx");
    assert_eq!((s.sheet.as_str(), s.period), ("5月", Some((2024, 5))));
    assert_eq!(
        messages(&s),
        ["指标.xlsx：工作簿中有多个月份的工作表（5月、6月），读取的是“5月”；要读取其他月份，请选择该年月"]
    );
    let options = IndicatorOptions {
        period: Some((2024, 6)),
    };
    let s = read_indicator_sheet_with(&bytes, "指标.xlsx", &specs(), &zones(), &options).unwrap();
    assert_eq!((s.sheet.as_str(), s.period), ("6月", Some((2024, 6))));
    assert_eq!(figures(&s)[0].1, [("industrial_investment", "56.2", "B")]);
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn indicator_target_plan_and_forecast_columns_are_never_the_value() {
    // Merged two-row header with line breaks: the year's target and a
    // forecast stand left of the figures they must not replace.
    let s = indicators(
        &xlsx(&[sheet(
            "主要指标",
            &[
                &["2024年1-6月全省开发区主要经济指标完成情况"],
                &["单位：亿元、%"],
                &["序号", "开发区", "工业投资", "", "", "", "营业收入", "", ""],
                &[
                    "",
                    "",
                    "年度\n目标",
                    "预计\n全年",
                    "1-6月\n累计完成",
                    "同比\n增长\n(%)",
                    "全年\n计划",
                    "拟完成",
                    "1-6月\n累计\n完成",
                ],
                &[
                    "1",
                    "运城经开区",
                    "120",
                    "118",
                    "56.2",
                    "8.5",
                    "500",
                    "480",
                    "233.5",
                ],
            ],
        )
        .merged(&[(2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 2, 5), (2, 6, 2, 8)])]),
        "指标.xlsx",
    );
    assert_eq!(s.header_rows, [3, 4]);
    use ColumnRole::*;
    assert_eq!(
        roles(&s),
        [
            ("A", None, Serial),
            ("B", None, Zone),
            ("C", Some("industrial_investment"), Ignored),
            ("D", Some("industrial_investment"), Ignored),
            ("E", Some("industrial_investment"), Value),
            ("F", Some("industrial_investment"), Growth),
            ("G", Some("operating_revenue"), Ignored),
            ("H", Some("operating_revenue"), Ignored),
            ("I", Some("operating_revenue"), Value),
        ]
    );
    assert_eq!(
        notes(&s),
        [
            ("C", "是“工业投资”的计划（目标）数，不是完成值，未读取"),
            ("D", "是“工业投资”的计划（目标）数，不是完成值，未读取"),
            ("G", "是“营业收入”的计划（目标）数，不是完成值，未读取"),
            ("H", "是“营业收入”的计划（目标）数，不是完成值，未读取"),
        ]
    );
    assert_eq!(
        figures(&s),
        [(
            5,
            vec![
                ("industrial_investment", "56.2", "E"),
                ("operating_revenue", "233.5", "I"),
            ]
        )]
    );
    let headers: Vec<&str> = s.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers[4], "工业投资 / 1-6月 累计完成");
    assert_eq!(s.period, Some((2024, 6)));
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn indicator_plan_group_over_indicators_is_not_the_value() {
    // 年度计划 and 1-6月完成 as groups over the same indicators.
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年1-6月开发区主要指标"],
                &["开发区", "年度计划", "", "1-6月完成", ""],
                &[
                    "",
                    "工业投资\n（亿元）",
                    "税收收入\n（万元）",
                    "工业投资\n（亿元）",
                    "税收收入\n（万元）",
                ],
                &["太原高新区", "300", "90000", "125.36", "34567"],
            ],
        )
        .merged(&[(1, 0, 2, 0), (1, 1, 1, 2), (1, 3, 1, 4)])]),
        "指标.xlsx",
    );
    assert_eq!(
        figures(&s),
        [(
            4,
            vec![
                ("industrial_investment", "125.36", "D"),
                ("tax_revenue", "34567", "E"),
            ]
        )]
    );
    assert_eq!(s.rows[0].zone_id, Some(1));
}

#[test]
fn indicator_last_years_figure_and_unreadable_columns() {
    // 上年同期 left of 本年累计; 税收 in 万美元, which no rate converts; a
    // second 营业收入.
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年1-6月开发区主要指标"],
                &[
                    "开发区",
                    "工业投资（亿元）",
                    "",
                    "",
                    "税收收入\n（万美元）",
                    "营业收入",
                    "营业收入（亿元）",
                ],
                &[
                    "",
                    "上年\n同期",
                    "本年\n累计",
                    "比上年\n增长(%)",
                    "",
                    "",
                    "",
                ],
                &[
                    "运城经开区",
                    "50.1",
                    "56.2",
                    "12.2",
                    "300",
                    "233.5",
                    "233.5",
                ],
            ],
        )
        .merged(&[
            (1, 0, 2, 0),
            (1, 1, 1, 3),
            (1, 4, 2, 4),
            (1, 5, 2, 5),
            (1, 6, 2, 6),
        ])]),
        "指标.xlsx",
    );
    use ColumnRole::*;
    assert_eq!(
        roles(&s)[1..],
        [
            ("B", Some("industrial_investment"), Ignored),
            ("C", Some("industrial_investment"), Value),
            ("D", Some("industrial_investment"), Growth),
            ("E", Some("tax_revenue"), Ignored),
            ("F", Some("operating_revenue"), Value),
            ("G", Some("operating_revenue"), Ignored),
        ]
    );
    assert_eq!(
        figures(&s),
        [(
            4,
            vec![
                ("industrial_investment", "56.2", "C"),
                ("operating_revenue", "233.5", "F"),
            ]
        )]
    );
    assert_eq!(
        notes(&s)[0],
        ("B", "是“工业投资”的上年同期数，不是本期值，未读取")
    );
    // What cannot be read is said; what is no value by design is noted on
    // the column only.
    assert_eq!(
        messages(&s),
        [
            "Sheet1 第2行 E列：“税收收入 （万美元）”单位为万美元，无法换算为指标“税收收入”的单位万元，未读取",
            "Sheet1 第2行 F列：“营业收入”未注明单位（表头、标题和单位说明中都没有），按指标“营业收入”的单位亿元读取，请核对",
            "Sheet1 第2行 G列：“营业收入（亿元）”与F列同为“营业收入”，未读取",
        ]
    );
}

#[test]
fn indicator_units_in_title_note_and_headers() {
    // 亿元 in the title (no "单位" word): 税收 is kept in 万元, so 3.4567 亿元
    // is 34567 万元; the header's 万元 outranks the title for 工业投资.
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年1-6月全省开发区主要经济指标（亿元）"],
                &["开发区", "工业投资（万元）", "营业收入", "税收收入"],
                &["太原高新区", "1253600", "856.4", "3.4567"],
            ],
        )]),
        "指标.xlsx",
    );
    assert_eq!(s.unit_note.as_deref(), Some("（亿元）"));
    assert_eq!(
        s.title.as_deref(),
        Some("2024年1-6月全省开发区主要经济指标")
    );
    let units: Vec<Option<&str>> = s.columns.iter().map(|c| c.unit.as_deref()).collect();
    assert_eq!(
        units,
        [None, Some("wan_yuan"), Some("yi_yuan"), Some("yi_yuan")]
    );
    assert_eq!(
        figures(&s),
        [(
            3,
            vec![
                ("industrial_investment", "125.36", "B"),
                ("operating_revenue", "856.4", "C"),
                ("tax_revenue", "34567", "D"),
            ]
        )]
    );

    // The note says 万元, a merged header cell says 亿元 with line breaks.
    let s = indicators(
        &xlsx(&[sheet(
            "Sheet1",
            &[
                &["2024年1-6月全省开发区主要经济指标", "", "", "单位：万元"],
                &["开发区", "工业投资\n（亿元）", "", "税收收入"],
                &["", "1-6月\n累计", "同比\n(%)", ""],
                &["运城经开区", "0.3", "-1.5", "8500.25"],
            ],
        )
        .merged(&[(1, 0, 2, 0), (1, 1, 1, 2), (1, 3, 2, 3)])]),
        "指标.xlsx",
    );
    assert_eq!(s.unit_note.as_deref(), Some("单位：万元"));
    assert_eq!(
        figures(&s),
        [(
            4,
            vec![
                ("industrial_investment", "0.3", "B"),
                ("tax_revenue", "8500.25", "D"),
            ]
        )]
    );
    assert_eq!(messages(&s), Vec::<&str>::new());
}

#[test]
fn indicator_gbk_csv_with_cut_off_and_targets() {
    let text = "全省开发区主要经济指标完成情况\r\n\
                截至2024年3月底,,,单位：万元\r\n\
                序号,开发区,工业投资目标,1-3月工业投资,税收收入\r\n\
                1,运城经开区,\"300,000\",\"125,360\",\"8,500\"\r\n\
                2,太原高新区,—,7,待核实\r\n\
                ,合计,,\"125,367\",8500\r\n";
    let s = indicators(&gbk(text), "指标.csv");
    assert_eq!(s.period, Some((2024, 3)));
    assert_eq!(s.period_basis.as_deref(), Some("据“截至2024年3月底”"));
    assert_eq!(
        notes(&s),
        [("C", "是“工业投资”的计划（目标）数，不是完成值，未读取")]
    );
    assert_eq!(
        figures(&s),
        [
            (
                4,
                vec![
                    ("industrial_investment", "12.536", "D"),
                    ("tax_revenue", "8500", "E"),
                ]
            ),
            (5, vec![("industrial_investment", "0.0007", "D")]),
        ]
    );
    assert_eq!(
        messages(&s),
        ["指标.csv 第5行 E列：税收收入“待核实”不是数字，未读取"]
    );
}

#[test]
fn indicator_sheets_serialise_their_period_basis() {
    let s = indicators(
        &xlsx(&[month_table("6月", "2024年全省开发区主要经济指标完成情况")]),
        "指标.xlsx",
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["period"], serde_json::json!([2024, 6]));
    assert_eq!(
        json["period_basis"],
        "据工作表名“6月”，年份据标题“2024年全省开发区主要经济指标完成情况”"
    );
}

// ---- the ledger ----

fn ledger(bytes: &[u8], file: &str) -> Workbook {
    read(bytes, file, &ReadOptions::default()).expect("readable")
}

fn ledger_sheet<'b>(book: &'b Workbook, name: &str) -> &'b Sheet {
    book.sheets.iter().find(|s| s.name == name).unwrap()
}

fn field_of(sheet: &Sheet, column: &str) -> Option<Field> {
    sheet.columns.iter().find(|c| c.column == column)?.field
}

fn yuan(v: &Option<kfq_workbook::Approx<kfq_domain::Money>>) -> Option<i64> {
    v.as_ref().map(|a| a.value.yuan())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn ledger_merged_two_row_header_with_line_breaks_and_units_in_title_and_header() {
    let bytes = xlsx(&[sheet(
        "Sheet1",
        &[
            &["2024年运城经开区重点项目推进台账（单位：亿元）"],
            &["序号", "项目\n名称", "投资情况", "", "", "项目进展\n情况"],
            &[
                "",
                "",
                "总投资",
                "2024年\n计划投资",
                "1-6月\n累计完成\n（万元）",
                "",
            ],
            &[
                "1",
                "年产10万吨新材料项目",
                "12.5",
                "3",
                "8560.5",
                "主体结构封顶，正在进行钢结构吊装",
            ],
            &[
                "2",
                "园区污水处理厂",
                "0.8",
                "0.5",
                "1200",
                "尚未开工，正在办理施工许可",
            ],
        ],
    )
    .merged(&[(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 4), (1, 5, 2, 5)])]);
    let book = ledger(&bytes, "台账.xlsx");
    let s = ledger_sheet(&book, "Sheet1");
    assert_eq!(s.title.as_deref(), Some("2024年运城经开区重点项目推进台账"));
    assert_eq!(s.money_unit, Unit::Yi);
    assert_eq!(field_of(s, "C"), Some(Field::TotalInvestment));
    assert_eq!(field_of(s, "D"), Some(Field::PlannedInvestment));
    assert_eq!(field_of(s, "E"), Some(Field::CompletedYtd));
    assert_eq!(field_of(s, "F"), Some(Field::Progress));
    let e = s.columns.iter().find(|c| c.column == "E").unwrap();
    assert_eq!((e.unit, e.months), (Some(Unit::Wan), Some((1, 6))));
    assert_eq!(s.ytd_through_month, Some(6));
    let as_of = s.as_of.as_ref().unwrap();
    assert_eq!(
        (as_of.date, as_of.source, as_of.text.as_str()),
        (date(2024, 6, 30), AsOfSource::YearToDate, "1-6月")
    );
    let v = &s.rows[0].values;
    assert_eq!(yuan(&v.total_investment), Some(1_250_000_000));
    assert_eq!(yuan(&v.planned_investment), Some(300_000_000));
    assert_eq!(yuan(&v.completed_ytd), Some(85_605_000));
    let v = &s.rows[1].values;
    assert_eq!(yuan(&v.total_investment), Some(80_000_000));
    assert_eq!(yuan(&v.completed_ytd), Some(12_000_000));
    let stages: Vec<Option<Stage>> = s
        .rows
        .iter()
        .map(|r| stage_from_progress(r.values.progress.as_deref()?).map(|p| p.stage))
        .collect();
    assert_eq!(stages, [Some(Stage::Started), Some(Stage::PreConstruction)]);
    assert_eq!(book.errors().count(), 0);
}

#[test]
fn ledger_sheets_named_for_their_months() {
    let month = |name: &'static str, completed: &'static str| {
        sheet(
            name,
            &[
                &["2024年重点项目台账"],
                &["项目名称", "总投资（万元）", "累计完成投资（万元）"],
                &["光伏支架生产项目", "5000", completed],
            ],
        )
    };
    let bytes = xlsx(&[
        month("5月", "1200"),
        month("6月份", "1500"),
        month("2024.7", "1800"),
    ]);
    let book = ledger(&bytes, "台账.xlsx");
    let got: Vec<(&str, NaiveDate, AsOfSource)> = book
        .sheets
        .iter()
        .map(|s| {
            let a = s.as_of.as_ref().unwrap();
            (s.name.as_str(), a.date, a.source)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("5月", date(2024, 5, 31), AsOfSource::SheetName),
            ("6月份", date(2024, 6, 30), AsOfSource::SheetName),
            ("2024.7", date(2024, 7, 31), AsOfSource::SheetName),
        ]
    );
    let completed: Vec<Option<i64>> = book
        .projects()
        .map(|r| yuan(&r.values.completed_cumulative))
        .collect();
    assert_eq!(
        completed,
        [Some(12_000_000), Some(15_000_000), Some(18_000_000)]
    );
}

#[test]
fn ledger_gbk_csv_with_a_stated_cut_off_and_progress_in_many_wordings() {
    let text = "2024年重点项目推进台账\r\n\
                截至2024年6月20日,,,单位：亿元\r\n\
                序号,项目名称,总投资,1-6月累计完成投资（万元）,项目进展情况\r\n\
                1,新能源装备产业园,10,\"2,500\",已完成土地摘牌，正在进行规划设计\r\n\
                2,再生金属项目,3.5,0,环评审批中\r\n\
                3,高端铸件项目,2,300,桩基施工\r\n\
                4,智能制造基地,8,\"1,000\",钢结构吊装\r\n\
                5,科创中心,1.2,600,正在进行装饰装修\r\n\
                6,新材料产业园,6,900,已竣工验收\r\n\
                7,氢能装备项目,4,800,生产线进入试生产阶段\r\n\
                8,铝型材项目,2.5,100,已投产\r\n\
                9,物流园,1,0,因资金问题停工\r\n\
                10,数据中心,5,0,尚未开工，计划9月开工\r\n\
                11,光伏组件项目,3,0,计划开工\r\n";
    let book = ledger(&gbk(text), "台账.csv");
    assert_eq!(book.encoding.as_deref(), Some("GBK"));
    let s = &book.sheets[0];
    let as_of = s.as_of.as_ref().unwrap();
    assert_eq!(
        (as_of.date, as_of.source, as_of.text.as_str()),
        (date(2024, 6, 20), AsOfSource::Stated, "截至2024年6月20日")
    );
    assert_eq!(s.money_unit, Unit::Yi);
    let v = &s.rows[0].values;
    assert_eq!(yuan(&v.total_investment), Some(1_000_000_000));
    assert_eq!(yuan(&v.completed_ytd), Some(25_000_000));
    let stages: Vec<(Option<Stage>, String)> = s
        .rows
        .iter()
        .map(
            |r| match stage_from_progress(r.values.progress.as_deref().unwrap()) {
                Some(p) => (Some(p.stage), p.words),
                None => (None, String::new()),
            },
        )
        .collect();
    let pre = Some(Stage::PreConstruction);
    let started = Some(Stage::Started);
    let expected: Vec<(Option<Stage>, String)> = [
        (pre, "土地摘牌"),
        (pre, "环评"),
        (started, "桩基"),
        (started, "钢结构"),
        (started, "装饰装修"),
        (Some(Stage::Completed), "竣工验收"),
        (Some(Stage::Producing), "试生产"),
        (Some(Stage::Producing), "投产"),
        (Some(Stage::Suspended), "停工"),
        (pre, "未开工"),
        (None, ""),
    ]
    .into_iter()
    .map(|(s, w)| (s, w.to_string()))
    .collect();
    assert_eq!(stages, expected);
    assert_eq!(book.errors().count(), 0);
}

#[test]
fn ledger_money_in_dollars_is_never_read_as_yuan() {
    // In a header: that column is not read, the others are.
    let book = ledger(
        "项目名称,总投资（万美元）,1-6月完成投资（万元）\n外资新材料项目,1000,20\n".as_bytes(),
        "台账.csv",
    );
    let s = &book.sheets[0];
    let b = s.columns.iter().find(|c| c.column == "B").unwrap();
    assert_eq!(b.field, None);
    assert_eq!(
        b.note.as_deref(),
        Some("“总投资（万美元）”以美元计，台账金额以人民币计，无法换算，未读取（请换算为万元后导入，或在列映射中指定单位）")
    );
    let v = &s.rows[0].values;
    assert_eq!(yuan(&v.total_investment), None);
    assert_eq!(yuan(&v.completed_ytd), Some(200_000));

    // In the unit note: every money column without its own unit.
    let book = ledger(
        "外资项目台账\n单位：万美元\n项目名称,总投资,1-6月完成投资（万元）\n外资新材料项目,1000,20\n"
            .as_bytes(),
        "台账.csv",
    );
    let s = &book.sheets[0];
    assert_eq!(s.unit_note.as_deref(), Some("单位:万美元"));
    assert_eq!(field_of(s, "B"), None);
    assert_eq!(
        s.columns[1].note.as_deref(),
        Some("“单位:万美元”以美元计，台账金额以人民币计，无法换算，未读取（请换算为万元后导入，或在列映射中指定单位）")
    );
    assert_eq!(yuan(&s.rows[0].values.completed_ytd), Some(200_000));
}
