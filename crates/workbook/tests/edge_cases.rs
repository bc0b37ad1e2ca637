//! Layouts and values built in memory (as CSV), and inputs that must never
//! make the reader panic.

use kfq_workbook::{header_variants, read, Field, ReadOptions, SkipKind, Unit, Workbook};

fn csv(text: &str) -> Workbook {
    read(text.as_bytes(), "台账.csv", &ReadOptions::default()).expect("readable")
}

#[test]
fn a_file_without_a_ledger_header_says_so() {
    let book = csv("会议纪要\n一、项目推进情况\n二、下一步工作\n");
    assert!(!book.sheets[0].is_ledger);
    assert_eq!(book.errors().count(), 1);
    assert_eq!(
        book.issues[0].message,
        "台账.csv：没有找到台账表头（需要“项目名称”“总投资”等列名），请确认文件内容或手工指定表头行"
    );
}

#[test]
fn a_header_without_a_name_column_is_a_sheet_error() {
    let book = csv("序号,建设单位,总投资,年度计划投资\n1,某公司,100,50\n");
    let sheet = &book.sheets[0];
    assert!(sheet.is_ledger);
    assert_eq!(
        sheet.issues[0].message,
        "台账.csv 项目名称：未找到“项目名称”列，请在列映射中指定"
    );
    assert_eq!(sheet.rows.len(), 1);
    assert!(sheet.rows[0].errors.is_empty());
}

#[test]
fn unit_note_in_the_title_and_units_in_cells() {
    let book = csv(concat!(
        "XX开发区重点项目台账（单位：亿元）\n",
        "项目名称,总投资,计划投资,用地,建筑面积\n",
        "年产10万吨新材料项目,1.5,3000万元,约80,1.2万平方米\n",
    ));
    let sheet = &book.sheets[0];
    assert_eq!(sheet.title.as_deref(), Some("XX开发区重点项目台账"));
    assert_eq!(sheet.unit_note.as_deref(), Some("单位：亿元"));
    assert_eq!(sheet.money_unit, Unit::Yi);
    let v = &sheet.rows[0].values;
    assert_eq!(
        v.total_investment.as_ref().unwrap().value.yuan(),
        150_000_000
    );
    assert_eq!(
        v.planned_investment.as_ref().unwrap().value.yuan(),
        30_000_000
    );
    assert_eq!(v.land_mu.as_ref().unwrap().value.hundredths(), 8_000);
    assert_eq!(v.floor_area.as_ref().unwrap().value, 12_000);
}

#[test]
fn money_without_any_unit_is_read_in_wan_and_says_so() {
    let book = csv("项目名称,总投资\n某项目,1200\n");
    let sheet = &book.sheets[0];
    assert_eq!(sheet.money_unit_source, kfq_workbook::UnitSource::Default);
    assert_eq!(sheet.columns[1].unit, Some(Unit::Wan));
    assert_eq!(
        sheet.rows[0]
            .values
            .total_investment
            .as_ref()
            .unwrap()
            .value
            .yuan(),
        12_000_000
    );
}

#[test]
fn serial_only_rows_duplicates_and_inconsistent_sums() {
    let book = csv(concat!(
        "序号,项目名称,本年完成投资,累计完成投资,总投资\n",
        "1,光伏支架生产项目,500,300,1000\n",
        "2,光伏支架生产项目,100,1200,1000\n",
        "3,,,,\n",
        "小计,,600,1500,2000\n",
    ));
    let sheet = &book.sheets[0];
    assert_eq!(sheet.rows.len(), 2);
    let kinds: Vec<SkipKind> = sheet.skipped.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SkipKind::SerialOnly, SkipKind::Subtotal]);
    let warnings: Vec<&str> = sheet.rows[0]
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        ["台账.csv 第2行 累计完成投资(D列)：累计完成投资小于本年完成投资"]
    );
    let warnings: Vec<&str> = sheet.rows[1]
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        [
            "台账.csv 第3行 累计完成投资(D列)：累计完成投资超过总投资",
            "台账.csv 第3行 项目名称(B列)：项目名称与第2行相同",
        ]
    );
    assert_eq!(book.errors().count(), 0);
}

