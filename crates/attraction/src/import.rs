//! A 招商项目台账 planned against a zone's pipeline: for every row, the lead
//! it creates or the lead it moves on and fills in, or why it cannot be
//! taken — by the same stage rules as a lead entered by hand. Nothing here
//! writes: the plan is shown, then committed whole.
//!
//! Words are read as zones write them: a stage from the row's own 阶段
//! cell, else the section heading above it ("一、签约项目"), the sheet's
//! title or its name ("在谈项目"); the investor's origin from its place
//! ("江苏徐州" is 省外 for a zone in 山西). A figure the sheet gives is never
//! dropped without saying so.

use std::collections::HashMap;

use chrono::NaiveDate;
use kfq_domain::{CreditCode, Money, Mu};
use kfq_workbook::attraction::{LeadBook, LeadField, LeadRow, LeadSheet, LeadValues};
use kfq_workbook::LedgerDate;
use serde::Serialize;

use crate::origin::{origin_of_place, origin_of_word};
use crate::{check_move, name_key, AgreementKind, LeadStage, Origin, Source, StageFacts};

/// A lead the zone already has.
#[derive(Debug, Clone)]
pub struct KnownLead {
    pub id: i64,
    pub version: i64,
    pub name: String,
    pub stage: LeadStage,
    pub left_at: Option<LeadStage>,
    pub facts: StageFacts,
    pub investment: Money,
    pub land: Option<Mu>,
    pub energy_tce: Option<i64>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i64>,
    pub referrer: Option<String>,
    pub task_force: Option<String>,
}

/// An investor the zone already has.
#[derive(Debug, Clone)]
pub struct KnownInvestor {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
}

/// What the zone holds that rows are matched against.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub leads: Vec<KnownLead>,
    pub investors: Vec<KnownInvestor>,
    /// The zone's industry chains (id, name).
    pub chains: Vec<(i64, String)>,
    /// The people who may own a lead in the zone (id, display name).
    pub people: Vec<(i64, String)>,
    /// The zone's province as the org tree names it ("山西省").
    pub province: Option<String>,
}

/// What the user chose for what the sheet does not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Choices {
    /// The source of rows that name none.
    pub source: Option<Source>,
    /// The agreement of signed rows that name none.
    pub agreement: Option<AgreementKind>,
    /// A signed row without 签约额 is recorded as signed for its 投资额.
    pub signed_for_investment: bool,
}

/// A problem or remark: a catalogue key (the stage rules' reasons, on a
/// lead field) or a sentence said here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Said {
    Key { field: String, key: &'static str },
    Text { text: String },
}

fn text(t: impl Into<String>) -> Said {
    Said::Text { text: t.into() }
}

/// What a row becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Rejected,
}

/// The investor of a new lead: one the zone has, or one to register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InvestorDraft {
    Known {
        id: i64,
    },
    New {
        name: String,
        credit_code: Option<String>,
        origin: Origin,
        origin_place: Option<String>,
        industry: Option<String>,
    },
}

/// A stage reached on a day, with the facts it brings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveDraft {
    pub to: LeadStage,
    pub on: NaiveDate,
    pub note: Option<String>,
}

/// The lead a row creates, or what it changes of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The lead moved on or filled in; `None`: a new lead.
    pub lead_id: Option<i64>,
    pub version: Option<i64>,
    pub name: String,
    pub investor: Option<InvestorDraft>,
    pub industry_chain_id: Option<i64>,
    pub investment: Option<Money>,
    pub land: Option<Mu>,
    pub energy_tce: Option<i64>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i64>,
    pub source: Option<Source>,
    pub referrer: Option<String>,
    pub owner_id: Option<i64>,
    pub task_force: Option<String>,
    pub registered_on: NaiveDate,
    /// 登记日期 as the sheet gives it.
    pub registered_given: Option<NaiveDate>,
    /// 最近跟进 as the sheet gives it.
    pub last_touch: Option<NaiveDate>,
    /// The progress, content and remarks of the row, kept with its history.
    pub note: Option<String>,
    pub moves: Vec<MoveDraft>,
    pub facts: StageFacts,
    pub enterprise_name: Option<String>,
    pub enterprise_credit_code: Option<String>,
}

