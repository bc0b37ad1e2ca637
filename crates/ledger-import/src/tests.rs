use super::*;

use std::collections::HashSet;

use chrono::NaiveDate;
use kfq_domain::{BlockerFactor, Category, Money, Nature, Stage};
use kfq_workbook::Field;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn wan(w: i64) -> Money {
    Money::from_wan(w)
}

fn book(csv: &str) -> Workbook {
    kfq_workbook::read(csv.as_bytes(), "台账.csv", &Default::default()).unwrap()
}

fn options() -> Options {
    Options {
        year: None,
        month: None,
        blockers: false,
        today: d("2024-07-10"),
    }
}

const JUNE: &str = "2024年运城经济技术开发区重点项目推进台账\n单位：万元\n\
序号,项目名称,建设单位,项目类别,总投资,2024年计划投资,1-6月完成投资,开工时间,包联领导,责任单位,存在问题,项目代码\n\
1,山西新能汇通双碳产业园项目,山西新能汇通能源科技有限公司,产业类,180000,30000,6000,2024.3,王副主任,招商局,土地摘牌尚未完成,\n\
2,年产100万吨公路护栏项目,山西某护栏公司,产业类,88000,20000,5000,2023.9,李四,规划建设部,无,2310-140800-04-01-000001\n\
合计,,,,268000,50000,11000,,,,,\n";

fn zone() -> ZoneData {
    ZoneData {
        id: 9,
        name: "运城经济技术开发区".into(),
        projects: vec![],
        departments: vec![(21, "招商局".into()), (22, "规划建设部".into())],
        people: vec![(31, "王副主任".into())],
        chains: vec![(41, "新能源".into())],
    }
}

fn fields(name: &str, total_wan: i64) -> Fields {
    Fields {
        name: name.into(),
        investor: None,
        category: Category::Industrial,
        nature: Nature::New,
        industry_chain: None,
        total_investment: wan(total_wan),
        land: None,
        floor_area_m2: None,
        construction_content: None,
        annual_output: None,
        annual_tax: None,
        jobs: None,
        registered: false,
        liaison_user_id: None,
        department_id: None,
        project_code: None,
    }
}

/// The zone as it stands after importing JUNE: what the store would hand back.
fn after_june(plan: &Plan) -> Known {
    let mut zone = zone();
    for (n, row) in plan.rows.iter().enumerate() {
        zone.projects.push(Existing {
            id: 100 + n as i64,
            version: 1,
            stage: row.stage.unwrap().0,
            furthest: row.stage.unwrap().0,
            fields: row.fields.clone().unwrap(),
            planned: row.planned,
            targets: row.targets,
            milestone_plans: Targets::default(),
            enterprise_name: None,
            opening: row.opening,
            months: row.month.iter().map(|m| (m.month, m.amount)).collect(),
            open_blockers: row.blocker.iter().map(|(_, d)| d.clone()).collect(),
        });
    }
    Known {
        zones: vec![zone],
        foreign_codes: HashSet::new(),
    }
}

