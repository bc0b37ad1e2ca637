use super::*;
use kfq_workbook::attraction::{read_leads, LeadReadOptions};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TODAY: &str = "2026-06-30";

fn book(csv: &str) -> LeadBook {
    read_leads(csv.as_bytes(), "在谈项目.csv", &LeadReadOptions::default()).unwrap()
}

fn known() -> Known {
    Known {
        leads: vec![KnownLead {
            id: 7,
            version: 3,
            name: "煤机配件项目".into(),
            stage: LeadStage::Negotiating,
            left_at: None,
            facts: StageFacts::default(),
            investment: Money::from_yuan(400_000_000),
            land: None,
            energy_tce: None,
            expected_output: None,
            expected_tax: None,
            expected_jobs: None,
            referrer: None,
            task_force: Some("装备制造专班".into()),
        }],
        investors: vec![KnownInvestor {
            id: 3,
            name: "双良集团有限公司".into(),
            credit_code: None,
        }],
        chains: vec![(11, "煤机制造".into())],
        people: vec![(21, "王强".into())],
        province: Some("山西省".into()),
    }
}

fn plan_of(csv: &str, choices: Choices) -> Plan {
    plan(&book(csv), &known(), &choices, day(TODAY))
}

fn texts(said: &[Said]) -> Vec<String> {
    said.iter()
        .map(|s| match s {
            Said::Key { field, key } => format!("{field}:{key}"),
            Said::Text { text } => text.clone(),
        })
        .collect()
}

#[test]
fn a_new_talk_with_an_investor_from_another_province() {
    let plan = plan_of(
        "项目名称,投资方,投资方所在地,投资额（亿元）,所属产业,项目来源,负责人,洽谈进展\n\
         液压支架项目,江苏某重工有限公司,江苏徐州,12.5,煤机制造,产业链招商,王强,已对接两次\n",
        Choices::default(),
    );
    let row = &plan.rows[0];
    assert_eq!(row.action, Action::Create, "{:?}", texts(&row.errors));
    // The sheet is named 在谈项目: the lead is in talks.
    assert_eq!(row.stage, Some(LeadStage::Negotiating));
    let d = row.draft.as_ref().unwrap();
    assert_eq!(d.investment, Some(Money::from_yuan(1_250_000_000)));
    assert_eq!(d.industry_chain_id, Some(11));
    assert_eq!(d.source, Some(Source::Chain));
    assert_eq!(d.owner_id, Some(21));
    assert_eq!(
        d.investor,
        Some(InvestorDraft::New {
            name: "江苏某重工有限公司".into(),
            credit_code: None,
            origin: Origin::OutOfProvince,
            origin_place: Some("江苏".into()),
            industry: Some("煤机制造".into()),
        })
    );
    assert_eq!(
        d.moves,
        vec![MoveDraft {
            to: LeadStage::Negotiating,
            on: day(TODAY),
            note: Some("进展情况：已对接两次".into())
        }]
    );
    assert!(plan.notes.is_empty());
}

#[test]
fn a_signed_row_must_bring_what_signing_asks() {
    let csv = "项目名称,签约企业,投资方所在地,签约时间,投资额（亿元）,项目阶段,项目来源\n\
               光伏组件项目,双良集团,江苏,2026-03-18,20,已签约,外出招商\n";
    let plain = plan_of(csv, Choices::default());
    let row = &plain.rows[0];
    assert_eq!(row.action, Action::Rejected);
    assert_eq!(
        texts(&row.errors),
        vec![
            "signed_amount:error.lead.signed_amount_required",
            "agreement:error.lead.agreement_required"
        ]
    );
    // The user's choices fill in what the sheet leaves out, and say so.
    let chosen = plan_of(
        csv,
        Choices {
            agreement: Some(AgreementKind::Framework),
            signed_for_investment: true,
            ..Choices::default()
        },
    );
    let row = &chosen.rows[0];
    assert_eq!(row.action, Action::Create, "{:?}", texts(&row.errors));
    let d = row.draft.as_ref().unwrap();
    // 双良集团 is the zone's investor already.
    assert_eq!(d.investor, Some(InvestorDraft::Known { id: 3 }));
    assert_eq!(d.facts.signed_amount, Some(Money::from_yuan(2_000_000_000)));
    assert_eq!(d.registered_on, day("2026-03-18"));
    assert_eq!(d.moves[0].to, LeadStage::Signed);
    assert_eq!(d.moves[0].on, day("2026-03-18"));
    assert!(texts(&row.warnings)
        .iter()
        .any(|w| w.contains("以投资额为签约额")));
}