/// One row's plan.
#[derive(Debug, Clone, Serialize)]
pub struct RowPlan {
    pub sheet: String,
    pub row: u32,
    pub name: Option<String>,
    pub investor: Option<String>,
    pub action: Action,
    /// The stage the row puts the lead at.
    pub stage: Option<LeadStage>,
    /// "投资额：4.00亿元 → 5.00亿元", for an update.
    pub changes: Vec<String>,
    pub errors: Vec<Said>,
    pub warnings: Vec<Said>,
    #[serde(skip)]
    pub draft: Option<Draft>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub rejected: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
    /// What the whole sheet lacks ("no 项目来源 column: choose one").
    pub notes: Vec<String>,
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.rows {
            match r.action {
                Action::Create => c.create += 1,
                Action::Update => c.update += 1,
                Action::Unchanged => c.unchanged += 1,
                Action::Rejected => c.rejected += 1,
            }
        }
        c
    }
}

/// A stage named in words: "已签约", "在谈", "洽谈中", "已开工", "终止".
pub fn stage_word(word: &str) -> Option<LeadStage> {
    let t: String = word.chars().filter(|c| !c.is_whitespace()).collect();
    const WORDS: &[(&[&str], LeadStage)] = &[
        (
            &["终止", "中止", "放弃", "搁置", "退出"],
            LeadStage::Terminated,
        ),
        (&["投产", "达产", "竣工"], LeadStage::Producing),
        (&["开工", "在建", "建设中"], LeadStage::Started),
        (&["注册", "落地"], LeadStage::Registered),
        (&["签约", "签订", "签署"], LeadStage::Signed),
        (
            &["在谈", "洽谈", "谈判", "商谈", "对接中", "推进中"],
            LeadStage::Negotiating,
        ),
        (&["研判", "论证", "考察", "评估"], LeadStage::Assessing),
        (
            &["线索", "储备", "意向", "信息", "接触", "谋划"],
            LeadStage::Clue,
        ),
    ];
    // "拟签约" and "待开工" are plans, not the stage reached.
    let planned = ["拟", "待", "计划", "准备", "争取", "力争"]
        .iter()
        .any(|w| t.starts_with(w));
    let found = WORDS
        .iter()
        .find(|(words, _)| words.iter().any(|w| t.contains(w)))
        .map(|(_, s)| *s)?;
    if planned {
        // The stage before the one planned: 拟签约 is still in talks.
        return Some(match found {
            LeadStage::Signed => LeadStage::Negotiating,
            LeadStage::Registered | LeadStage::Started => LeadStage::Signed,
            LeadStage::Producing => LeadStage::Started,
            other => other,
        });
    }
    Some(found)
}

/// The stage's name as the pipeline shows it.
pub fn stage_name(stage: LeadStage) -> &'static str {
    match stage {
        LeadStage::Clue => "线索",
        LeadStage::Assessing => "研判",
        LeadStage::Negotiating => "洽谈",
        LeadStage::Signed => "签约",
        LeadStage::Registered => "注册落地",
        LeadStage::Started => "开工",
        LeadStage::Producing => "投产",
        LeadStage::Terminated => "终止",
    }
}

/// A source named in words: "以商招商", "外出招商", "展会".
pub fn source_word(word: &str) -> Option<Source> {
    const WORDS: &[(&[&str], Source)] = &[
        (&["以商招商", "以商引商", "企业推荐"], Source::ViaBusiness),
        (&["产业链", "链主", "链式"], Source::Chain),
        (
            &["一把手", "主要领导", "书记", "区长", "主任招商"],
            Source::TopLeader,
        ),
        (
            &["上级", "推送", "交办", "省里", "市里", "商务厅"],
            Source::FromAbove,
        ),
        (
            &[
                "展会",
                "博览会",
                "推介会",
                "招商会",
                "洽谈会",
                "论坛",
                "进博",
            ],
            Source::Fair,
        ),
        (
            &["中介", "代理", "委托", "基金", "协会", "商会", "第三方"],
            Source::Agency,
        ),
        (
            &["外出", "小分队", "驻点", "上门", "拜访", "走访", "考察"],
            Source::VisitOut,
        ),
    ];
    WORDS
        .iter()
        .find(|(words, _)| words.iter().any(|w| word.contains(w)))
        .map(|(_, s)| *s)
}