#[test]
fn a_first_import_creates_every_project_with_its_plan_month_and_blockers() {
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(
        &mut book(JUNE),
        &known,
        &Options {
            blockers: true,
            ..options()
        },
    );
    assert!(plan.is_clean(), "{:?}", plan.errors().collect::<Vec<_>>());
    assert_eq!(
        plan.counts(),
        Counts {
            create: 2,
            update: 0,
            unchanged: 0,
            reject: 0,
            months: 2,
            blockers: 1,
        },
        "the 合计 row is not a project, 无 is not a problem"
    );
    let first = &plan.rows[0];
    assert_eq!(first.action, Action::Create);
    assert_eq!(first.year, 2024);
    let f = first.fields.as_ref().unwrap();
    assert_eq!(f.total_investment, wan(180_000));
    assert_eq!(f.investor.as_deref(), Some("山西新能汇通能源科技有限公司"));
    assert_eq!(f.liaison_user_id, Some(31));
    assert_eq!(f.department_id, Some(21));
    assert_eq!(first.planned, Some(wan(30_000)));
    assert_eq!(
        first.month,
        Some(MonthEntry {
            year: 2024,
            month: 6,
            amount: wan(6_000),
            replaces: None,
            ytd: wan(6_000),
        })
    );
    // Started in March 2024, before today: 开工 on the first of that month.
    assert_eq!(first.stage, Some((Stage::Started, d("2024-03-01"))));
    assert_eq!(
        first.blocker,
        Some((BlockerFactor::Land, "土地摘牌尚未完成".into()))
    );
    let second = &plan.rows[1];
    assert_eq!(
        second.fields.as_ref().unwrap().project_code.as_deref(),
        Some("2310-140800-04-01-000001")
    );
    // 李四 is nobody in the zone: a warning naming the cell, not an error.
    let warning = second
        .warnings
        .iter()
        .find(|w| w.field == Some(Field::Liaison))
        .unwrap();
    assert!(warning.message.contains("第5行"), "{}", warning.message);
    assert!(warning.message.contains("李四"));
    assert_eq!(second.fields.as_ref().unwrap().liaison_user_id, None);
}

#[test]
fn the_same_workbook_twice_changes_nothing() {
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let first = plan(
        &mut book(JUNE),
        &known,
        &Options {
            blockers: true,
            ..options()
        },
    );
    let again = plan(
        &mut book(JUNE),
        &after_june(&first),
        &Options {
            blockers: true,
            ..options()
        },
    );
    assert_eq!(
        again.counts(),
        Counts {
            unchanged: 2,
            ..Default::default()
        }
    );
    assert!(!again.has_work());
}

#[test]
fn next_months_workbook_appends_the_month_and_updates_what_changed() {
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let june = plan(&mut book(JUNE), &known, &options());
    let july = JUNE
        .replace("1-6月完成投资", "1-7月完成投资")
        .replace(",30000,6000,", ",30000,7500,")
        .replace(",88000,20000,5000,", ",90000,20000,5000,");
    let plan = plan(
        &mut book(&july),
        &after_june(&june),
        &Options {
            today: d("2024-08-08"),
            ..options()
        },
    );
    assert!(plan.is_clean());
    let first = &plan.rows[0];
    assert_eq!(
        first.action,
        Action::Update {
            id: 100,
            version: 1
        }
    );
    assert_eq!(
        first.month,
        Some(MonthEntry {
            year: 2024,
            month: 7,
            amount: wan(1_500),
            replaces: None,
            ytd: wan(7_500),
        }),
        "July is the year-to-date less January–June"
    );
    assert!(first.changes.is_empty());
    assert_eq!(first.planned, None, "the plan did not change");
    let second = &plan.rows[1];
    // Nothing beyond June's figure: July stays unrecorded (zero either way).
    assert_eq!(second.month, None);
    assert_eq!(
        second.changes,
        vec![Change {
            field: Field::TotalInvestment,
            label: Field::TotalInvestment.label(),
            before: "88000万元".into(),
            after: "90000万元".into(),
        }]
    );
}

#[test]
fn a_corrected_year_to_date_replaces_the_month_it_was_reported_in() {
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let june = plan(&mut book(JUNE), &known, &options());
    let corrected = JUNE.replace(",30000,6000,", ",30000,6400,");
    let plan = plan(&mut book(&corrected), &after_june(&june), &options());
    let month = plan.rows[0].month.as_ref().unwrap();
    assert_eq!((month.month, month.amount), (6, wan(6_400)));
    assert_eq!(month.replaces, Some(wan(6_000)));
}

