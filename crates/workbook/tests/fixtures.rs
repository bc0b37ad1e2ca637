//! Reads every fixture under `fixtures/` (written by make_fixtures.py) and
//! checks the layout found, the mapping proposed, which rows are projects and
//! which are skipped, exact money in yuan, dates, and the errors people get.

use chrono::NaiveDate;
use kfq_domain::{Category, Money, Nature, Stage};
use kfq_workbook::{
    read, Approx, ColumnOverride, Field, Format, HeaderOverride, LedgerDate, MappingSource,
    ProjectRow, ReadError, ReadOptions, Sheet, SkipKind, Unit, UnitSource, Workbook,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/");
    std::fs::read(format!("{path}{name}")).expect("fixture present")
}

fn open(name: &str) -> Workbook {
    open_with(name, &ReadOptions::default())
}

fn open_with(name: &str, options: &ReadOptions) -> Workbook {
    read(&fixture(name), name, options).expect("readable")
}

fn sheet<'a>(book: &'a Workbook, name: &str) -> &'a Sheet {
    book.sheets.iter().find(|s| s.name == name).expect("sheet")
}

fn row(sheet: &Sheet, number: u32) -> &ProjectRow {
    sheet
        .rows
        .iter()
        .find(|r| r.row == number)
        .unwrap_or_else(|| panic!("row {number} is a project"))
}

/// Column letter → field, for the mapped columns.
fn mapping(sheet: &Sheet) -> Vec<(String, Option<Field>)> {
    sheet
        .columns
        .iter()
        .map(|c| (c.column.clone(), c.field))
        .collect()
}

fn yuan(value: &Option<Approx<Money>>) -> Option<i64> {
    value.as_ref().map(|a| a.value.yuan())
}

fn day(y: i32, m: u32, d: u32) -> Option<LedgerDate> {
    Some(LedgerDate::Day {
        date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
    })
}

fn month(year: i32, month: u32) -> Option<LedgerDate> {
    Some(LedgerDate::Month { year, month })
}

fn skipped(sheet: &Sheet) -> Vec<(u32, SkipKind)> {
    sheet.skipped.iter().map(|s| (s.row, s.kind)).collect()
}

fn messages(row: &ProjectRow) -> Vec<&str> {
    row.errors.iter().map(|e| e.message.as_str()).collect()
}