/// An agreement named in words: "框架协议", "正式合同", "投资协议".
pub fn agreement_word(word: &str) -> Option<AgreementKind> {
    if ["框架", "意向", "备忘", "战略合作"]
        .iter()
        .any(|w| word.contains(w))
    {
        return Some(AgreementKind::Framework);
    }
    ["正式", "合同", "投资协议", "入园协议", "入驻协议", "履约"]
        .iter()
        .any(|w| word.contains(w))
        .then_some(AgreementKind::Formal)
}

/// Plans every row of the book against what the zone holds, on `today`.
pub fn plan(book: &LeadBook, known: &Known, choices: &Choices, today: NaiveDate) -> Plan {
    let leads: HashMap<String, &KnownLead> =
        known.leads.iter().map(|l| (name_key(&l.name), l)).collect();
    let mut seen: HashMap<String, (String, u32)> = HashMap::new();
    let mut notes = Vec::new();
    let has = |f: LeadField| {
        book.sheets
            .iter()
            .any(|s| s.columns.iter().any(|c| c.field == Some(f)))
    };
    if !has(LeadField::Source) && choices.source.is_none() {
        notes.push(
            "表中没有“项目来源（招商方式）”列：请在下方选择这些项目的来源，或在表中加上该列"
                .to_owned(),
        );
    }
    let mut rows = Vec::new();
    for (sheet, row) in book.rows() {
        let mut plan = plan_row(sheet, row, known, &leads, choices, today);
        if let Some(name) = row.values.name.as_deref() {
            let key = name_key(name);
            match seen.get(&key) {
                Some((s, r)) => {
                    plan.errors.push(text(format!(
                        "与{s}第{r}行的项目同名，同一项目只能导入一次"
                    )));
                }
                None => {
                    seen.insert(key, (sheet.name.clone(), row.row));
                }
            }
        }
        if !plan.errors.is_empty() {
            plan.action = Action::Rejected;
            plan.draft = None;
        }
        rows.push(plan);
    }
    Plan { rows, notes }
}

/// Dates are taken as the day written; a month or a year alone as its
/// first day, said as a remark.
fn day_of(d: LedgerDate, label: &str, warnings: &mut Vec<Said>) -> NaiveDate {
    if !matches!(d, LedgerDate::Day { .. }) {
        warnings.push(text(format!("{label}只写到“{d}”，按该期第一天记")));
    }
    d.first_day()
}

