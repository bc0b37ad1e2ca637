//! What storage can answer besides a result.

use kfq_domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Absent, or outside the caller's visibility: the two look the same.
    #[error("not found")]
    NotFound,
    /// Someone else changed the object since the caller read it.
    #[error("version conflict")]
    Conflict,
    /// Input that the database refuses (a taken code, a unit that is not empty).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The database cannot be reached or cannot take writes just now (a
    /// restart, a failover under way): worth retrying in a few seconds.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error(transparent)]
    Db(sqlx::Error),
    #[error("audit record: {0}")]
    Encode(#[from] serde_json::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Unique indexes and the field error each one means. The index name appears in
/// PostgreSQL's error; SQLite names the columns instead ("table.column").
const UNIQUE_FIELDS: &[(&str, &str, &str, &str)] = &[
    (
        "chain_nodes_name",
        "chain_nodes.name",
        "name",
        "error.chain_link.taken",
    ),
    (
        "attraction_targets_year",
        "attraction_targets.org_id",
        "year",
        "error.retry",
    ),
    (
        "leads_project",
        "leads.project_id",
        "project_id",
        "error.lead.converted",
    ),
    (
        "first_talk_claims_name",
        "first_talk_claims.name_key",
        "first_talk",
        "error.first_talk.taken",
    ),
    (
        "first_talk_claims_code",
        "first_talk_claims.credit_code",
        "first_talk",
        "error.first_talk.taken",
    ),
    (
        "first_talk_claims_lead",
        "first_talk_claims.lead_id",
        "first_talk",
        "error.first_talk.already",
    ),
    (
        "investors_credit_code",
        "investors.credit_code",
        "credit_code",
        "error.investor.credit_code_taken",
    ),
    (
        "monthly_reports_period",
        "monthly_reports.org_id",
        "month",
        "error.monthly_report.issued",
    ),
    (
        "projects_project_code",
        "projects.project_code",
        "project_code",
        "error.project_code.taken",
    ),
    (
        "project_baselines_name",
        "project_baselines.name",
        "name",
        "error.baseline.taken",
    ),
    (
        "calendar_overrides_date",
        "calendar_overrides.on_date",
        "date",
        "error.calendar.taken",
    ),
    (
        "enterprises_credit_code",
        "enterprises.credit_code",
        "credit_code",
        "error.credit_code.taken",
    ),
    (
        "users_username",
        "users.username",
        "username",
        "error.username.taken",
    ),
    (
        "org_units_code",
        "org_units.code",
        "code",
        "error.org_code.taken",
    ),
    (
        "org_units_sibling_name",
        "org_units.name",
        "name",
        "error.org_name.taken",
    ),
    (
        "project_plans_project_year",
        "project_plans.year",
        "year",
        "error.plan.taken",
    ),
    (
        "project_investments_month",
        "project_investments.month",
        "month",
        "error.investment.taken",
    ),
    (
        "assessment_closings_period",
        "assessment_closings.quarter",
        "quarter",
        "error.assessment.closed",
    ),
    (
        "api_tokens_hash",
        "api_tokens.token_hash",
        "name",
        "error.retry",
    ),
];

/// Every database error passes here, so a unique violation becomes the field
/// error it means (422) wherever it was raised, and one no form can explain
/// becomes a conflict (409): another writer got there first.
impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err {
            if db.is_unique_violation() {
                return unique_violation(db.constraint().unwrap_or_default(), db.message());
            }
            // A text PostgreSQL cannot store (a NUL: "invalid byte sequence
            // for encoding UTF8: 0x00") is the caller's input, not our
            // failure. The web edge refuses such text first, naming its
            // field; this is the last line for a path that did not.
            if db
                .code()
                .is_some_and(|code| matches!(&*code, "22021" | "22P05"))
            {
                return StoreError::Invalid(FieldErrors::single("body", "error.control_chars"));
            }
        }
        if unavailable(&err) {
            return StoreError::Unavailable(err);
        }
        StoreError::Db(err)
    }
}

/// The field error a unique violation of `constraint` means, or a conflict.
fn unique_violation(constraint: &str, message: &str) -> StoreError {
    for (index, columns, field, key) in UNIQUE_FIELDS {
        if constraint == *index || message.contains(columns) || message.contains(index) {
            return StoreError::Invalid(FieldErrors::single(field, key));
        }
    }
    StoreError::Conflict
}

/// A row inserted by SQLite's thread on the driver's behalf
/// ([`crate::sqlite_rows`]) fails as the driver's own statement would.
impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(e, message) = &err {
            if matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ) {
                return unique_violation("", message.as_deref().unwrap_or_default());
            }
        }
        StoreError::Db(sqlx::Error::AnyDriverError(Box::new(err)))
    }
}

/// Errors of the connection rather than of the statement: the server is
/// gone, restarting, not yet accepting, or the connection reached a standby
/// (read-only) while a failover promotes another node.
fn unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P01–57P03: shutdown, crash,
            // cannot connect now; 25006: read-only transaction (a standby).
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "25006")
        }),
        _ => false,
    }
}