#[test]
fn a_started_row_passes_through_signing_on_its_days() {
    let plan = plan_of(
        "项目名称,投资方,所在地,签约时间,签约额（亿元）,协议类型,注册企业,注册企业信用代码,开工时间,项目阶段,项目来源,投资额(亿元)\n\
         煤矸石综合利用项目,山阴某环保公司,朔州,2026-01-10,3,正式合同,山阴某环保科技有限公司,91140000MA0L0000XX,2026-04-01,已开工,以商招商,3\n",
        Choices::default(),
    );
    let row = &plan.rows[0];
    let errors = texts(&row.errors);
    // The code's check digit is wrong: said, and the row not taken.
    assert_eq!(row.action, Action::Rejected);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("enterprise_credit_code:")),
        "{errors:?}"
    );
    let fixed = plan_of(
        &"项目名称,投资方,所在地,签约时间,签约额（亿元）,协议类型,注册企业,注册企业信用代码,开工时间,项目阶段,项目来源,投资额(亿元)\n\
          煤矸石综合利用项目,山阴某环保公司,朔州,2026-01-10,3,正式合同,山阴某环保科技有限公司,CODE,2026-04-01,已开工,以商招商,3\n"
            .replace("CODE", VALID_CODE),
        Choices::default(),
    );
    let row = &fixed.rows[0];
    assert_eq!(row.action, Action::Create, "{:?}", texts(&row.errors));
    let d = row.draft.as_ref().unwrap();
    let moves: Vec<(LeadStage, NaiveDate)> = d.moves.iter().map(|m| (m.to, m.on)).collect();
    assert_eq!(
        moves,
        vec![
            (LeadStage::Signed, day("2026-01-10")),
            (LeadStage::Started, day("2026-04-01"))
        ]
    );
    match &d.investor {
        Some(InvestorDraft::New { origin, .. }) => assert_eq!(*origin, Origin::InProvince),
        other => panic!("{other:?}"),
    }
}

/// A code with a right check digit (GB 32100-2015).
const VALID_CODE: &str = "91350100M000100Y43";

#[test]
fn a_known_lead_moves_on_and_never_back() {
    let csv = "项目名称,投资方,投资额（亿元）,项目阶段,招商专班,签约时间,签约额(亿元),协议类型\n\
               煤机配件项目,某公司,5,已签约,装备制造专班,2026-06-01,5,框架协议\n";
    let plan = plan_of(csv, Choices::default());
    let row = &plan.rows[0];
    assert_eq!(row.action, Action::Update, "{:?}", texts(&row.errors));
    assert_eq!(
        row.changes,
        vec!["投资额：4.00亿元 → 5.00亿元", "阶段：洽谈 → 签约"]
    );
    let d = row.draft.as_ref().unwrap();
    assert_eq!((d.lead_id, d.version), (Some(7), Some(3)));
    // The same 专班 is no change.
    assert_eq!(d.task_force, None);
    let back = plan_of(
        "项目名称,投资方,投资额（亿元）,项目阶段\n煤机配件项目,某公司,4,线索\n",
        Choices::default(),
    );
    let row = &back.rows[0];
    assert_eq!(row.action, Action::Unchanged);
    assert!(texts(&row.warnings)[0].contains("阶段不回退"));
}