#[test]
fn city_ledger_with_sections_subtotals_and_a_two_row_header() {
    let book = open("city_ledger.xlsx");
    assert_eq!(book.format, Format::Xlsx);
    assert_eq!(book.errors().count(), 0);
    let s = sheet(&book, "重点项目台账");
    assert_eq!(
        s.title.as_deref(),
        Some("2023年运城经济技术开发区重点项目推进台账")
    );
    assert_eq!(s.title_row, Some(1));
    assert_eq!(s.unit_note.as_deref(), Some("单位：万元"));
    assert_eq!(
        (s.money_unit, s.money_unit_source),
        (Unit::Wan, UnitSource::UnitNote)
    );
    assert_eq!(s.year, Some(2023));
    assert_eq!(s.ytd_through_month, Some(6));
    let header_rows: Vec<u32> = s.header_rows.iter().map(|h| h.row).collect();
    assert_eq!(header_rows, [3, 4]);

    let expected = [
        Field::Serial,
        Field::Name,
        Field::Investor,
        Field::Nature,
        Field::ConstructionContent,
        Field::TotalInvestment,
        Field::PlannedInvestment,
        Field::CompletedYtd,
        Field::CompletedCumulative,
        Field::StartDate,
        Field::ProductionDate,
        Field::Liaison,
        Field::Department,
        Field::Progress,
        Field::Blockers,
    ];
    let got: Vec<Option<Field>> = s.columns.iter().map(|c| c.field).collect();
    assert_eq!(got, expected.map(Some));
    let h = &s.columns[7];
    assert_eq!(
        (h.column.as_str(), h.header.as_str(), h.months),
        ("H", "2023年投资 / 1-6月完成", Some((1, 6)))
    );
    assert!(s.columns.iter().all(|c| c.confidence == 100));

    let projects: Vec<u32> = s.rows.iter().map(|r| r.row).collect();
    assert_eq!(projects, [6, 7, 8, 9, 13, 14, 17]);
    assert_eq!(
        skipped(s),
        [
            (5, SkipKind::Section),
            (10, SkipKind::Subtotal),
            (11, SkipKind::Blank),
            (12, SkipKind::Section),
            (15, SkipKind::Subtotal),
            (16, SkipKind::Section),
            (18, SkipKind::Total),
            (19, SkipKind::Blank),
            (20, SkipKind::Note),
            (21, SkipKind::Note),
        ]
    );
    assert_eq!(s.skipped[1].reason, "小计行");

    let r6 = row(s, 6);
    assert_eq!(r6.values.name.as_deref(), Some("年产100万吨公路护栏项目"));
    assert_eq!(yuan(&r6.values.total_investment), Some(880_000_000));
    assert_eq!(yuan(&r6.values.planned_investment), Some(300_000_000));
    assert_eq!(r6.values.start_date, day(2023, 3, 15));
    assert_eq!(r6.values.production_date, day(2023, 12, 31)); // 2023年底
    assert_eq!(r6.values.nature, Some(Nature::New));
    // No category column: the section heading says 产业类.
    assert_eq!(r6.values.category, Some(Category::Industrial));
    assert_eq!(r6.inferred, [Field::Category]);
    assert_eq!(r6.section.as_deref(), Some("一、产业类项目（4个）"));

    let r7 = row(s, 7);
    assert_eq!(yuan(&r7.values.completed_ytd), Some(32_005_000));
    assert_eq!(yuan(&r7.values.completed_cumulative), Some(98_000_000));
    assert_eq!(r7.values.start_date, month(2022, 9));
    assert_eq!(r7.values.production_date, month(2023, 10));
    // 包联领导 merged over rows 6-7 is carried down.
    assert_eq!(r7.values.liaison.as_deref(), Some("李建国"));
    assert_eq!(r7.values.blockers, None); // "—"

    let r8 = row(s, 8);
    assert_eq!(r8.values.start_date, month(2023, 4)); // typed 2023.4, a number

    let r9 = row(s, 9);
    assert_eq!(r9.values.start_date, day(2023, 7, 31)); // 7月底, year from the title
    assert_eq!(r9.values.production_date, day(2024, 6, 30)); // 2024年上半年
    assert_eq!(r9.values.completed_ytd, None); // "/"
    assert_eq!(r9.values.nature, Some(Nature::Preliminary));

    let r13 = row(s, 13);
    assert_eq!(r13.values.category, Some(Category::Infrastructure));
    assert_eq!(yuan(&r13.values.total_investment), Some(186_000_000));
    assert_eq!(r13.values.production_date, day(2023, 10, 31));
    assert_eq!(row(s, 17).values.category, Some(Category::Social));

    let total: i64 = s
        .rows
        .iter()
        .filter_map(|r| yuan(&r.values.total_investment))
        .sum();
    assert_eq!(total, 2_416_000_000); // the sheet's own 合计: 241600 万元
}

