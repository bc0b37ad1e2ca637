//! What the month sheet and the plan sheet share: which zone's sheet the user
//! may type, for which department or liaison leader, the page's own address
//! (its form posts back to it), and a refused sheet's errors listed in the
//! order of its rows.

use super::*;
use kfq_store::MonthSheetFilter;

/// The zone, the zones the user may choose between, and which projects.
pub(super) struct SheetScope {
    pub zone: OrgUnit,
    pub zones: Vec<(i64, String)>,
    pub filter: MonthSheetFilter,
    pub missing_only: bool,
}

/// The query parameters both sheets take, as typed.
pub(super) struct ScopeQuery<'a> {
    pub zone_id: &'a Option<String>,
    pub department_id: &'a Option<String>,
    pub liaison_user_id: &'a Option<String>,
    pub missing: &'a Option<String>,
}

/// The zone asked for when the user may type its sheet, else the user's own
/// zone, else the first they may type.
pub(super) async fn scope(
    state: &AppState,
    auth: &Auth,
    q: ScopeQuery<'_>,
) -> AppResult<SheetScope> {
    let zones: Vec<OrgUnit> = crate::features::ledger_import::writable_zones(state, auth)
        .await?
        .into_iter()
        .filter(|z| z.kind() == OrgKind::Zone)
        .collect();
    allow(!zones.is_empty())?;
    let asked = common::ListQuery::id(q.zone_id, "zone_id")?;
    let zone = asked
        .and_then(|id| zones.iter().find(|z| z.id == id))
        .or_else(|| {
            let own = auth.principal.zone_path.as_ref().map(|p| p.id());
            zones.iter().find(|z| Some(z.id) == own)
        })
        .unwrap_or(&zones[0])
        .clone();
    Ok(SheetScope {
        zones: zones.iter().map(|z| (z.id, z.name.clone())).collect(),
        zone,
        filter: MonthSheetFilter {
            department_id: common::ListQuery::id(q.department_id, "department_id")?,
            liaison_user_id: common::ListQuery::id(q.liaison_user_id, "liaison_user_id")?,
        },
        missing_only: q.missing.as_deref().is_some_and(|m| !m.is_empty()),
    })
}

impl SheetScope {
    /// The sheet's address at `path` for this scope and `chosen` (the month
    /// or the year, "period=2026-11"): its form posts back to it.
    pub fn address(&self, path: &str, chosen: &str) -> String {
        let mut here = format!("{path}?zone_id={}&{chosen}", self.zone.id);
        for (key, value) in [
            ("department_id", self.filter.department_id),
            ("liaison_user_id", self.filter.liaison_user_id),
        ] {
            if let Some(v) = value {
                here.push_str(&format!("&{key}={v}"));
            }
        }
        if self.missing_only {
            here.push_str("&missing=1");
        }
        here
    }

    /// A zone named in an API path must be the one the sheet is for.
    pub fn is_zone(&self, zone_id: i64) -> AppResult<()> {
        if self.zone.id == zone_id {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// The zone of an API path, seen and writable by the caller.
pub(super) async fn path_zone(state: &AppState, auth: &Auth, zone_id: i64) -> AppResult<()> {
    state
        .store
        .org(&auth.principal.org_visibility(), zone_id)
        .await?;
    kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, zone_id).await?;
    Ok(())
}

/// The message of a refused field, in words.
pub(super) fn field_message(errors: Option<&FieldErrors>, field: &str) -> Option<String> {
    errors.and_then(|errors| {
        errors
            .0
            .iter()
            .find(|e| e.field == field)
            .map(|e| Catalog::zh().t(e.key).to_owned())
    })
}

/// A refused sheet's errors in the order of its rows, each named by its
/// project and linked to its field, then those of no row.
pub(super) fn listed_errors<'a>(
    rows: impl IntoIterator<Item = (&'a str, String, &'a Option<String>)>,
    all: &FieldErrors,
    row_fields: &[&str],
) -> Vec<(String, String)> {
    let catalog = Catalog::zh();
    let mut errors: Vec<(String, String)> = rows
        .into_iter()
        .filter_map(|(name, field, error)| {
            let e = error.as_deref()?;
            let line = catalog.format("monthly.row_error", &[("name", name), ("error", e)]);
            Some((field, line))
        })
        .collect();
    for e in &all.0 {
        if !row_fields
            .iter()
            .any(|prefix| e.field.starts_with(&format!("{prefix}_")))
        {
            errors.push((e.field.clone(), catalog.t(e.key).to_owned()));
        }
    }
    errors
}

/// The answer to a posted sheet: saved (back to the sheet, saying whether
/// anything changed), refused (the sheet again with what was typed and why,
/// 422), or overtaken by someone else's save (409).
pub(super) async fn answer_save<T, V: askama::Template>(
    saved: Result<Vec<T>, kfq_app::Error>,
    here: &str,
    view: impl AsyncFnOnce(&FieldErrors) -> AppResult<V>,
) -> AppResult<Response> {
    let (status, errors) = match saved {
        Ok(saved) => {
            let notice = if saved.is_empty() {
                "unchanged"
            } else {
                "saved"
            };
            return Ok(see_other(&format!("{here}&notice={notice}#sheet")));
        }
        Err(kfq_app::Error::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Err(kfq_app::Error::Conflict) => (
            StatusCode::CONFLICT,
            FieldErrors::single("sheet", "error.conflict"),
        ),
        Err(other) => return Err(other.into()),
    };
    let view = view(&errors).await?;
    Ok((status, render(&view)?).into_response())
}