fn plan_row(
    sheet: &LeadSheet,
    row: &LeadRow,
    known: &Known,
    leads: &HashMap<String, &KnownLead>,
    choices: &Choices,
    today: NaiveDate,
) -> RowPlan {
    let v = &row.values;
    let mut errors: Vec<Said> = Vec::new();
    let mut warnings: Vec<Said> = Vec::new();
    for issue in &row.issues {
        let said = text(format!(
            "{}（{}列）：{}",
            issue.field.label(),
            issue.column,
            issue.reason
        ));
        if issue.warning {
            warnings.push(said);
        } else {
            errors.push(said);
        }
    }
    let mut plan = RowPlan {
        sheet: sheet.name.clone(),
        row: row.row,
        name: v.name.clone(),
        investor: v.investor.clone(),
        action: Action::Rejected,
        stage: None,
        changes: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        draft: None,
    };
    let Some(name) = v.name.clone() else {
        errors.push(text("缺少项目名称"));
        plan.errors = errors;
        return plan;
    };
    let stage = match stage_of(sheet, row) {
        Ok(Some(s)) => s,
        Ok(None) => {
            let s = stage_from_facts(v);
            warnings.push(text(format!(
                "未注明阶段（表中、分组标题和工作表名都没有），按所填信息记为“{}”",
                stage_name(s)
            )));
            s
        }
        Err(word) => {
            errors.push(text(format!("无法识别的项目阶段“{word}”")));
            plan.errors = errors;
            return plan;
        }
    };
    plan.stage = Some(stage);

    let mut facts = StageFacts::default();
    let signed = stage.is_signed();
    if signed {
        facts.signed_on = v.signed_on.map(|d| day_of(d, "签约时间", &mut warnings));
        facts.signed_amount = v.signed_amount.as_ref().map(|a| a.value);
        if facts.signed_amount.is_none() && choices.signed_for_investment {
            facts.signed_amount = v.investment.as_ref().map(|a| a.value);
            if facts.signed_amount.is_some() {
                warnings.push(text("未填签约额，按所选以投资额为签约额"));
            }
        }
        facts.agreement = match v.agreement.as_deref() {
            Some(w) => match agreement_word(w) {
                Some(a) => Some(a),
                None => {
                    errors.push(text(format!(
                        "无法识别的协议类型“{w}”（应为框架协议或正式合同）"
                    )));
                    None
                }
            },
            None => choices.agreement,
        };
    } else {
        for (given, label) in [
            (v.signed_on.is_some(), "签约时间"),
            (v.signed_amount.is_some(), "签约额"),
        ] {
            if given {
                warnings.push(text(format!(
                    "阶段为“{}”，表中的{label}未导入（签约后再记）",
                    stage_name(stage)
                )));
            }
        }
    }
    let reaches = |s: LeadStage| stage.rank() >= s.rank() && stage != LeadStage::Terminated;
    let enterprise_code = match v.enterprise_code.as_deref() {
        Some(c) => match CreditCode::parse(c) {
            Ok(code) => Some(code.as_str().to_owned()),
            Err(key) => {
                errors.push(Said::Key {
                    field: "enterprise_credit_code".into(),
                    key,
                });
                None
            }
        },
        None => None,
    };
    if reaches(LeadStage::Registered) {
        facts.enterprise_registered = v.enterprise.is_some() && enterprise_code.is_some();
    }
    if reaches(LeadStage::Started) {
        facts.started_on = v.started_on.map(|d| day_of(d, "开工时间", &mut warnings));
    } else if v.started_on.is_some() {
        warnings.push(text(format!(
            "阶段为“{}”，表中的开工时间未导入",
            stage_name(stage)
        )));
    }
    if reaches(LeadStage::Producing) {
        facts.produced_on = v.produced_on.map(|d| day_of(d, "投产时间", &mut warnings));
    }
    if stage == LeadStage::Terminated {
        facts.terminated_reason = v
            .progress
            .clone()
            .or_else(|| v.note.clone())
            .or_else(|| v.stage.clone());
    }

    let owner_id = match v.owner.as_deref() {
        Some(o) => {
            let found = known.people.iter().find(|(_, n)| n == o).map(|(id, _)| *id);
            if found.is_none() {
                warnings.push(text(format!(
                    "负责人“{o}”不是本区的账户，未设为负责人，记入项目历史"
                )));
            }
            found
        }
        None => None,
    };
    let note = note_of(v, owner_id.is_none());
    let chain = v.industry.as_deref().and_then(|i| {
        let key = name_key(i);
        known
            .chains
            .iter()
            .find(|(_, c)| {
                let c = name_key(c);
                !key.is_empty() && (c == key || c.contains(&key) || key.contains(&c))
            })
            .map(|(id, _)| *id)
    });

    let mut draft = Draft {
        lead_id: None,
        version: None,
        name: name.clone(),
        investor: None,
        industry_chain_id: chain,
        investment: v.investment.as_ref().map(|a| a.value),
        land: v.land.as_ref().map(|a| a.value),
        energy_tce: v.energy,
        expected_output: v.output.as_ref().map(|a| a.value),
        expected_tax: v.tax.as_ref().map(|a| a.value),
        expected_jobs: v.jobs,
        source: None,
        referrer: v.referrer.clone(),
        owner_id,
        task_force: v.task_force.clone(),
        registered_on: today,
        registered_given: v
            .registered_on
            .map(|d| day_of(d, "登记日期", &mut warnings)),
        last_touch: v.last_touch.map(|d| d.last_day()),
        note,
        moves: Vec::new(),
        facts: facts.clone(),
        enterprise_name: v.enterprise.clone(),
        enterprise_credit_code: enterprise_code,
    };
    if v.funds.is_some() {
        warnings.push(text(
            "到位资金按月登记，本表中的到位资金未导入；请在项目的“到位资金”中按月录入",
        ));
    }

    match leads.get(&name_key(&name)) {
        Some(lead) => plan_update(
            lead,
            stage,
            &mut draft,
            &mut plan,
            &mut errors,
            &mut warnings,
            today,
        ),
        None => {
            plan_create(
                sheet,
                v,
                known,
                choices,
                stage,
                &mut draft,
                &mut errors,
                &mut warnings,
                today,
            );
            plan.action = Action::Create;
        }
    }
    plan.errors = errors;
    plan.warnings = warnings;
    plan.draft = Some(draft);
    plan
}

