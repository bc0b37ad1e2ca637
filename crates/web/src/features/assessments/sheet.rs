//! The score sheet: weights per item, inherited from above.

use super::*;

// ---- sheet ----

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetLine {
    /// plan_completion, start_rate, production_rate, blocker_closure.
    pub kind: String,
    pub label: String,
    pub rule: String,
    /// Whole points; 0 when the sheet leaves the item out.
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetReport {
    pub org_id: i64,
    pub org_name: String,
    pub year: i32,
    pub items: Vec<SheetLine>,
    /// The unit whose sheet is in effect; none for the default 40/20/20/20.
    pub set_by: Option<String>,
    /// The unit has a sheet of its own for the year.
    pub own: bool,
    /// To send back when saving (0: the unit has none of its own yet).
    pub version: i64,
    pub can_configure: bool,
}

pub(super) async fn sheet_report(
    state: &AppState,
    auth: &Auth,
    query: &AssessQuery,
) -> AppResult<SheetReport> {
    let year = query.quarter()?.year;
    let org = assessed_unit(state, auth, query.org_id).await?;
    let stored = state.store.assessment_sheet(&org.org_path(), year).await?;
    Ok(SheetReport {
        items: ItemKind::ALL
            .iter()
            .map(|k| SheetLine {
                kind: k.code().to_owned(),
                label: k.label().to_owned(),
                rule: k.rule().to_owned(),
                weight: stored.sheet.weight(*k),
            })
            .collect(),
        own: stored.set_by_org_id == Some(org.id),
        set_by: stored.set_by_org_name,
        version: stored.version,
        can_configure: may_configure(auth, &org),
        org_id: org.id,
        org_name: org.name,
        year,
    })
}

/// Weights come as one whole-point field per item kind, by its code.
pub(super) async fn save_sheet(
    state: &AppState,
    auth: &Auth,
    input: &Input,
) -> AppResult<SheetReport> {
    let mut e = FieldErrors::new();
    let org_id = input.int("org_id", &mut e);
    let year = input.year("year", &mut e).map(i64::from);
    let version = crate::common::version(input, &mut e);
    let mut items = Vec::new();
    for kind in ItemKind::ALL {
        match input.opt_int(kind.code(), &mut e) {
            Some(w) if (0..=100).contains(&w) => items.push(SheetItem {
                kind,
                weight: w as u32,
            }),
            Some(_) => e.add(kind.code(), "error.assessment.weight"),
            None => {}
        }
    }
    e.into_result()?;
    let year = i32::try_from(year.unwrap_or_default())
        .ok()
        .filter(|y| Quarter::new(*y, 1).is_some())
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("year", "error.choice")))?;
    let sheet = Sheet::parse(items).map_err(|keys| {
        let mut e = FieldErrors::new();
        for key in keys {
            e.add("items", key);
        }
        AppError::Invalid(e)
    })?;
    let org = assessed_unit(state, auth, org_id).await?;
    let proof = configure(auth, &org)?;
    state
        .store
        .set_assessment_sheet(&auth.actor(), &proof, &org, year, &sheet, version)
        .await?;
    let query = AssessQuery {
        org_id: Some(org.id),
        year: Some(year),
        quarter: None,
    };
    sheet_report(state, auth, &query).await
}
