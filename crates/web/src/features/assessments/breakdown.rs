//! What is behind one unit's score.

use super::*;

// ---- breakdown ----

/// One subject's score, item by item.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct BreakdownQuery {
    pub org_id: Option<i64>,
    pub year: Option<i32>,
    pub quarter: Option<u32>,
    /// Whose breakdown: a zone's, a department's or a liaison leader's.
    #[param(schema_with = crate::openapi::codes::breakdown_table)]
    pub table: String,
    pub subject_id: i64,
}

impl BreakdownQuery {
    pub(super) fn scope(&self) -> AssessQuery {
        AssessQuery {
            org_id: self.org_id,
            year: self.year,
            quarter: self.quarter,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    pub org_id: i64,
    pub org_name: String,
    pub label: String,
    pub frozen: bool,
    pub table: String,
    /// {subject, items [{kind, weight, numerator, denominator, rate_tenths,
    /// elapsed_tenths, points_hundredths, no_task, basis [{project_id,
    /// project_name, blocker_id, met, due_on, done_on, done_yuan,
    /// plan_yuan}]}], total_hundredths, rank}
    #[schema(value_type = Object)]
    pub score: Score,
}

pub(super) async fn breakdown(
    state: &AppState,
    auth: &Auth,
    query: &BreakdownQuery,
) -> AppResult<Breakdown> {
    let report = report_for(state, auth, &query.scope()).await?;
    let score = report
        .results
        .table(&query.table)
        .and_then(|t| t.iter().find(|s| s.subject.id == query.subject_id))
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(Breakdown {
        org_id: report.org_id,
        org_name: report.org_name,
        label: report.label,
        frozen: report.closing.is_some(),
        table: query.table.clone(),
        score,
    })
}