/// The row's own stage cell, else the section heading, the title or the
/// sheet's name. `Err` carries a stage cell that names no stage.
fn stage_of(sheet: &LeadSheet, row: &LeadRow) -> Result<Option<LeadStage>, String> {
    if let Some(word) = row.values.stage.as_deref() {
        return stage_word(word).map(Some).ok_or_else(|| word.to_owned());
    }
    Ok([
        row.section.as_deref(),
        sheet.title.as_deref(),
        Some(&sheet.name),
    ]
    .into_iter()
    .flatten()
    .find_map(stage_word))
}

/// Without any word for it, the furthest stage the row's facts show, else
/// a 线索 (a row in a 台账 is at least a lead).
fn stage_from_facts(v: &LeadValues) -> LeadStage {
    if v.produced_on.is_some() {
        LeadStage::Producing
    } else if v.started_on.is_some() {
        LeadStage::Started
    } else if v.signed_on.is_some() || v.signed_amount.is_some() {
        LeadStage::Signed
    } else {
        LeadStage::Clue
    }
}

/// The row's words kept with the lead's history.
fn note_of(v: &LeadValues, owner_unknown: bool) -> Option<String> {
    let mut parts = Vec::new();
    let mut add = |label: &str, value: &Option<String>| {
        if let Some(t) = value.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            parts.push(format!("{label}：{t}"));
        }
    };
    add("进展情况", &v.progress);
    add("建设内容", &v.content);
    if owner_unknown {
        add("负责人", &v.owner);
    }
    add("备注", &v.note);
    (!parts.is_empty()).then(|| parts.join("；"))
}

/// The day a stage's own fact gives it (签约, 开工, 投产 have one).
fn stage_day(stage: LeadStage, facts: &StageFacts) -> Option<NaiveDate> {
    match stage {
        LeadStage::Signed => facts.signed_on,
        LeadStage::Started => facts.started_on,
        LeadStage::Producing => facts.produced_on,
        _ => None,
    }
}

/// The moves that bring a new lead from 线索 to `stage`: each stage passed
/// that has a day of its own, on that day, then the stage reached (on its
/// own day, else on the day of the import).
fn moves_to(stage: LeadStage, facts: &StageFacts, today: NaiveDate) -> Vec<MoveDraft> {
    let mut moves: Vec<MoveDraft> = [LeadStage::Signed, LeadStage::Started, LeadStage::Producing]
        .into_iter()
        .filter(|s| s.rank() < stage.rank() && stage != LeadStage::Terminated)
        .filter_map(|s| {
            stage_day(s, facts).map(|on| MoveDraft {
                to: s,
                on,
                note: None,
            })
        })
        .collect();
    if stage != LeadStage::Clue {
        moves.push(MoveDraft {
            to: stage,
            on: stage_day(stage, facts).unwrap_or(today),
            note: None,
        });
    }
    moves
}

#[allow(clippy::too_many_arguments)]
fn plan_create(
    sheet: &LeadSheet,
    v: &LeadValues,
    known: &Known,
    choices: &Choices,
    stage: LeadStage,
    draft: &mut Draft,
    errors: &mut Vec<Said>,
    warnings: &mut Vec<Said>,
    today: NaiveDate,
) {
    match v.investor.as_deref() {
        None => errors.push(text("缺少投资方（客商）")),
        Some(investor) => {
            draft.investor = investor_of(sheet, v, investor, known, errors, warnings);
        }
    }
    if draft.investment.is_none() {
        match draft.facts.signed_amount.filter(|_| stage.is_signed()) {
            // A 签约项目 sheet gives what was signed for, not a plan.
            Some(signed) => {
                draft.investment = Some(signed);
                warnings.push(text("表中没有投资额，按签约额记为项目投资额"));
            }
            None => errors.push(text("缺少投资额")),
        }
    }
    draft.source = match v.source.as_deref() {
        Some(w) => match source_word(w) {
            Some(s) => Some(s),
            None => {
                errors.push(text(format!(
                    "无法识别的项目来源“{w}”（应为外出招商、以商招商、产业链招商、展会招商、中介招商、上级推送或一把手招商）"
                )));
                None
            }
        },
        None => match choices.source {
            Some(s) => Some(s),
            None => {
                errors.push(text("未注明项目来源，请在下方选择"));
                None
            }
        },
    };
    if let Err(e) = check_move(LeadStage::Clue, stage, None, &draft.facts, today) {
        errors.extend(e.0.into_iter().map(|f| Said::Key {
            field: f.field,
            key: f.key,
        }));
    }
    draft.moves = moves_to(stage, &draft.facts, today);
    let first = draft.moves.first().map(|m| m.on);
    draft.registered_on = match draft.registered_given {
        Some(r) if r > today => {
            errors.push(text("登记日期晚于今天"));
            today
        }
        Some(r) if first.is_some_and(|f| r > f) => {
            errors.push(text(format!(
                "登记日期晚于该项目{}的日期",
                stage_name(draft.moves[0].to)
            )));
            r
        }
        Some(r) => r,
        None => first.map_or(today, |f| f.min(today)),
    };
    // The last follow-up is not before the registration, nor after today.
    draft.last_touch = draft
        .last_touch
        .map(|t| t.min(today))
        .filter(|t| *t >= draft.registered_on);
    if let Some(last) = draft.moves.last_mut() {
        last.note = draft.note.clone();
    }
}