#[test]
fn what_cannot_be_taken_is_said_row_by_row() {
    let plan = plan_of(
        "项目名称,投资方,投资方所在地,投资额（万元）,项目阶段,到位资金\n\
         ,某公司,江苏,100,在谈,\n\
         储能项目,某储能公司,某县,5000,在谈,\n\
         储能项目,某储能公司,江苏,5000,在谈,\n\
         氢能项目,某氢能公司,上海,,谈着呢,\n\
         锂电项目,某锂电公司,上海,8000,拟签约,300\n",
        Choices {
            source: Some(Source::VisitOut),
            ..Choices::default()
        },
    );
    let errors: Vec<Vec<String>> = plan.rows.iter().map(|r| texts(&r.errors)).collect();
    assert_eq!(errors[0], vec!["缺少项目名称"]);
    assert!(
        errors[1][0].contains("无法从所在地“某县”判断"),
        "{:?}",
        errors[1]
    );
    assert!(errors[2][0].contains("同名"), "{:?}", errors[2]);
    assert_eq!(errors[3], vec!["无法识别的项目阶段“谈着呢”"]);
    // 拟签约 is still in talks; the funds are said not to be imported.
    let last = &plan.rows[4];
    assert_eq!(last.action, Action::Create, "{:?}", errors[4]);
    assert_eq!(last.stage, Some(LeadStage::Negotiating));
    assert!(texts(&last.warnings).iter().any(|w| w.contains("到位资金")));
    assert_eq!(
        plan.counts(),
        Counts {
            create: 1,
            update: 0,
            unchanged: 0,
            rejected: 4
        }
    );
}

#[test]
fn without_a_source_column_the_user_is_asked() {
    let plan = plan_of(
        "项目名称,投资方,投资方所在地,投资额（亿元）\n储能项目,某储能公司,江苏,5\n",
        Choices::default(),
    );
    assert_eq!(plan.notes.len(), 1);
    assert_eq!(
        texts(&plan.rows[0].errors),
        vec!["未注明项目来源，请在下方选择"]
    );
}

#[test]
fn words_for_stages_sources_and_agreements() {
    assert_eq!(stage_word("已签约"), Some(LeadStage::Signed));
    assert_eq!(stage_word("二、签约项目（5个）"), Some(LeadStage::Signed));
    assert_eq!(stage_word("拟签约"), Some(LeadStage::Negotiating));
    assert_eq!(stage_word("待开工"), Some(LeadStage::Signed));
    assert_eq!(stage_word("在谈项目"), Some(LeadStage::Negotiating));
    assert_eq!(stage_word("已投产"), Some(LeadStage::Producing));
    assert_eq!(stage_word("终止"), Some(LeadStage::Terminated));
    assert_eq!(stage_word("Sheet1"), None);
    assert_eq!(source_word("以商招商"), Some(Source::ViaBusiness));
    assert_eq!(source_word("进博会"), Some(Source::Fair));
    assert_eq!(source_word("市商务局推送"), Some(Source::FromAbove));
    assert_eq!(source_word("别的"), None);
    assert_eq!(agreement_word("框架协议"), Some(AgreementKind::Framework));
    assert_eq!(agreement_word("投资协议"), Some(AgreementKind::Formal));
    assert_eq!(agreement_word("口头"), None);
}

#[test]
fn the_registration_and_last_follow_up_as_the_sheet_gives_them() {
    let plan = plan_of(
        "项目名称,投资方,投资方所在地,投资额（亿元）,项目来源,登记日期,最近跟进,所属开发区\n\
         储能项目,某储能公司,江苏,5,外出招商,2026-03-02,2026年5月,运城经开区\n\
         氢能项目,某氢能公司,上海,2,外出招商,2026-06-01,,\n",
        Choices::default(),
    );
    let d = plan.rows[0].draft.as_ref().unwrap();
    assert_eq!(d.registered_on, day("2026-03-02"));
    // "2026年5月" is a month: its last day is the latest it can mean.
    assert_eq!(d.last_touch, Some(day("2026-05-31")));
    assert_eq!(
        plan.rows[0].action,
        Action::Create,
        "{:?}",
        texts(&plan.rows[0].errors)
    );
    assert_eq!(
        plan.rows[1].draft.as_ref().unwrap().registered_on,
        day("2026-06-01")
    );
    let late = plan_of(
        "项目名称,投资方,投资方所在地,投资额（亿元）,项目来源,登记日期\n储能项目,某储能公司,江苏,5,外出招商,2027-01-01\n",
        Choices::default(),
    );
    assert_eq!(texts(&late.rows[0].errors), vec!["登记日期晚于今天"]);
}
