//! A quarter's scores and ranking, from the ledger as it stood.

use super::*;
pub(super) use kfq_app::assessments::{compute, Results};

// ---- results ----

/// A closed quarter as frozen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClosingInfo {
    pub closed_by: String,
    /// Unix ms.
    pub closed_at: i64,
    /// The ledger cut-off the frozen results were computed at, Unix ms.
    pub as_of: i64,
    pub sha256: String,
    /// The stored results still hash to `sha256`.
    pub intact: bool,
    /// Computing the quarter again now would give other scores.
    pub differs_now: bool,
}

/// A quarter's scores for a unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuarterReport {
    pub org_id: i64,
    pub org_name: String,
    /// province, city, county or zone.
    pub org_kind: String,
    pub year: i32,
    pub quarter: u32,
    pub label: String,
    /// The quarter's last day has passed: it may be closed.
    pub ended: bool,
    /// Frozen, when closed.
    pub closing: Option<ClosingInfo>,
    /// The unit whose sheet scores this one; none for the default.
    pub sheet_set_by: Option<String>,
    /// `sheet.items` [{kind, weight}]; `zones`, or `departments` and
    /// `liaisons`: ranked [{subject {id, name}, items [{kind, weight,
    /// numerator, denominator, rate_tenths, elapsed_tenths,
    /// points_hundredths, no_task, basis}], total_hundredths, rank}].
    #[schema(value_type = Object)]
    pub results: std::sync::Arc<Results>,
    pub can_configure: bool,
}

pub(super) async fn quarter_report(
    state: &AppState,
    auth: &Auth,
    org: OrgUnit,
    quarter: Quarter,
) -> AppResult<QuarterReport> {
    let store = &state.store;
    let sheet = store
        .assessment_sheet(&org.org_path(), quarter.year)
        .await?;
    let (results, closing) = match store.assessment_closing(org.id, quarter).await? {
        Some(closed) => {
            let frozen: Results = serde_json::from_str(&closed.results)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("frozen results: {e}")))?;
            let again = state.assessments.now(store, &org, quarter).await?;
            let info = ClosingInfo {
                intact: results_sha256(&closed.results) == closed.sha256,
                differs_now: *again != frozen,
                closed_by: closed.closed_by,
                closed_at: closed.closed_at,
                as_of: closed.as_of,
                sha256: closed.sha256,
            };
            (std::sync::Arc::new(frozen), Some(info))
        }
        None => (state.assessments.now(store, &org, quarter).await?, None),
    };
    Ok(QuarterReport {
        can_configure: may_configure(auth, &org),
        org_id: org.id,
        org_kind: org.kind.code().to_owned(),
        org_name: org.name,
        year: quarter.year,
        quarter: quarter.quarter,
        label: quarter.label(),
        ended: quarter.last_day() < today(),
        closing,
        sheet_set_by: sheet.set_by_org_name,
        results,
    })
}

pub(super) async fn report_for(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
) -> AppResult<QuarterReport> {
    let quarter = query.quarter()?;
    let org = assessed_unit(state, auth, query.org_id).await?;
    quarter_report(state, auth, org, quarter).await
}

pub(super) async fn close(
    state: &AppState,
    auth: &Auth,
    input: &Input,
) -> AppResult<QuarterReport> {
    let mut e = FieldErrors::new();
    let org_id = input.int("org_id", &mut e);
    let year = input.year("year", &mut e).map(i64::from);
    let quarter = input.int("quarter", &mut e);
    e.into_result()?;
    let quarter = i32::try_from(year.unwrap_or_default())
        .ok()
        .zip(u32::try_from(quarter.unwrap_or_default()).ok())
        .and_then(|(y, q)| Quarter::new(y, q))
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("quarter", "error.choice")))?;
    let org = assessed_unit(state, auth, org_id).await?;
    let proof = configure(auth, &org)?;
    let (as_of, results) = compute(&state.store, &org, quarter).await?;
    let json = serde_json::to_string(&results).map_err(anyhow::Error::from)?;
    state
        .store
        .close_assessment_quarter(&auth.actor(), &proof, &org, quarter, today(), as_of, &json)
        .await?;
    quarter_report(state, auth, org, quarter).await
}
