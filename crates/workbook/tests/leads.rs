//! 招商项目台账 in the shapes zones keep them: one sheet per stage with a
//! title and a unit note, a two-row header under a merged parent, section
//! headings splitting 在谈 from 签约 in one sheet, totals and notes under
//! the table, amounts in 亿元 or 万元 and written with words.

#[path = "support/build.rs"]
mod build;

use build::{sheet, xlsx};
use chrono::NaiveDate;
use kfq_domain::{Money, Mu};
use kfq_workbook::attraction::{
    read_leads, LeadBook, LeadColumnChoice, LeadField, LeadReadOptions,
};
use kfq_workbook::{LedgerDate, SkipKind, Unit};

fn read(bytes: &[u8]) -> LeadBook {
    read_leads(bytes, "招商项目台账.xlsx", &LeadReadOptions::default()).unwrap()
}

fn yi(n: i64) -> Money {
    Money::from_yuan(n * 100_000_000)
}

#[test]
fn two_sheets_with_titles_units_and_totals() {
    let talks = sheet(
        "在谈项目",
        &[
            &["2026年在谈项目台账", "", "", "", "", "", ""],
            &["单位：亿元", "", "", "", "", "", ""],
            &[
                "序号",
                "项目名称",
                "投资方",
                "投资方所在地",
                "计划总投资",
                "洽谈进展",
                "招商专班",
            ],
            &[
                "1",
                "年产5万吨煤机配件项目",
                "江苏徐工机械有限公司",
                "江苏徐州",
                "12.5",
                "已完成两轮洽谈",
                "装备制造专班",
            ],
            &[
                "2",
                "光伏组件项目",
                "双良集团有限公司",
                "江苏",
                "约20亿元",
                "",
                "新能源专班",
            ],
            &["合计", "", "", "", "32.5", "", ""],
            &["注：投资额为意向投资额", "", "", "", "", "", ""],
        ],
    );
    let signed = sheet(
        "签约项目",
        &[
            &[
                "序号",
                "项目名称",
                "签约企业",
                "签约时间",
                "协议投资额（万元）",
                "协议类型",
                "统一社会信用代码",
            ],
            &[
                "1",
                "煤矸石综合利用项目",
                "山西某环保科技有限公司",
                "2026年3月18日",
                "35000",
                "正式合同",
                "91140000MA0L0000XX",
            ],
        ],
    );
    let book = read(&xlsx(&[talks, signed]));
    assert_eq!(book.sheets.len(), 2, "{:?}", book.issues);
    let t = &book.sheets[0];
    assert_eq!(t.title.as_deref(), Some("2026年在谈项目台账"));
    assert_eq!(t.unit_note.as_deref(), Some("单位：亿元"));
    assert_eq!(t.header_rows, vec![3]);
    assert_eq!(t.rows.len(), 2);
    let first = &t.rows[0].values;
    assert_eq!(first.name.as_deref(), Some("年产5万吨煤机配件项目"));
    assert_eq!(first.investor.as_deref(), Some("江苏徐工机械有限公司"));
    assert_eq!(first.place.as_deref(), Some("江苏徐州"));
    assert_eq!(
        first.investment.as_ref().unwrap().value,
        Money::from_yuan(1_250_000_000)
    );
    assert_eq!(first.task_force.as_deref(), Some("装备制造专班"));
    // "约20亿元" is 20亿 and says it is approximate.
    let second = t.rows[1].values.investment.as_ref().unwrap();
    assert_eq!(second.value, yi(20));
    assert_eq!(second.qualifier.as_deref(), Some("约"));
    let kinds: Vec<SkipKind> = t.skipped.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec![SkipKind::Total, SkipKind::Note]);

    let s = &book.sheets[1];
    let row = &s.rows[0].values;
    assert_eq!(row.investor.as_deref(), Some("山西某环保科技有限公司"));
    assert_eq!(
        row.signed_amount.as_ref().unwrap().value,
        Money::from_yuan(350_000_000)
    );
    assert_eq!(
        row.signed_on,
        Some(LedgerDate::Day {
            date: NaiveDate::from_ymd_opt(2026, 3, 18).unwrap()
        })
    );
    assert_eq!(row.agreement.as_deref(), Some("正式合同"));
    assert_eq!(row.credit_code.as_deref(), Some("91140000MA0L0000XX"));
    let amount = s
        .columns
        .iter()
        .find(|c| c.field == Some(LeadField::SignedAmount))
        .unwrap();
    assert_eq!(amount.unit, Some(Unit::Wan));
}