/// The investor of a new lead: by credit code, else by name, else a new one
/// whose origin the row must tell.
fn investor_of(
    sheet: &LeadSheet,
    v: &LeadValues,
    name: &str,
    known: &Known,
    errors: &mut Vec<Said>,
    warnings: &mut Vec<Said>,
) -> Option<InvestorDraft> {
    let code = match v.credit_code.as_deref() {
        Some(c) => match CreditCode::parse(c) {
            Ok(code) => Some(code.as_str().to_owned()),
            Err(key) => {
                errors.push(Said::Key {
                    field: "credit_code".into(),
                    key,
                });
                return None;
            }
        },
        None => None,
    };
    let key = name_key(name);
    let by_code = code.as_ref().and_then(|c| {
        known
            .investors
            .iter()
            .find(|i| i.credit_code.as_deref() == Some(c.as_str()))
    });
    if let Some(found) =
        by_code.or_else(|| known.investors.iter().find(|i| name_key(&i.name) == key))
    {
        return Some(InvestorDraft::Known { id: found.id });
    }
    let asks_abroad = sheet
        .columns
        .iter()
        .find(|c| c.field == Some(LeadField::Origin))
        .is_some_and(|c| c.header.contains("外资") || c.header.contains("境外"));
    let stated = v
        .origin
        .as_deref()
        .map(|w| (w, origin_of_word(w, asks_abroad)));
    let placed = v
        .place
        .as_deref()
        .and_then(|p| origin_of_place(p, known.province.as_deref()));
    let (origin, origin_place) = match (stated, placed) {
        (Some((_, Some(o))), Some((p, place))) if o == p => (o, place),
        (Some((_, Some(o))), Some((p, _))) => {
            warnings.push(text(format!(
                "所在地“{}”看来是{}，但表中注明“{}”，按表中注明记",
                v.place.as_deref().unwrap_or_default(),
                origin_name(p),
                origin_name(o)
            )));
            (o, None)
        }
        (Some((_, Some(o))), None) => (o, v.place.clone()),
        (_, Some((o, place))) => (
            o,
            place.or_else(|| v.place.clone().filter(|_| o != Origin::InProvince)),
        ),
        (Some((w, None)), None) => {
            errors.push(text(format!("无法识别“{w}”是省内、省外还是境外")));
            return None;
        }
        (None, None) => {
            errors.push(text(match v.place.as_deref() {
                Some(p) => format!(
                    "无法从所在地“{p}”判断投资方是省内、省外还是境外，请写明省份（如“江苏苏州”）或国家"
                ),
                None => "新客商须注明所在地（省份或国家），以区分省内、省外、境外".to_owned(),
            }));
            return None;
        }
    };
    Some(InvestorDraft::New {
        name: name.to_owned(),
        credit_code: code,
        origin,
        origin_place,
        industry: v.industry.clone(),
    })
}

fn origin_name(o: Origin) -> &'static str {
    match o {
        Origin::InProvince => "省内",
        Origin::OutOfProvince => "省外",
        Origin::Abroad => "境外",
    }
}

fn amount(m: Option<Money>) -> String {
    m.map_or_else(|| "（空）".to_owned(), |m| format!("{m}亿元"))
}

