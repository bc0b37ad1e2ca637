//! A lead's stages (线索 → 研判 → 洽谈 → 签约 → 注册落地 → 开工 → 投产, and
//! 终止) and the facts each stage asks for before a lead may stand in it.

use chrono::NaiveDate;
use kfq_domain::{code_enum, FieldErrors, Money};

code_enum! {
    /// Where a lead stands. The order of the variants is the pipeline's.
    LeadStage {
        Clue = "clue",
        Assessing = "assessing",
        Negotiating = "negotiating",
        Signed = "signed",
        Registered = "registered",
        Started = "started",
        Producing = "producing",
        Terminated = "terminated",
    }
}

impl LeadStage {
    /// The pipeline's stages, 终止 left out.
    pub const PIPELINE: [LeadStage; 7] = [
        LeadStage::Clue,
        LeadStage::Assessing,
        LeadStage::Negotiating,
        LeadStage::Signed,
        LeadStage::Registered,
        LeadStage::Started,
        LeadStage::Producing,
    ];

    /// Position in the pipeline; 终止 stands outside it.
    pub fn rank(self) -> Option<usize> {
        Self::PIPELINE.iter().position(|s| *s == self)
    }

    /// Signed or beyond: what the signing figures count.
    pub fn is_signed(self) -> bool {
        self.rank() >= LeadStage::Signed.rank()
    }

    /// Still being worked on: neither producing nor ended.
    pub fn is_open(self) -> bool {
        !matches!(self, LeadStage::Producing | LeadStage::Terminated)
    }
}

code_enum! {
    /// How a lead came (招商方式).
    Source {
        VisitOut = "visit_out",
        ViaBusiness = "via_business",
        Chain = "chain",
        Fair = "fair",
        Agency = "agency",
        FromAbove = "from_above",
        TopLeader = "top_leader",
    }
}

code_enum! {
    /// Where an investor comes from, as the signing figures are split.
    Origin {
        InProvince = "in_province",
        OutOfProvince = "out_of_province",
        Abroad = "abroad",
    }
}

code_enum! {
    /// 框架协议 or 正式合同.
    AgreementKind {
        Framework = "framework",
        Formal = "formal",
    }
}

/// The ledger stage a lead enters the key-project ledger at: a signed or
/// registered lead as 签约, a started one as 开工, a producing one as 投产;
/// none before signing (a plan is not a project) or once ended.
pub fn ledger_stage(stage: LeadStage) -> Option<kfq_domain::Stage> {
    use kfq_domain::Stage;
    match stage {
        LeadStage::Signed | LeadStage::Registered => Some(Stage::Signed),
        LeadStage::Started => Some(Stage::Started),
        LeadStage::Producing => Some(Stage::Producing),
        LeadStage::Clue | LeadStage::Assessing | LeadStage::Negotiating | LeadStage::Terminated => {
            None
        }
    }
}

/// The facts a lead holds that stages ask for, as they would stand after the
/// move (what the lead has, with what the move brings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageFacts {
    pub signed_on: Option<NaiveDate>,
    pub signed_amount: Option<Money>,
    pub agreement: Option<AgreementKind>,
    /// The enterprise registered for it: both its name and its credit code.
    pub enterprise_registered: bool,
    pub started_on: Option<NaiveDate>,
    pub produced_on: Option<NaiveDate>,
    pub terminated_reason: Option<String>,
}

