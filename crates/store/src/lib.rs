//! Storage of kfq. One code path over SQLite (the default, a file) and PostgreSQL
//! (by URL), through sqlx's runtime-generic driver with portable SQL; the two
//! dialects differ only in their migration files. Every write runs in one
//! transaction together with its audit record. Callers never see SQL: they call
//! the repository methods on [`Store`], and every read takes the caller's
//! [`kfq_domain::Visibility`], so no query can forget the user's scope.

mod assessments;
mod attraction;
mod audit;
mod backup;
pub mod bulk_copy;
mod bulk_insert;
mod bulletins;
mod campaigns;
mod copy_out;
mod db;
mod decode;
mod dispatch;
mod enterprises;
mod error;
mod failover;
mod indicators;
mod leases;
mod ledger;
mod monthly_reports;
mod notifications;
mod orgs;
mod replicas;
pub mod schema;
mod sessions;
mod settings;
mod sql;
mod sqlite_rows;
mod staged;
pub mod testing;
mod tokens;
mod users;
mod versioned;

pub use assessments::{results_sha256, AssessmentClosing, AssessmentSheet};
pub use attraction::{
    Activity, ActivityFilter, ActivityInput, AttractionRules, AttractionTargets, ChainLink,
    ChainLinkInput, Contact, DueStep, FirstTalkClaim, FundEntry, IdleLead, Investor,
    InvestorFilter, InvestorInput, Lead, LeadFilter, LeadImportDone, LeadInput, LeadMember,
    LeadRecord, LeadRow, LeadStageChange, LeadUpdate, LinkLead, Linked, RivalLead, RulesInput,
    StageCount, StageMove, ZoneChain, ZoneLeadFacts,
};
pub use audit::{Actor, AuditEntry, ChainReport};
pub use backup::{restore_file, BackupError};
pub use bulletins::{Acceptance, Bulletin, FactSource, ProjectSource};
pub use campaigns::{Campaign, CampaignHistory, CampaignInput, CampaignProject, DroppedProject};
pub use copy_out::Transport;
pub use db::{Backend, Store};
pub use dispatch::{Decision, DecisionInput, DispatchFilter, SheetBlocker, WeekEvent};
pub use enterprises::{Enterprise, EnterpriseFilter, EnterpriseInput};
pub use error::StoreError;
pub use indicators::{
    BoardFigure, FigureInput, IndicatorInput, IndicatorRow, IndicatorTarget, IndicatorValue,
    ValueFilter,
};
pub use ledger::import::{ImportFile, ImportUpload, LedgerImport};
pub use ledger::milestones::{Baseline, Milestone, StageDisagreement, TemplateNode};
pub use ledger::{
    parse_date, AnnualPlan, Blocker, BlockerInput, ExportFacts, FastPathProject, Ledger,
    LedgerFilter, LedgerRow, LedgerSort, LedgerTotals, MonthEntry, MonthLine, MonthSheetFilter,
    MonthlyInvestment, OpeningCumulative, PlanLine, Project, ProjectInput, ProjectRecord,
    RagContext, StageChange,
};
pub use ledger::{DueMilestone, RedProjectLine, ZoneProgress};
pub use monthly_reports::{IssuedReport, ReportIssue};
pub use notifications::{
    Delivery, DueBlocker, LateMilestone, NewNotice, Notice, NotifyChannel, RedProject, Subscriber,
};
pub use orgs::{OrgFilter, OrgInput, OrgUnit};
pub use replicas::MAX_LAG as REPLICA_MAX_LAG;
pub use sessions::{NewSession, SessionUser};
pub use settings::CalendarOverride;
pub use tokens::{ApiToken, NewApiToken};
pub use users::{
    hash_password, verify_password, LoginFailure, LoginFailures, User, UserFilter, UserInput,
    UserUpdate, FAILURES_KEPT_MS,
};

/// One page of a list, with the count of all matches.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}

/// A write outside what its proof of permission allows: to the writer, the
/// row is not there, as for a read outside their scope.
pub(crate) fn within(covered: bool) -> error::Result<()> {
    if covered {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The path of the unit `id` as stored, if `covers` admits it; `NotFound`
/// otherwise (also for a unit that is not there).
pub(crate) async fn unit_within(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    covers: impl Fn(&kfq_domain::OrgPath) -> bool,
) -> error::Result<kfq_domain::OrgPath> {
    let path = ledger::zone_path(conn, id).await?;
    within(covers(&path))?;
    Ok(path)
}

/// Current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