#[test]
fn zone_ledger_in_yi_with_units_in_the_headers() {
    let book = open("zone_yi.xlsx");
    assert_eq!(book.errors().count(), 0);
    let s = sheet(&book, "项目台账");
    assert_eq!(
        s.title.as_deref(),
        Some("新绛经济技术开发区2024年重点项目台账")
    );
    assert_eq!(s.unit_note, None);
    assert_eq!(s.year, Some(2024));
    assert_eq!(s.ytd_through_month, Some(9));
    let total = &s.columns[5];
    assert_eq!(total.header, "总投资 （亿元）");
    assert_eq!(total.field, Some(Field::TotalInvestment));
    assert_eq!(
        (total.unit, total.unit_source),
        (Some(Unit::Yi), Some(UnitSource::Header))
    );
    let area = s
        .columns
        .iter()
        .find(|c| c.field == Some(Field::FloorArea))
        .unwrap();
    assert_eq!(area.unit, Some(Unit::WanSquareMetre));
    assert_eq!(s.columns.len(), 19);
    assert!(s.columns.iter().all(|c| c.field.is_some()));

    let projects: Vec<u32> = s.rows.iter().map(|r| r.row).collect();
    assert_eq!(projects, [3, 4, 5, 6, 7, 8]);
    assert_eq!(skipped(s), [(9, SkipKind::Blank), (10, SkipKind::Total)]);

    let r3 = row(s, 3);
    assert_eq!(yuan(&r3.values.total_investment), Some(210_000_000));
    assert_eq!(yuan(&r3.values.completed_ytd), Some(65_000_000));
    assert_eq!(yuan(&r3.values.annual_output), Some(650_000_000));
    assert_eq!(
        r3.values.land_mu.as_ref().unwrap().value.hundredths(),
        12_000
    );
    assert_eq!(r3.values.floor_area.as_ref().unwrap().value, 35_000);
    assert_eq!(r3.values.registered, Some(true)); // √
    assert_eq!(
        r3.values.project_code.as_deref(),
        Some("2403-140223-89-01-562315")
    );
    assert_eq!(r3.values.stage, Some(Stage::Started));
    assert_eq!(r3.values.category, Some(Category::Industrial));
    assert_eq!(r3.values.industry_chain.as_deref(), Some("再生金属"));
    assert_eq!(r3.values.start_date, day(2024, 3, 1));
    assert_eq!(r3.values.production_date, month(2024, 12));

    let r4 = row(s, 4);
    assert_eq!(r4.values.registered, Some(false)); // ×
    let land = r4.values.land_mu.as_ref().unwrap();
    assert_eq!(
        (land.value.hundredths(), land.qualifier.as_deref()),
        (15_000, Some("约"))
    );
    let jobs = r4.values.jobs.as_ref().unwrap();
    assert_eq!((jobs.value, jobs.qualifier.as_deref()), (300, Some("余")));

    let r5 = row(s, 5);
    let planned = r5.values.planned_investment.as_ref().unwrap();
    assert_eq!(
        (planned.value.yuan(), planned.qualifier.as_deref()),
        (150_000_000, Some("约"))
    );
    // 1.23 亿元 is a double in the file; it is read as exactly 123,000,000 yuan.
    assert_eq!(yuan(&r5.values.completed_ytd), Some(123_000_000));
    assert_eq!(r5.values.start_date, month(2024, 5));

    let r6 = row(s, 6);
    assert_eq!(yuan(&r6.values.total_investment), Some(880_000_000));
    let land = r6.values.land_mu.as_ref().unwrap();
    assert_eq!(
        (land.value.hundredths(), land.qualifier.as_deref()),
        (50_000, Some("余"))
    );
    assert_eq!(r6.values.stage, Some(Stage::Producing));
    assert_eq!(r6.values.registered, Some(true)); // 已入库

    let r7 = row(s, 7);
    assert_eq!(yuan(&r7.values.total_investment), Some(35_000_000));
    assert_eq!(r7.values.industry_chain, None); // "—"
    assert_eq!(r7.values.land_mu, None);
    assert_eq!(r7.values.category, Some(Category::Infrastructure));

    // 0.1 + 0.2 computed in a cell is stored as 0.30000000000000004.
    let r8 = row(s, 8);
    assert_eq!(yuan(&r8.values.planned_investment), Some(30_000_000));
    assert_eq!(r8.values.category, Some(Category::Social));
    assert_eq!(r8.values.production_date, day(2025, 6, 30));

    let hidden = sheet(&book, "填表说明");
    assert!(hidden.hidden && !hidden.is_ledger && hidden.rows.is_empty());
}