#[test]
fn tab_separated_utf16_as_excel_saves_unicode_text() {
    let text = "序号\t项目名称\t总投资（万元）\r\n1\t园区供热工程\t18000\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let book = read(&bytes, "台账.txt", &ReadOptions::default()).unwrap();
    assert_eq!(book.encoding.as_deref(), Some("UTF-16LE"));
    let row = &book.sheets[0].rows[0];
    assert_eq!(row.values.name.as_deref(), Some("园区供热工程"));
    assert_eq!(
        row.values.total_investment.as_ref().unwrap().value.yuan(),
        180_000_000
    );
}

#[test]
fn a_project_name_starting_like_a_note_is_still_a_project() {
    let book = csv("序号,项目名称,总投资\n1,注塑件生产项目,500\n注：本表为计划数,,\n");
    let sheet = &book.sheets[0];
    assert_eq!(sheet.rows.len(), 1);
    assert_eq!(sheet.skipped[0].kind, SkipKind::Note);
}

#[test]
fn the_variant_catalogue_covers_every_field() {
    let catalogue = header_variants();
    for field in Field::ALL {
        let entry = catalogue.iter().find(|e| e.field == *field).unwrap();
        assert!(!entry.variants.is_empty(), "{field}");
        assert_eq!(entry.label, field.label());
    }
    let investor = catalogue
        .iter()
        .find(|e| e.field == Field::Investor)
        .unwrap();
    for v in ["建设单位", "投资主体", "项目业主", "实施主体", "投资单位"] {
        assert!(investor.variants.contains(&v), "{v}");
    }
    let json = serde_json::to_value(&catalogue).unwrap();
    assert_eq!(json[0]["field"], "serial");
    assert_eq!(json[0]["label"], "序号");
}

#[test]
fn options_round_trip_as_json() {
    let json = serde_json::json!({
        "columns": [
            {"column": "D", "field": "total_investment", "unit": "yi"},
            {"header": "形象进度", "field": "progress"},
            {"column": "Q", "field": null}
        ],
        "headers": [{"row": 3, "rows": 2}],
        "year": 2023
    });
    let options: ReadOptions = serde_json::from_value(json).unwrap();
    assert_eq!(options.columns[0].unit, Some(Unit::Yi));
    assert_eq!(options.columns[2].field, None);
    assert_eq!(options.headers[0].rows, 2);
    assert_eq!(options.year, Some(2023));
}

/// A small deterministic generator, enough to shake the layout heuristics.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn arbitrary_input_never_panics() {
    const TOKENS: &[&str] = &[
        "序号",
        "项目名称",
        "总投资（亿元）",
        "2023年投资",
        "计划",
        "1-6月完成",
        "合计",
        "小计",
        "一、产业类项目",
        "注：",
        "填报人：",
        "单位：万元",
        "约十八个亿",
        "500余亩",
        "2023.13",
        "7月底",
        "2023年上半年",
        "—",
        "",
        "",
        "1",
        "2",
        "12,000",
        "-5",
        "１２",
        "√",
        "×",
        "新建",
        "产业类",
        "在建",
        "2304-140800-89-01-123456",
        "\"a,b\"",
        "年产100万吨公路护栏项目",
        "99999999999999999999999",
        "0.0000001",
        "2023年2月30日",
        "（",
        "）",
        "单位",
        "年",
        "月",
        "45108",
        "1e308",
        "NaN",
        "\u{3000}",
        "注",
        "。",
        "开工时间",
        "用地（公顷）",
    ];
    let mut rng = Lcg(20230717);
    for _ in 0..400 {
        let rows = 1 + rng.next() % 12;
        let mut text = String::new();
        for _ in 0..rows {
            let cols = 1 + rng.next() % 9;
            let cells: Vec<&str> = (0..cols)
                .map(|_| TOKENS[rng.next() % TOKENS.len()])
                .collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        let _ = read(text.as_bytes(), "x.csv", &ReadOptions::default());
    }
    for len in [1, 2, 7, 64, 512] {
        let noise: Vec<u8> = (0..len).map(|_| (rng.next() % 256) as u8).collect();
        for name in ["x.csv", "x.xlsx", "x.xls"] {
            let _ = read(&noise, name, &ReadOptions::default());
            let mut zip = b"PK\x03\x04".to_vec();
            zip.extend_from_slice(&noise);
            let _ = read(&zip, name, &ReadOptions::default());
        }
    }
}