/// Whether a lead at `from` may move to `to` with `facts`, on `today`.
/// Forward moves may skip stages but must bring every later stage's facts;
/// before signing a lead may step back (研判 after talks stall), after it
/// only 终止 ends it; a terminated lead resumes at the stage it left
/// (`left_at`). Every missing fact is named, field by field.
pub fn check_move(
    from: LeadStage,
    to: LeadStage,
    left_at: Option<LeadStage>,
    facts: &StageFacts,
    today: NaiveDate,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if from == to {
        e.add("stage", "error.lead.same_stage");
        return e.into_result();
    }
    match (from.rank(), to.rank()) {
        (_, None) => {
            if facts
                .terminated_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            {
                e.add("terminated_reason", "error.lead.reason_required");
            }
            return e.into_result();
        }
        (None, Some(_)) if left_at != Some(to) => {
            e.add("stage", "error.lead.resume_where_left");
            return e.into_result();
        }
        (Some(f), Some(t)) if t < f && from.is_signed() => {
            e.add("stage", "error.lead.signed_cannot_go_back");
            return e.into_result();
        }
        _ => {}
    }
    let later = |date: Option<NaiveDate>, field: &str, e: &mut FieldErrors| {
        if date.is_some_and(|d| d > today) {
            e.add(field, "error.lead.future_date");
        }
    };
    if to.is_signed() {
        if facts.signed_on.is_none() {
            e.add("signed_on", "error.lead.signed_on_required");
        }
        match facts.signed_amount {
            None => e.add("signed_amount", "error.lead.signed_amount_required"),
            Some(m) if m <= Money::ZERO => {
                e.add("signed_amount", "error.lead.signed_amount_positive")
            }
            Some(_) => {}
        }
        if facts.agreement.is_none() {
            e.add("agreement", "error.lead.agreement_required");
        }
        later(facts.signed_on, "signed_on", &mut e);
    }
    if to.rank() >= LeadStage::Registered.rank() && !facts.enterprise_registered {
        e.add("enterprise_credit_code", "error.lead.enterprise_required");
    }
    if to.rank() >= LeadStage::Started.rank() {
        match facts.started_on {
            None => e.add("started_on", "error.lead.started_on_required"),
            Some(d) if facts.signed_on.is_some_and(|s| d < s) => {
                e.add("started_on", "error.lead.started_before_signed")
            }
            Some(_) => {}
        }
        later(facts.started_on, "started_on", &mut e);
    }
    if to == LeadStage::Producing {
        match facts.produced_on {
            None => e.add("produced_on", "error.lead.produced_on_required"),
            Some(d) if facts.started_on.is_some_and(|s| d < s) => {
                e.add("produced_on", "error.lead.produced_before_started")
            }
            Some(_) => {}
        }
        later(facts.produced_on, "produced_on", &mut e);
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::LeadStage::*;
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-06-30";

    fn fields(from: LeadStage, to: LeadStage, facts: &StageFacts) -> Vec<(String, &'static str)> {
        match check_move(from, to, Some(Negotiating), facts, day(TODAY)) {
            Ok(()) => vec![],
            Err(e) => e.0.into_iter().map(|f| (f.field, f.key)).collect(),
        }
    }

    fn signed() -> StageFacts {
        StageFacts {
            signed_on: Some(day("2026-03-18")),
            signed_amount: Some(Money::from_yuan(1_500_000_000)),
            agreement: Some(AgreementKind::Formal),
            ..StageFacts::default()
        }
    }

    #[test]
    fn early_stages_move_freely_before_signing() {
        let none = StageFacts::default();
        assert!(fields(Clue, Assessing, &none).is_empty());
        assert!(
            fields(Clue, Negotiating, &none).is_empty(),
            "a stage may be skipped"
        );
        assert!(
            fields(Negotiating, Assessing, &none).is_empty(),
            "talks stall: back to 研判"
        );
        assert_eq!(
            fields(Assessing, Assessing, &none),
            [("stage".into(), "error.lead.same_stage")]
        );
    }

    #[test]
    fn signing_asks_for_date_amount_and_agreement_each_by_name() {
        assert_eq!(
            fields(Negotiating, Signed, &StageFacts::default()),
            [
                ("signed_on".into(), "error.lead.signed_on_required"),
                ("signed_amount".into(), "error.lead.signed_amount_required"),
                ("agreement".into(), "error.lead.agreement_required"),
            ]
        );
        assert!(fields(Negotiating, Signed, &signed()).is_empty());
        let zero = StageFacts {
            signed_amount: Some(Money::ZERO),
            ..signed()
        };
        assert_eq!(
            fields(Negotiating, Signed, &zero),
            [("signed_amount".into(), "error.lead.signed_amount_positive")]
        );
        let tomorrow = StageFacts {
            signed_on: Some(day("2026-07-01")),
            ..signed()
        };
        assert_eq!(
            fields(Negotiating, Signed, &tomorrow),
            [("signed_on".into(), "error.lead.future_date")]
        );
    }

    #[test]
    fn skipping_to_a_late_stage_brings_every_stage_s_facts() {
        // 洽谈 straight to 开工: signing, the enterprise and the start.
        let mut facts = signed();
        assert_eq!(
            fields(Negotiating, Started, &facts),
            [
                (
                    "enterprise_credit_code".into(),
                    "error.lead.enterprise_required"
                ),
                ("started_on".into(), "error.lead.started_on_required"),
            ]
        );
        facts.enterprise_registered = true;
        facts.started_on = Some(day("2026-03-01"));
        assert_eq!(
            fields(Negotiating, Started, &facts),
            [("started_on".into(), "error.lead.started_before_signed")]
        );
        facts.started_on = Some(day("2026-05-06"));
        assert!(fields(Negotiating, Started, &facts).is_empty());
        assert_eq!(
            fields(Started, Producing, &facts),
            [("produced_on".into(), "error.lead.produced_on_required")]
        );
        facts.produced_on = Some(day("2026-06-30"));
        assert!(fields(Started, Producing, &facts).is_empty());
    }

    #[test]
    fn a_signed_lead_does_not_go_back_and_ends_only_with_a_reason() {
        assert_eq!(
            fields(Signed, Negotiating, &signed()),
            [("stage".into(), "error.lead.signed_cannot_go_back")]
        );
        assert_eq!(
            fields(Signed, Terminated, &signed()),
            [("terminated_reason".into(), "error.lead.reason_required")]
        );
        let blank = StageFacts {
            terminated_reason: Some("  ".into()),
            ..signed()
        };
        assert!(!fields(Signed, Terminated, &blank).is_empty());
        let why = StageFacts {
            terminated_reason: Some("企业投资方向调整".into()),
            ..signed()
        };
        assert!(fields(Signed, Terminated, &why).is_empty());
    }

    #[test]
    fn a_terminated_lead_resumes_where_it_left() {
        let none = StageFacts::default();
        // Left at 洽谈 (see `fields`).
        assert!(fields(Terminated, Negotiating, &none).is_empty());
        assert_eq!(
            fields(Terminated, Clue, &none),
            [("stage".into(), "error.lead.resume_where_left")]
        );
    }

    #[test]
    fn the_pipeline_is_ordered_and_counts_signing_from_signed_on() {
        assert_eq!(LeadStage::PIPELINE.len() + 1, LeadStage::ALL.len());
        assert!(Clue.rank() < Producing.rank());
        assert_eq!(Terminated.rank(), None);
        assert!(!Negotiating.is_signed() && Signed.is_signed() && Producing.is_signed());
        assert!(!Terminated.is_signed());
        assert!(Started.is_open() && !Producing.is_open() && !Terminated.is_open());
    }

    #[test]
    fn only_a_signed_lead_enters_the_ledger_at_its_stage() {
        use kfq_domain::Stage;
        assert_eq!(ledger_stage(Negotiating), None);
        assert_eq!(ledger_stage(Terminated), None);
        assert_eq!(ledger_stage(Signed), Some(Stage::Signed));
        assert_eq!(ledger_stage(Registered), Some(Stage::Signed));
        assert_eq!(ledger_stage(Started), Some(Stage::Started));
        assert_eq!(ledger_stage(Producing), Some(Stage::Producing));
    }
}