#[test]
fn gbk_csv_with_thousands_separators_and_full_width_digits() {
    let book = open("gbk_ledger.csv");
    assert_eq!(book.format, Format::Csv);
    assert_eq!(book.encoding.as_deref(), Some("GBK"));
    assert_eq!(book.errors().count(), 0);
    let s = &book.sheets[0];
    assert_eq!(
        s.title.as_deref(),
        Some("平城现代农业产业示范区2024年重点项目台账")
    );
    assert_eq!(s.unit_note.as_deref(), Some("金额单位：万元"));
    assert_eq!(s.year, Some(2024));
    let fields: Vec<(String, Option<Field>)> = mapping(s).into_iter().skip(4).take(3).collect();
    assert_eq!(
        fields,
        [
            ("E".to_string(), Some(Field::TotalInvestment)),
            ("F".to_string(), Some(Field::PlannedInvestment)),
            ("G".to_string(), Some(Field::CompletedYtd)),
        ]
    );

    let projects: Vec<u32> = s.rows.iter().map(|r| r.row).collect();
    assert_eq!(projects, [4, 5, 6, 8, 9]);
    assert_eq!(
        skipped(s),
        [
            (3, SkipKind::Section),
            (7, SkipKind::Section),
            (10, SkipKind::Total),
            (11, SkipKind::Note),
        ]
    );

    let r4 = row(s, 4);
    assert_eq!(r4.values.name.as_deref(), Some("年产5万吨杂粮深加工项目"));
    assert_eq!(yuan(&r4.values.total_investment), Some(120_000_000)); // "12,000"
    assert_eq!(yuan(&r4.values.planned_investment), Some(60_000_000)); // "６０００"
    assert_eq!(yuan(&r4.values.completed_ytd), Some(21_005_000)); // "2,100.5"
    assert_eq!(r4.values.start_date, month(2024, 3));

    let r5 = row(s, 5);
    assert_eq!(r5.values.nature, Some(Nature::New)); // from "一、新建项目"
    assert_eq!(r5.inferred, [Field::Nature]);
    assert_eq!(r5.values.completed_ytd, None); // "—"
    assert_eq!(r5.values.production_date, day(2025, 6, 30));

    let r6 = row(s, 6);
    assert_eq!(r6.values.start_date, day(2024, 3, 15));
    assert_eq!(r6.values.production_date, day(2024, 7, 31)); // 7月底 in 2024

    let r9 = row(s, 9);
    assert_eq!(r9.values.nature, Some(Nature::Continuing));
    assert_eq!(r9.values.production_date, day(2024, 6, 30));
    assert_eq!(r9.values.blockers.as_deref(), Some("检测设备资金缺口"));
}

#[test]
fn merged_zone_cells_column_numbers_repeated_header_and_notes() {
    let book = open("merged_zones.xlsx");
    let s = sheet(&book, "全市开发区重点项目");
    assert_eq!(
        s.title.as_deref(),
        Some("运城市开发区重点项目建设情况统计表")
    );
    assert_eq!(
        (s.unit_note.as_deref(), s.money_unit),
        (Some("单位：亿元"), Unit::Yi)
    );
    assert_eq!(s.year, Some(2023)); // only "2023年计划投资" says it
    assert_eq!(s.ytd_through_month, Some(6)); // 截至6月底
    assert_eq!(s.columns[1].field, Some(Field::Zone));

    let projects: Vec<u32> = s.rows.iter().map(|r| r.row).collect();
    assert_eq!(projects, [5, 6, 7, 9, 10, 11, 13, 14]);
    assert_eq!(
        skipped(s),
        [
            (4, SkipKind::ColumnNumbers),
            (8, SkipKind::Blank),
            (12, SkipKind::RepeatedHeader),
            (15, SkipKind::Total),
            (16, SkipKind::Note),
            (17, SkipKind::Note),
            (18, SkipKind::Note),
        ]
    );

    let zones: Vec<Option<&str>> = s.rows.iter().map(|r| r.values.zone.as_deref()).collect();
    let (yc, xj, xx) = (
        Some("运城经济技术开发区"),
        Some("新绛经济技术开发区"),
        Some("兴县经济技术开发区"),
    );
    assert_eq!(zones, [yc, yc, yc, xj, xj, xj, xx, xx]);
    // 类别 merged over rows 5-6.
    assert_eq!(row(s, 6).values.category, Some(Category::Industrial));
    assert_eq!(row(s, 7).values.category, Some(Category::Infrastructure));
    assert!(row(s, 6).inferred.is_empty());

    assert_eq!(yuan(&row(s, 5).values.total_investment), Some(250_000_000));
    assert_eq!(yuan(&row(s, 6).values.completed_ytd), Some(45_000_000));
    assert_eq!(yuan(&row(s, 14).values.total_investment), Some(85_000_000));

    // One total merged over two phases counts once, with a warning.
    assert_eq!(yuan(&row(s, 9).values.total_investment), Some(880_000_000));
    let r10 = row(s, 10);
    assert_eq!(r10.values.total_investment, None);
    assert_eq!(
        r10.warnings[0].message,
        "全市开发区重点项目 第10行 总投资(F列)：与第9行合并的单元格，数值只计入第9行"
    );
    assert_eq!(yuan(&r10.values.completed_ytd), Some(0));
    assert!(r10.errors.is_empty());
    assert_eq!(book.errors().count(), 0);
}

