//! 招商引资: the pipeline of leads (/attraction), a lead's page and its
//! stage moves, the investors (客商); each page with its JSON twin under
//! /api/v1/attraction.

mod activities;
mod chains;
mod first_talk;
mod import;
mod investors;
mod kpi;
mod leads;
mod reports;
mod signing;

use kfq_domain::OrgKind;
use kfq_store::{OrgFilter, OrgUnit};

use crate::auth::Auth;
use crate::error::AppResult;
use crate::routes::Routes;
use crate::state::AppState;

pub fn routes() -> Routes {
    leads::routes()
        .merge(investors::routes())
        .merge(first_talk::routes())
        .merge(activities::routes())
        .merge(signing::routes())
        .merge(kpi::routes())
        .merge(chains::routes())
        .merge(reports::routes())
        .merge(import::routes())
}

/// The API paths of this part, merged into the OpenAPI document.
pub fn api_docs() -> [utoipa::openapi::OpenApi; 9] {
    use utoipa::OpenApi;
    [
        leads::ApiDoc::openapi(),
        investors::ApiDoc::openapi(),
        first_talk::ApiDoc::openapi(),
        activities::ApiDoc::openapi(),
        signing::ApiDoc::openapi(),
        kpi::ApiDoc::openapi(),
        chains::ApiDoc::openapi(),
        reports::ApiDoc::openapi(),
        import::ApiDoc::openapi(),
    ]
}

/// The zones the caller sees.
async fn zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    Ok(state
        .store
        .orgs(&auth.principal.org_visibility(), &filter, 0, 10_000)
        .await?
        .items)
}

/// The zones the caller works leads in.
async fn working_zones(state: &AppState, auth: &Auth) -> AppResult<Vec<OrgUnit>> {
    Ok(zones(state, auth)
        .await?
        .into_iter()
        .filter(|z| auth.principal.lead_write(&z.org_path()).is_some())
        .collect())
}

/// A list's search field, and its zone picker when the caller sees several.
fn search_and_zone(
    page: &crate::layout::PageContext,
    zones: &[OrgUnit],
    q: &Option<String>,
    zone_id: &Option<String>,
) -> Vec<crate::views::Field> {
    use crate::views::{Field, FieldKind};
    let mut search = Field::new("q", page.t("attraction.search"), FieldKind::Text);
    search.value = q.clone().unwrap_or_default();
    let mut fields = vec![search];
    if zones.len() > 1 {
        let mut zone = Field::new(
            "zone_id",
            page.t("project.zone"),
            FieldKind::Select(zone_options(zones, page.t("common.all"))),
        );
        zone.value = zone_id.clone().unwrap_or_default();
        fields.push(zone);
    }
    fields
}

fn zone_options(zones: &[OrgUnit], blank: &str) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), blank.to_owned())];
    options.extend(zones.iter().map(|z| (z.id.to_string(), z.name.clone())));
    options
}

/// (code, label) of every value of a coded field, after a blank choice.
fn code_options<T: kfq_domain::Coded + Copy + std::fmt::Display>(
    page: &crate::layout::PageContext,
    family: &str,
    all: &[T],
    blank: &str,
) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), blank.to_owned())];
    options.extend(
        all.iter()
            .map(|v| (v.code().to_owned(), page.label(family, v))),
    );
    options
}