/// What a row changes of a lead the zone has: its figures where the row
/// gives others, and its stage when the row's is further on. A row never
/// takes a lead back, nor clears what the sheet leaves blank.
fn plan_update(
    lead: &KnownLead,
    stage: LeadStage,
    draft: &mut Draft,
    plan: &mut RowPlan,
    errors: &mut Vec<Said>,
    warnings: &mut Vec<Said>,
    today: NaiveDate,
) {
    draft.lead_id = Some(lead.id);
    draft.version = Some(lead.version);
    let mut changes = Vec::new();
    let mut money = |label: &str, new: &mut Option<Money>, old: Option<Money>| {
        if new.is_some() && *new != old {
            changes.push(format!("{label}：{} → {}", amount(old), amount(*new)));
        } else {
            *new = None;
        }
    };
    money("投资额", &mut draft.investment, Some(lead.investment));
    money(
        "预计年产值",
        &mut draft.expected_output,
        lead.expected_output,
    );
    money("预计年税收", &mut draft.expected_tax, lead.expected_tax);
    let mut other = |label: &str, new: Option<String>, old: Option<String>| -> bool {
        let changed = new.is_some() && new != old;
        if changed {
            changes.push(format!(
                "{label}：{} → {}",
                old.unwrap_or_else(|| "（空）".into()),
                new.unwrap_or_default()
            ));
        }
        changed
    };
    if !other(
        "用地面积（亩）",
        draft.land.map(|m| m.to_string()),
        lead.land.map(|m| m.to_string()),
    ) {
        draft.land = None;
    }
    if !other(
        "年综合能耗（吨标煤）",
        draft.energy_tce.map(|n| n.to_string()),
        lead.energy_tce.map(|n| n.to_string()),
    ) {
        draft.energy_tce = None;
    }
    if !other(
        "带动就业",
        draft.expected_jobs.map(|n| n.to_string()),
        lead.expected_jobs.map(|n| n.to_string()),
    ) {
        draft.expected_jobs = None;
    }
    if !other("引荐人", draft.referrer.clone(), lead.referrer.clone()) {
        draft.referrer = None;
    }
    if !other(
        "招商专班",
        draft.task_force.clone(),
        lead.task_force.clone(),
    ) {
        draft.task_force = None;
    }
    // The investor, chain and owner of a lead in the pipeline are changed on
    // its page, not by a sheet.
    draft.industry_chain_id = None;
    draft.owner_id = None;

    let forward = match (lead.stage.rank(), stage.rank()) {
        _ if lead.stage == stage => false,
        (None, _) => {
            warnings.push(text(format!(
                "系统中该项目已终止，表中为“{}”，阶段未改；如需恢复请在项目页操作",
                stage_name(stage)
            )));
            false
        }
        (Some(_), None) => true,
        (Some(from), Some(to)) if to < from => {
            warnings.push(text(format!(
                "系统中该项目已到“{}”，表中为“{}”，阶段不回退",
                stage_name(lead.stage),
                stage_name(stage)
            )));
            false
        }
        _ => true,
    };
    if forward {
        // The facts of the lead with the row's over them, as a move by hand.
        let mut facts = lead.facts.clone();
        let f = &draft.facts;
        facts.signed_on = f.signed_on.or(facts.signed_on);
        facts.signed_amount = f.signed_amount.or(facts.signed_amount);
        facts.agreement = f.agreement.or(facts.agreement);
        facts.enterprise_registered |= f.enterprise_registered;
        facts.started_on = f.started_on.or(facts.started_on);
        facts.produced_on = f.produced_on.or(facts.produced_on);
        facts.terminated_reason = f.terminated_reason.clone();
        match check_move(lead.stage, stage, lead.left_at, &facts, today) {
            Ok(()) => {
                let on = stage_day(stage, f).unwrap_or(today);
                draft.moves = vec![MoveDraft {
                    to: stage,
                    on,
                    note: draft.note.clone(),
                }];
                changes.push(format!(
                    "阶段：{} → {}",
                    stage_name(lead.stage),
                    stage_name(stage)
                ));
            }
            Err(e) => errors.extend(e.0.into_iter().map(|f| Said::Key {
                field: f.field,
                key: f.key,
            })),
        }
    }
    plan.action = if changes.is_empty() {
        Action::Unchanged
    } else {
        Action::Update
    };
    plan.changes = changes;
}

#[cfg(test)]
mod tests;
