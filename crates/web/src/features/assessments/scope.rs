//! Whose scores, for which quarter or year, read from the query.

use super::*;

// ---- who, what, when ----

/// Which unit, year and quarter (defaults: the user's unit, this quarter).
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct AssessQuery {
    /// A province, city, county or zone (a department means its zone).
    pub org_id: Option<i64>,
    pub year: Option<i32>,
    /// 1–4.
    pub quarter: Option<u32>,
}

impl AssessQuery {
    pub(super) fn quarter(&self) -> AppResult<Quarter> {
        let now = Quarter::of(today());
        let year = match self.year {
            Some(year) => kfq_domain::validation::year(i64::from(year))
                .map_err(|key| AppError::Invalid(FieldErrors::single("year", key)))?,
            None => now.year,
        };
        let quarter = self
            .quarter
            .unwrap_or(if year == now.year { now.quarter } else { 4 });
        Quarter::new(year, quarter)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("quarter", "error.choice")))
    }

    pub(super) fn query_string(&self, org: &OrgUnit, quarter: Quarter) -> String {
        format!(
            "org_id={}&year={}&quarter={}",
            org.id, quarter.year, quarter.quarter
        )
    }
}

/// The unit whose subjects are assessed: one the user sees, not a department.
pub(super) async fn assessed_unit(
    state: &AppState,
    auth: &Auth,
    org_id: Option<i64>,
) -> AppResult<OrgUnit> {
    let visibility = auth.principal.org_visibility();
    let id = org_id.unwrap_or_else(|| auth.principal.unit_path.id());
    let org = state.store.org(&visibility, id).await?;
    if org.kind() != OrgKind::Department {
        return Ok(org);
    }
    let zone = org.zone_id.ok_or(AppError::NotFound)?;
    Ok(state.store.org(&visibility, zone).await?)
}

/// Sheets and closings come from above a zone, or from the zone's own
/// administration for its departments and leaders: the domain's rule.
pub(super) fn may_configure(auth: &Auth, org: &OrgUnit) -> bool {
    auth.principal.assessment(&org.org_path()).is_some()
}

/// The proof that the caller may set `org`'s sheet and close its quarters.
pub(super) fn configure(auth: &Auth, org: &OrgUnit) -> AppResult<Assessment> {
    crate::common::proven(auth.principal.assessment(&org.org_path()))
}