#[test]
fn a_year_to_date_below_the_recorded_months_is_not_imported() {
    let mut zone = zone();
    let mut existing = Existing {
        id: 7,
        version: 3,
        stage: Stage::Started,
        furthest: Stage::Started,
        fields: fields("山西新能汇通双碳产业园项目", 180_000),
        planned: Some(wan(30_000)),
        targets: Targets::default(),
        milestone_plans: Targets::default(),
        enterprise_name: None,
        opening: None,
        months: vec![(1, wan(4_000)), (2, wan(4_000))],
        open_blockers: vec![],
    };
    existing.fields.investor = Some("山西新能汇通能源科技有限公司".into());
    zone.projects.push(existing);
    let known = Known {
        zones: vec![zone],
        ..Default::default()
    };
    let plan = plan(&mut book(JUNE), &known, &options());
    let row = &plan.rows[0];
    assert_eq!(row.month, None);
    let warning = row
        .warnings
        .iter()
        .find(|w| w.field == Some(Field::CompletedYtd))
        .unwrap();
    assert!(warning.reason.contains("8000万元"), "{}", warning.reason);
}

#[test]
fn a_project_code_matches_a_renamed_project_and_a_foreign_code_is_refused() {
    let mut zone = zone();
    let mut renamed = fields("公路护栏项目", 88_000);
    renamed.project_code = Some("2310-140800-04-01-000001".into());
    zone.projects.push(Existing {
        id: 55,
        version: 2,
        stage: Stage::Started,
        furthest: Stage::Started,
        fields: renamed,
        planned: None,
        targets: Targets::default(),
        milestone_plans: Targets::default(),
        enterprise_name: None,
        opening: None,
        months: vec![],
        open_blockers: vec![],
    });
    let known = Known {
        zones: vec![zone.clone()],
        ..Default::default()
    };
    let plan_a = plan(&mut book(JUNE), &known, &options());
    let second = &plan_a.rows[1];
    assert_eq!(second.action, Action::Update { id: 55, version: 2 });
    assert!(second
        .changes
        .iter()
        .any(|c| c.field == Field::Name && c.after == "年产100万吨公路护栏项目"));

    zone.projects.clear();
    let known = Known {
        zones: vec![zone],
        foreign_codes: HashSet::from(["2310-140800-04-01-000001".to_string()]),
    };
    let plan_b = plan(&mut book(JUNE), &known, &options());
    assert_eq!(plan_b.rows[1].action, Action::Reject);
    assert!(plan_b.rows[1].errors[0].message.contains("项目代码(L列)"));
    assert_eq!(plan_b.counts().create, 1);
    assert!(!plan_b.is_clean());
}

#[test]
fn the_same_project_twice_rejects_the_second_row() {
    let twice = JUNE.replace(
        "合计,",
        "3,山西新能汇通双碳产业园项目 ,另一家公司,产业类,1000,,,,,,,\n合计,",
    );
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(&mut book(&twice), &known, &options());
    let third = &plan.rows[2];
    assert_eq!(third.action, Action::Reject);
    assert_eq!(
        third.errors[0].reason,
        format!(
            "与{} 第4行是同一个项目（重复），请合并为一行",
            plan.rows[0].sheet
        )
    );
}

/// The zone with 甲项目 (id 1) and 乙项目 (id 2), both under construction.
fn two_started_projects() -> Known {
    let mut zone = zone();
    for (id, name) in [(1, "甲项目"), (2, "乙项目")] {
        zone.projects.push(Existing {
            id,
            version: 1,
            stage: Stage::Started,
            furthest: Stage::Started,
            fields: fields(name, 1_000),
            planned: None,
            targets: Targets::default(),
            milestone_plans: Targets::default(),
            enterprise_name: None,
            opening: None,
            months: vec![],
            open_blockers: vec![],
        });
    }
    Known {
        zones: vec![zone],
        ..Default::default()
    }
}

#[test]
fn stages_only_move_forward() {
    let csv = "项目名称,总投资,项目阶段\n甲项目,1000,签约\n乙项目,1000,投产\n";
    let known = two_started_projects();
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(plan.rows[0].action, Action::Unchanged { id: 1 });
    assert!(plan.rows[0].warnings[0].reason.contains("只能向前"));
    assert_eq!(plan.rows[1].action, Action::Update { id: 2, version: 1 });
    assert_eq!(
        plan.rows[1].stage,
        Some((Stage::Producing, d("2024-07-10")))
    );
}

