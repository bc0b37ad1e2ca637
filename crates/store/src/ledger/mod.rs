//! The key-project ledger: projects and their stage history, annual plans,
//! monthly investment and blockers. Figures such as year-to-date investment are
//! derived in queries, never stored twice; only the red/yellow/green status is
//! cached on the project (it depends on today) and refreshed on every change.

mod blockers;
pub(crate) mod bulk;
mod export;
pub(crate) mod history;
pub(crate) mod import;
mod investments;
pub(crate) mod kept;
pub(crate) mod milestones;
mod model;
mod monthly;
mod plans;
pub(crate) mod project;
pub(crate) mod query;
mod record;
mod todo;
mod zone_lists;

use chrono::NaiveDate;
use kfq_domain::audit::AuditAction;
use kfq_domain::investment::{gap_to_elapsed_tenths, MonthAmount};
use kfq_domain::project::{check_advance, check_correction, check_stage_date};
use kfq_domain::project_fields::{Stored, FIELDS};
use kfq_domain::rag::{judge, RagInput, RagRules};
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, FieldErrors, Money, Mu, Nature, OrgPath, Stage,
    Visibility, ZoneWrite,
};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::versioned::{claim, delete_claimed, lock, one_row};
use crate::{now_ms, Page, Store};

pub use self::export::ExportFacts;
pub use self::model::*;
pub use self::monthly::{MonthEntry, MonthLine, MonthSheetFilter, PlanLine};
pub use self::project::RagContext;
pub(crate) use self::project::*;
pub use self::record::ProjectRecord;
pub use self::todo::{DueMilestone, RedProject as RedProjectLine, ZoneProgress};