#[test]
fn merged_two_row_header_and_sections() {
    let book = sheet(
        "招商项目",
        &[
            &[
                "序号",
                "项目名称",
                "客商名称",
                "签约情况",
                "",
                "用地（亩）",
                "带动就业",
            ],
            &["", "", "", "时间", "金额（亿元）", "", ""],
            &["一、签约项目（1个）", "", "", "", "", "", ""],
            &[
                "1",
                "再生铝项目",
                "广灵某再生金属公司",
                "2026.5",
                "3.2",
                "120",
                "300人",
            ],
            &["二、在谈项目", "", "", "", "", "", ""],
            &["2", "废钢加工项目", "河北某钢铁集团", "", "", "约80", ""],
        ],
    )
    .merged(&[
        (0, 0, 1, 0),
        (0, 1, 1, 1),
        (0, 2, 1, 2),
        (0, 3, 0, 4),
        (0, 5, 1, 5),
        (0, 6, 1, 6),
        (2, 0, 2, 6),
        (4, 0, 4, 6),
    ]);
    let read = read(&xlsx(&[book]));
    let s = &read.sheets[0];
    assert_eq!(s.header_rows, vec![1, 2]);
    let field = |letter: &str| {
        s.columns
            .iter()
            .find(|c| c.column == letter)
            .and_then(|c| c.field)
    };
    assert_eq!(field("D"), Some(LeadField::SignedOn));
    assert_eq!(field("E"), Some(LeadField::SignedAmount));
    assert_eq!(s.rows.len(), 2);
    let signed = &s.rows[0];
    assert_eq!(signed.section.as_deref(), Some("一、签约项目（1个）"));
    assert_eq!(
        signed.values.signed_on,
        Some(LedgerDate::Month {
            year: 2026,
            month: 5
        })
    );
    assert_eq!(
        signed.values.signed_amount.as_ref().unwrap().value,
        Money::from_yuan(320_000_000)
    );
    assert_eq!(
        signed.values.land.as_ref().unwrap().value,
        Mu::from_hundredths(12_000)
    );
    assert_eq!(signed.values.jobs, Some(300));
    assert_eq!(s.rows[1].section.as_deref(), Some("二、在谈项目"));
    assert_eq!(
        s.skipped
            .iter()
            .filter(|k| k.kind == SkipKind::Section)
            .count(),
        2
    );
}

#[test]
fn unreadable_cells_are_named_and_the_row_kept() {
    let book = sheet(
        "Sheet1",
        &[
            &[
                "项目名称",
                "投资方",
                "投资额（亿元）",
                "签约时间",
                "年综合能耗（吨标煤）",
                "到位资金",
            ],
            &[
                "新能源汽车零部件",
                "某汽车集团",
                "十八个亿",
                "明年",
                "5000吨标煤",
                "2000",
            ],
        ],
    );
    let read = read(&xlsx(&[book]));
    let s = &read.sheets[0];
    let row = &s.rows[0];
    assert_eq!(row.values.investment, None);
    assert_eq!(row.values.energy, Some(5000));
    let fields: Vec<(LeadField, &str, bool)> = row
        .issues
        .iter()
        .map(|i| (i.field, i.column.as_str(), i.warning))
        .collect();
    assert_eq!(
        fields,
        vec![
            (LeadField::Investment, "C", false),
            (LeadField::SignedOn, "D", false)
        ]
    );
    assert!(
        row.issues[0].reason.contains("十八个亿"),
        "{}",
        row.issues[0].reason
    );
    // 到位资金 is read but said not to be imported from here.
    let funds = s
        .columns
        .iter()
        .find(|c| c.field == Some(LeadField::Funds))
        .unwrap();
    assert!(funds.note.as_deref().unwrap().contains("按月"));
}

#[test]
fn a_hand_mapping_and_a_chosen_unit_win() {
    let book = xlsx(&[sheet(
        "Sheet1",
        &[
            &["项目名称", "合作单位", "金额", "备注"],
            &["储能电站", "某储能公司", "5", ""],
        ],
    )]);
    // Detected: no investor column, so no lead header at all.
    let plain = read(&book);
    assert!(plain.sheets.is_empty());
    assert!(
        plain.issues[0].contains("没有找到招商项目表头"),
        "{:?}",
        plain.issues
    );
    let options = LeadReadOptions {
        columns: vec![
            LeadColumnChoice {
                header: "合作单位".into(),
                field: Some(LeadField::Investor),
            },
            LeadColumnChoice {
                header: "金额".into(),
                field: Some(LeadField::Investment),
            },
        ],
        money_unit: Some(Unit::Yi),
    };
    let mapped = read_leads(&book, "a.xlsx", &options).unwrap();
    let row = &mapped.sheets[0].rows[0].values;
    assert_eq!(row.investor.as_deref(), Some("某储能公司"));
    assert_eq!(row.investment.as_ref().unwrap().value, yi(5));
}

#[test]
fn csv_in_the_same_shape() {
    let text =
        "项目名称,投资方,投资额(万元),项目来源\n锂电池隔膜项目,某新材料公司,80000,以商招商\n";
    let book = read_leads(text.as_bytes(), "leads.csv", &LeadReadOptions::default()).unwrap();
    let row = &book.sheets[0].rows[0].values;
    assert_eq!(row.investment.as_ref().unwrap().value, yi(8));
    assert_eq!(row.source.as_deref(), Some("以商招商"));
}