#[test]
fn a_new_project_needs_its_total_investment() {
    let csv = "项目名称,总投资,建设单位\n甲项目,,某公司\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(plan.rows[0].action, Action::Reject);
    assert!(plan.rows[0].errors[0].message.contains("总投资"));
}

#[test]
fn a_city_ledger_finds_each_rows_zone_by_its_name() {
    let csv = "开发区,项目名称,总投资\n运城经开区,甲项目,1000\n临汾经济开发区,乙项目,2000\n太原高新区,丙项目,3000\n,丁项目,10\n";
    let mut linfen = zone();
    linfen.id = 10;
    linfen.name = "临汾经济开发区".into();
    let known = Known {
        zones: vec![zone(), linfen],
        ..Default::default()
    };
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(plan.rows[0].zone_id, Some(9), "short form of the name");
    assert_eq!(plan.rows[1].zone_id, Some(10));
    assert_eq!(plan.rows[2].action, Action::Reject);
    assert!(plan.rows[2].errors[0].reason.contains("不在您管理的范围内"));
    assert_eq!(plan.rows[3].action, Action::Reject);
}

#[test]
fn new_industry_chains_are_listed_and_known_ones_reused() {
    let csv = "项目名称,总投资,产业类别\n甲项目,1000,新能源\n乙项目,1000,氢能\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(
        plan.rows[0].fields.as_ref().unwrap().industry_chain,
        Some(Chain::Known(41))
    );
    assert_eq!(plan.new_chains, vec![(9, "氢能".to_string())]);
}

#[test]
fn names_fold_blanks_and_bracket_widths() {
    assert_eq!(fold(" 甲项目（一期）"), fold("甲项目(一期)"));
    assert_ne!(fold("甲项目一期"), fold("甲项目二期"));
}

#[test]
fn the_progress_text_tells_a_new_projects_stage_before_any_date() {
    // The 开工时间 of the first row is past, but its own progress says it is
    // still getting its permits; the second has no date but is being built.
    let csv = "项目名称,总投资,开工时间,形象进度\n\
               甲项目,1000,2024.3,正在办理施工许可，预计8月开工\n\
               乙项目,1000,,钢结构吊装\n\
               丙项目,1000,2024.3,\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(
        plan.rows[0].stage,
        Some((Stage::PreConstruction, d("2024-07-10")))
    );
    let says = |row: usize, text: &str| {
        plan.rows[row]
            .warnings
            .iter()
            .any(|w| w.reason.contains(text))
    };
    assert!(
        says(0, "据进展情况“施工许可”推定为“前期”"),
        "{:?}",
        plan.rows[0].warnings
    );
    assert_eq!(plan.rows[1].stage.unwrap().0, Stage::Started);
    assert!(says(1, "据进展情况“钢结构”推定为“开工”"));
    // Without progress text the date still counts.
    assert_eq!(plan.rows[2].stage, Some((Stage::Started, d("2024-03-01"))));
}

#[test]
fn a_later_ledgers_progress_text_moves_a_project_forward_never_back() {
    let csv = "项目名称,总投资,进展情况\n甲项目,1000,已竣工验收\n乙项目,1000,正在进行规划设计\n";
    let known = two_started_projects();
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(plan.rows[0].action, Action::Update { id: 1, version: 1 });
    assert_eq!(plan.rows[0].stage.unwrap().0, Stage::Completed);
    assert!(plan.rows[0]
        .warnings
        .iter()
        .any(|w| w.reason.contains("据进展情况“竣工验收”推定为“竣工”")));
    assert_eq!(plan.rows[1].action, Action::Unchanged { id: 2 });
    assert_eq!(plan.rows[1].stage, None);
}

