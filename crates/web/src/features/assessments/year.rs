//! The year: the quarters summed.

use super::*;

// ---- year ----

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct YearReport {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    /// Per quarter: closed, open (begun, scores as of now) or not_started.
    pub quarters: Vec<String>,
    /// [{subject, quarters [hundredths or null ×4], total_hundredths, rank}].
    #[schema(value_type = Vec<Object>)]
    pub zones: Vec<YearLine>,
    #[schema(value_type = Vec<Object>)]
    pub departments: Vec<YearLine>,
    #[schema(value_type = Vec<Object>)]
    pub liaisons: Vec<YearLine>,
}

pub(super) async fn year_report(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
) -> AppResult<YearReport> {
    let year = query.quarter()?.year;
    let org = assessed_unit(state, auth, query.org_id).await?;
    let mut states = Vec::new();
    let mut quarters: Vec<Option<std::sync::Arc<Results>>> = Vec::new();
    for quarter in Quarter::of_year(year) {
        if quarter.first_day() > today() {
            states.push("not_started".to_owned());
            quarters.push(None);
            continue;
        }
        let report = quarter_report(state, auth, org.clone(), quarter).await?;
        states.push(
            if report.closing.is_some() {
                "closed"
            } else {
                "open"
            }
            .to_owned(),
        );
        quarters.push(Some(report.results));
    }
    let sum = |table: &str| {
        let tables: Vec<Option<&[Score]>> = quarters
            .iter()
            .map(|r| r.as_ref().and_then(|r| r.table(table)).map(Vec::as_slice))
            .collect();
        year_totals([tables[0], tables[1], tables[2], tables[3]])
    };
    Ok(YearReport {
        zones: sum("zones"),
        departments: sum("departments"),
        liaisons: sum("liaisons"),
        org_id: org.id,
        org_name: org.name,
        year,
        quarters: states,
    })
}