#[test]
fn label_lines_unit_rows_and_breakdowns_around_the_table() {
    let book = csv(concat!(
        "2023年重点项目台账,,,\n",
        "填报单位：XX开发区经济发展部,,,单位：万元\n",
        "序号,项目名称,总投资,用地\n",
        ",,亿元,（亩）\n",
        "1,年产10万吨新材料项目,1.5,120\n",
        "合计,,1.5,120\n",
        "其中：产业类,,1.5,120\n",
    ));
    let sheet = &book.sheets[0];
    let header_rows: Vec<u32> = sheet.header_rows.iter().map(|h| h.row).collect();
    assert_eq!(header_rows, [3, 4]);
    assert_eq!(sheet.title.as_deref(), Some("2023年重点项目台账"));
    assert_eq!(sheet.unit_note.as_deref(), Some("单位：万元"));
    assert_eq!(sheet.columns[2].header, "总投资 / 亿元");
    assert_eq!(sheet.columns[2].unit, Some(Unit::Yi));
    assert_eq!(sheet.rows.len(), 1);
    let v = &sheet.rows[0].values;
    assert_eq!(
        v.total_investment.as_ref().unwrap().value.yuan(),
        150_000_000
    );
    assert_eq!(v.land_mu.as_ref().unwrap().value.hundredths(), 12_000);
    let kinds: Vec<SkipKind> = sheet.skipped.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SkipKind::Total, SkipKind::Subtotal]);
}

#[test]
fn total_words_count_only_at_the_edge_of_a_label() {
    let book = csv(concat!(
        "序号,项目名称,总投资\n",
        "1,大数据汇总中心项目,500\n",
        "2,合计划分区域污水管网工程,300\n",
        ",全区合计,800\n",
        ",小计（2个）,800\n",
    ));
    let sheet = &book.sheets[0];
    let names: Vec<&str> = sheet
        .rows
        .iter()
        .filter_map(|r| r.values.name.as_deref())
        .collect();
    assert_eq!(names, ["大数据汇总中心项目", "合计划分区域污水管网工程"]);
    let kinds: Vec<SkipKind> = sheet.skipped.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SkipKind::Total, SkipKind::Subtotal]);
}

#[test]
fn repeated_headers_are_told_from_rows_that_name_a_few_fields() {
    let book = csv(concat!(
        "序号,开发区,项目名称,建设性质,总投资\n",
        "1,甲开发区,年产1万吨新材料项目,续建,100\n",
        // Three header texts among figures: a header repeated on a new page.
        "序号,开发区,项目名称,建设性质,100\n",
        // Two, and the row holds nothing else: a header cut to two columns.
        ",开发区,项目名称,,\n",
        // Two among other cells: a project whose zone and name say little.
        "2,乙开发区,项目名称,新建,200\n",
        "3,丙开发区,名称,续建,300\n",
    ));
    let sheet = &book.sheets[0];
    let repeated: Vec<u32> = sheet
        .skipped
        .iter()
        .filter(|s| s.kind == SkipKind::RepeatedHeader)
        .map(|s| s.row)
        .collect();
    assert_eq!(repeated, [3, 4]);
    let rows: Vec<u32> = sheet.rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, [2, 5, 6]);
}