#[test]
fn an_old_ledger_is_read_at_its_own_reporting_date() {
    // Imported two years late: its 投产时间 was a plan then, whatever today says.
    let csv = "2022年1-6月重点项目推进台账\n\
               项目名称,总投资,开工时间,投产时间\n\
               甲项目,1000,2022.3,2022.12\n\
               乙项目,1000,2022.9,\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(plan.reporting.len(), 1);
    assert_eq!(plan.reporting[0].date, d("2022-06-30"));
    assert!(
        plan.reporting[0].basis.contains("2022年1-6月"),
        "{:?}",
        plan.reporting
    );
    assert_eq!(plan.rows[0].stage, Some((Stage::Started, d("2022-03-01"))));
    assert!(plan.rows[0].warnings.iter().any(|w| w
        .reason
        .contains("投产时间“2022年12月”晚于台账截至日期2022-06-30，视为计划")));
    // Starting in September was a plan in June: still 前期, as of June's end.
    assert_eq!(
        plan.rows[1].stage,
        Some((Stage::PreConstruction, d("2022-06-30")))
    );
    // The month chosen on import wins over the sheet's.
    let chosen = plan_with_month(csv, 2022, 12);
    assert_eq!(chosen.reporting[0].date, d("2022-12-31"));
    assert_eq!(chosen.rows[0].stage.unwrap().0, Stage::Producing);
}

fn plan_with_month(csv: &str, year: i32, month: u8) -> Plan {
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    plan(
        &mut book(csv),
        &known,
        &Options {
            year: Some(year),
            month: Some(month),
            ..options()
        },
    )
}

#[test]
fn a_column_headed_as_a_plan_is_never_evidence_of_a_stage() {
    let csv = "2024年1-6月重点项目台账\n\
               项目名称,总投资,计划开工时间,预计投产时间,进展情况\n\
               甲项目,1000,2024.3,2024.5,正在办理环评手续\n\
               乙项目,1000,2024.3,,\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let plan = plan(&mut book(csv), &known, &options());
    assert_eq!(
        plan.rows[0].stage,
        Some((Stage::PreConstruction, d("2024-06-30")))
    );
    assert_eq!(
        plan.rows[1].stage,
        Some((Stage::PreConstruction, d("2024-06-30"))),
        "a planned start in March says nothing about June"
    );
    assert!(plan.rows[1]
        .warnings
        .iter()
        .any(|w| w.reason.contains("计划开工时间“2024年3月”是计划")));
}

#[test]
fn a_total_since_the_start_is_the_opening_cumulative_at_the_reporting_date() {
    let csv = "2024年1-6月重点项目台账\n\
               项目名称,总投资,1-6月累计完成投资（万元）,开工以来累计完成投资\n\
               甲项目,1000,300,800\n\
               乙项目,1000,300,200\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let first = plan(&mut book(csv), &known, &options());
    let row = &first.rows[0];
    assert_eq!(
        row.month.as_ref().map(|m| (m.month, m.ytd)),
        Some((6, wan(300)))
    );
    assert_eq!(
        row.opening,
        Some(Opening {
            amount: wan(800),
            as_of: d("2024-06-30")
        })
    );
    // Less since the start than this year alone: said, not stored.
    assert_eq!(first.rows[1].opening, None);
    assert!(
        first.rows[1].warnings.iter().any(|w| w.reason
            == "开工以来累计完成投资200万元（截至2024-06-30）少于本年1-6月累计完成300万元，未导入，请核对"),
        "{:?}",
        first.rows[1].warnings
    );
    // Imported again: nothing changes; an older ledger does not overwrite it.
    let again = plan(&mut book(csv), &after_june(&first), &options());
    assert_eq!(again.rows[0].opening, None);
    assert_eq!(again.rows[0].action, Action::Unchanged { id: 100 });
    let older = "2024年1-3月重点项目台账\n项目名称,总投资,开工以来累计完成投资\n甲项目,1000,600\n";
    let older = plan(&mut book(older), &after_june(&first), &options());
    assert_eq!(older.rows[0].opening, None);
    assert!(older.rows[0].warnings.iter().any(|w| w
        .reason
        .contains("早于系统中截至2024-06-30的开工累计800万元，未导入")));
    // The preview says what the column became.
    assert!(first.columns.iter().any(|c| c
        .became
        .starts_with("开工以来累计完成投资：记为截至2024-06-30的开工累计")));
}