#[test]
fn legacy_xls_with_merges_and_date_cells() {
    let book = open("legacy.xls");
    assert_eq!(book.format, Format::Xls);
    assert_eq!(book.errors().count(), 0);
    let s = sheet(&book, "Sheet1");
    assert_eq!(
        s.title.as_deref(),
        Some("兴县经济技术开发区2023年重点项目推进情况表")
    );
    assert_eq!(s.unit_note.as_deref(), Some("单位：万元"));
    let header_rows: Vec<u32> = s.header_rows.iter().map(|h| h.row).collect();
    assert_eq!(header_rows, [3, 4]);
    let planned = &s.columns[5];
    assert_eq!(
        (planned.header.as_str(), planned.field, planned.confidence),
        ("投资情况 / 2023年计划", Some(Field::PlannedInvestment), 80)
    );
    assert_eq!(s.columns[3].field, Some(Field::ConstructionContent));
    assert_eq!(s.columns[10].field, Some(Field::Liaison)); // 包抓领导
    assert_eq!(s.columns[11].field, Some(Field::Registered)); // 是否纳统

    let projects: Vec<u32> = s.rows.iter().map(|r| r.row).collect();
    assert_eq!(projects, [5, 6, 7, 8, 9]);
    assert_eq!(skipped(s), [(10, SkipKind::Total)]);

    let r5 = row(s, 5);
    assert_eq!(yuan(&r5.values.total_investment), Some(3_500_000_000));
    assert_eq!(r5.values.start_date, day(2022, 10, 8)); // a date cell
    let r6 = row(s, 6);
    assert_eq!(yuan(&r6.values.completed_ytd), Some(150_007_500)); // 15000.75 万元
    assert_eq!(r6.values.start_date, day(2023, 4, 20)); // yyyy"年"m"月"d"日" format
    let r7 = row(s, 7);
    assert_eq!(r7.values.start_date, day(2023, 7, 1)); // bare serial 45108
    assert_eq!(r7.values.registered, Some(false));
    assert_eq!(row(s, 8).values.registered, Some(true)); // √
    let r9 = row(s, 9);
    assert_eq!(
        r9.values.production_date,
        Some(LedgerDate::Year { year: 2025 })
    );
    assert_eq!(yuan(&r9.values.completed_ytd), Some(0));
}

#[test]
fn csv_two_row_header_without_merges() {
    let book = open("two_row_header.csv");
    assert_eq!(book.encoding.as_deref(), Some("UTF-8"));
    let s = &book.sheets[0];
    let header_rows: Vec<u32> = s.header_rows.iter().map(|h| h.row).collect();
    assert_eq!(header_rows, [1, 2]);
    assert_eq!(s.title, None);
    assert_eq!(s.year, Some(2023));
    let headers: Vec<(&str, Option<Field>)> = s
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.field))
        .collect();
    assert_eq!(
        headers,
        [
            ("序号", Some(Field::Serial)),
            ("项目名称", Some(Field::Name)),
            ("建设单位", Some(Field::Investor)),
            ("总投资（万元）", Some(Field::TotalInvestment)),
            ("2023年投资 / 计划", Some(Field::PlannedInvestment)),
            ("2023年投资 / 1-6月完成", Some(Field::CompletedYtd)),
            ("累计完成投资", Some(Field::CompletedCumulative)),
            ("开工时间", Some(Field::StartDate)),
        ]
    );
    assert_eq!(s.columns[3].unit_source, Some(UnitSource::Header));
    assert_eq!(s.columns[4].unit_source, Some(UnitSource::Default));
    let projects: Vec<u32> = s.rows.iter().map(|r| r.row).collect();
    assert_eq!(projects, [3, 4]);
    assert_eq!(skipped(s), [(5, SkipKind::Blank), (6, SkipKind::Total)]);
    assert_eq!(yuan(&row(s, 3).values.completed_ytd), Some(86_000_000));
    assert_eq!(yuan(&row(s, 4).values.planned_investment), Some(80_000_000));
}