#[test]
fn planned_dates_become_the_years_targets_when_the_year_has_a_plan() {
    let csv = "2024年1-6月重点项目台账\n\
               项目名称,总投资,2024年计划投资,计划开工时间,投产时间\n\
               甲项目,1000,300,2024.3,2025.6\n\
               乙项目,1000,,2024.9,\n";
    let known = Known {
        zones: vec![zone()],
        ..Default::default()
    };
    let first = plan(&mut book(csv), &known, &options());
    let row = &first.rows[0];
    assert_eq!(
        row.targets,
        Targets {
            start: Some(d("2024-03-31")),
            production: Some(d("2025-06-30"))
        }
    );
    assert_eq!(row.stage.unwrap().0, Stage::PreConstruction);
    assert!(row.warnings.iter().any(|w| w.reason
        == "投产时间“2025年6月”晚于台账截至日期2024-06-30，视为计划，记为2024年度计划的目标投产日期2025-06-30，不作为阶段依据"));
    // No amount, no plan: the date is said, not stored and not made a fact.
    let row = &first.rows[1];
    assert_eq!(row.targets, Targets::default());
    assert!(row.warnings.iter().any(|w| w
        .reason
        .contains("该项目没有2024年度计划投资，目标开工日期未导入")));
    // Imported again, the targets held are not set twice.
    let again = plan(&mut book(csv), &after_june(&first), &options());
    assert_eq!(again.rows[0].targets, Targets::default());
    assert_eq!(again.rows[0].action, Action::Unchanged { id: 100 });
    let uses: Vec<&str> = first.columns.iter().map(|c| c.became.as_str()).collect();
    assert!(uses.contains(&"2024年度计划投资"), "{uses:?}");
    assert!(uses.contains(&"2024年度计划的目标开工日期（计划，不作为阶段依据）"));
}

#[test]
fn an_exported_ledgers_milestone_days_and_enterprise_name_change_nothing() {
    let mut zone = zone();
    let mut existing = Existing {
        id: 7,
        version: 3,
        stage: Stage::PreConstruction,
        furthest: Stage::PreConstruction,
        fields: fields("山西新能汇通双碳产业园项目", 180_000),
        planned: Some(wan(30_000)),
        targets: Targets::default(),
        milestone_plans: Targets {
            start: Some(d("2024-09-20")),
            production: Some(d("2025-12-31")),
        },
        enterprise_name: Some("山西新能汇通能源科技有限公司".into()),
        opening: None,
        months: vec![],
        open_blockers: vec![],
    };
    existing.fields.investor = None;
    zone.projects.push(existing);
    let known = Known {
        zones: vec![zone],
        ..Default::default()
    };
    let csv = "山西新能汇通重点项目推进情况表（截至2024年6月）\n\
               项目名称,建设单位,总投资（万元）,2024年计划投资（万元）,计划开工时间,实际开工时间,计划投产时间\n\
               山西新能汇通双碳产业园项目,山西新能汇通能源科技有限公司,180000,30000,2024-09-20,,2025-12-31\n";
    let planned = plan(&mut book(csv), &known, &options());
    let row = &planned.rows[0];
    assert_eq!(row.targets, Targets::default(), "{:?}", row.warnings);
    assert_eq!(row.action, Action::Unchanged { id: 7 }, "{:?}", row.changes);
    // Another day is the plan's target, as before.
    let moved = csv.replace(",2024-09-20,", ",2024-10-15,");
    let moved = plan(&mut book(&moved), &known, &options());
    assert_eq!(moved.rows[0].targets.start, Some(d("2024-10-15")));
}