#[test]
fn broken_ledger_reports_every_error_with_row_and_column() {
    let book = open("broken.xlsx");
    let s = sheet(&book, "Sheet1");
    assert_eq!(s.rows.len(), 12); // row 7 has no name but is still returned
    assert_eq!(skipped(s), [(16, SkipKind::Total)]);

    let expected: &[(u32, &[&str])] = &[
        (4, &[]),
        (5, &["Sheet1 第5行 年度计划投资(E列)：无法识别的金额“待定”"]),
        (6, &["Sheet1 第6行 开工时间(G列)：日期不存在“2023年2月30日”"]),
        (7, &["Sheet1 第7行 项目名称(B列)：项目名称为空"]),
        (
            8,
            &["Sheet1 第8行 项目代码(I列)：项目代码“2304-140800-89-01-100001”与第4行重复"],
        ),
        (9, &["Sheet1 第9行 投产时间(H列)：日期不存在“2023.13”"]),
        (10, &["Sheet1 第10行 总投资(D列)：金额不能为负数“-500”"]),
        (
            11,
            &["Sheet1 第11行 总投资(D列)：应为金额，单元格却是日期“2023-05-01”"],
        ),
        (12, &["Sheet1 第12行 总投资(D列)：无法识别的金额“约十八个亿”"]),
        (
            13,
            &[
                "Sheet1 第13行 项目代码(I列)：项目代码格式不正确“待赋码”",
                "Sheet1 第13行 项目类别(J列)：无法识别的项目类别“其他”（应为产业类、基础设施类或社会民生类）",
            ],
        ),
        (14, &["Sheet1 第14行 是否入库(K列)：无法识别的“是/否”“正在办理”"]),
        (15, &[]),
    ];
    for (number, errors) in expected {
        assert_eq!(messages(row(s, *number)), *errors, "row {number}");
    }

    // The row is still returned with what could be read.
    let r12 = row(s, 12);
    assert_eq!(r12.values.name.as_deref(), Some("生物医药产业园项目"));
    assert_eq!(r12.values.total_investment, None);
    assert_eq!(yuan(&r12.values.planned_investment), Some(500_000_000));
    let e = &r12.errors[0];
    assert_eq!(
        (e.sheet.as_str(), e.row, e.column.as_deref(), e.field),
        ("Sheet1", Some(12), Some("D"), Some(Field::TotalInvestment))
    );
    assert_eq!(e.reason, "无法识别的金额“约十八个亿”");
    let r7 = row(s, 7);
    assert_eq!(yuan(&r7.values.total_investment), Some(180_000_000));

    // A code repeated on another sheet.
    let other = sheet(&book, "续建项目");
    assert_eq!(
        messages(row(other, 2)),
        ["续建项目 第2行 项目代码(I列)：项目代码“2304-140800-89-01-100002”与工作表“Sheet1”第5行重复"]
    );
    assert!(row(other, 3).is_clean());
    assert_eq!(book.errors().count(), 12);
}

#[test]
fn a_saved_mapping_overrides_detection() {
    let options = ReadOptions {
        columns: vec![
            // The user says column N is not wanted and O holds the progress.
            ColumnOverride {
                column: Some("N".into()),
                field: None,
                ..Default::default()
            },
            ColumnOverride {
                header: Some("存在问题".into()),
                field: Some(Field::Progress),
                ..Default::default()
            },
            // And that the amounts are in 亿元 whatever the note says.
            ColumnOverride {
                column: Some("F".into()),
                field: Some(Field::TotalInvestment),
                unit: Some(Unit::Yi),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let book = open_with("city_ledger.xlsx", &options);
    let s = &book.sheets[0];
    let n = &s.columns[13];
    assert_eq!((n.field, n.source), (None, MappingSource::Override));
    let o = &s.columns[14];
    assert_eq!(
        (o.field, o.source, o.confidence),
        (Some(Field::Progress), MappingSource::Override, 100)
    );
    let f = &s.columns[5];
    assert_eq!(
        (f.unit, f.unit_source),
        (Some(Unit::Yi), Some(UnitSource::Override))
    );
    let r6 = row(s, 6);
    assert_eq!(
        r6.values.progress.as_deref(),
        Some("土地平整、供水排水需协调")
    );
    assert_eq!(r6.values.blockers, None);
    assert_eq!(yuan(&r6.values.total_investment), Some(8_800_000_000_000));
    assert_eq!(yuan(&r6.values.planned_investment), Some(300_000_000));

    // A field given to a second column takes it from the detected one.
    let options = ReadOptions {
        columns: vec![ColumnOverride {
            column: Some("I".into()),
            field: Some(Field::CompletedYtd),
            ..Default::default()
        }],
        money_unit: Some(Unit::Yuan),
        ..Default::default()
    };
    let book = open_with("city_ledger.xlsx", &options);
    let s = &book.sheets[0];
    assert_eq!(s.columns[8].field, Some(Field::CompletedYtd));
    assert_eq!(s.columns[7].field, None);
    assert_eq!(
        s.columns[7].note.as_deref(),
        Some("与I列同为“本年完成投资”，未采用")
    );
    assert_eq!(s.money_unit_source, UnitSource::Override);
    assert_eq!(yuan(&row(s, 7).values.completed_ytd), Some(9_800));
}

#[test]
fn a_header_row_beyond_the_sheet_finds_no_header_at_once() {
    let options = ReadOptions {
        headers: vec![HeaderOverride {
            sheet: None,
            row: u32::MAX,
            rows: 1,
        }],
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let book = open_with("zone_yi.xlsx", &options);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    let s = sheet(&book, "项目台账");
    assert!(!s.is_ledger);
    assert!(s.header_rows.is_empty());
    assert!(s.rows.is_empty());
}

#[test]
fn a_header_row_can_be_given() {
    let options = ReadOptions {
        headers: vec![HeaderOverride {
            sheet: None,
            row: 2,
            rows: 1,
        }],
        year: Some(2022),
        ..Default::default()
    };
    let book = open_with("zone_yi.xlsx", &options);
    let s = sheet(&book, "项目台账");
    assert_eq!(s.header_rows[0].row, 2);
    assert_eq!(s.year, Some(2022));
    assert_eq!(s.rows.len(), 6);
    let only = ReadOptions {
        sheets: vec!["填表说明".into()],
        ..Default::default()
    };
    let book = open_with("zone_yi.xlsx", &only);
    assert_eq!(book.sheets.len(), 1);
    assert!(!book.sheets[0].is_ledger);
    assert!(book.issues[0].message.contains("没有找到台账表头"));
}

#[test]
fn whole_workbooks_serialise() {
    for name in [
        "city_ledger.xlsx",
        "zone_yi.xlsx",
        "gbk_ledger.csv",
        "merged_zones.xlsx",
        "legacy.xls",
        "two_row_header.csv",
        "broken.xlsx",
    ] {
        let book = open(name);
        let json = serde_json::to_value(&book).unwrap();
        let back: Workbook = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), json, "{name}");
    }
    let book = open("zone_yi.xlsx");
    let json = serde_json::to_value(&book.sheets[0].rows[1].values).unwrap();
    assert_eq!(
        json["total_investment"],
        serde_json::json!({"value": 250_000_000})
    );
    assert_eq!(
        json["land_mu"],
        serde_json::json!({"value": 15_000, "qualifier": "约"})
    );
    assert_eq!(json["stage"], "started");
    assert_eq!(
        json["start_date"],
        serde_json::json!({"precision": "month", "year": 2024, "month": 4})
    );
}

#[test]
fn files_that_cannot_be_read() {
    let none = ReadOptions::default();
    assert_eq!(read(b"", "a.xlsx", &none).unwrap_err(), ReadError::Empty);
    assert_eq!(
        read(b"%PDF-1.7", "report.pdf", &none).unwrap_err(),
        ReadError::Unsupported(".pdf".into())
    );
    let err = read(b"<table><tr><td>1</td></tr></table>", "export.xls", &none).unwrap_err();
    assert_eq!(err, ReadError::NotASpreadsheet(".xls".into()));
    assert!(err.to_string().contains("另存为 .xlsx"));
    let mut truncated = fixture("city_ledger.xlsx");
    truncated.truncate(truncated.len() / 2);
    assert!(matches!(
        read(&truncated, "city_ledger.xlsx", &none),
        Err(ReadError::Corrupt(_))
    ));
    // The content decides: an .xls renamed .xlsx still reads.
    let book = read(&fixture("legacy.xls"), "renamed.xlsx", &none).unwrap();
    assert_eq!(book.format, Format::Xls);
}
