//! The OpenAPI 3 description of `/api/v1`, generated from the handlers.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "kfq API"),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

/// The document: the common part above with every feature's paths merged in.
pub fn document() -> utoipa::openapi::OpenApi {
    use crate::features::*;
    let mut doc = ApiDoc::openapi();
    for part in [
        home::ApiDoc::openapi(),
        orgs::ApiDoc::openapi(),
        enterprises::ApiDoc::openapi(),
        users::ApiDoc::openapi(),
        ledger::ApiDoc::openapi(),
        ledger::milestones::ApiDoc::openapi(),
        ledger::settings::ApiDoc::openapi(),
        bulletins::ApiDoc::openapi(),
        ledger_import::ApiDoc::openapi(),
        campaigns::ApiDoc::openapi(),
        dispatch::ApiDoc::openapi(),
        assessments::ApiDoc::openapi(),
        monthly_reports::ApiDoc::openapi(),
        indicators::ApiDoc::openapi(),
        indicators::import::ApiDoc::openapi(),
        notifications::ApiDoc::openapi(),
        account::ApiDoc::openapi(),
    ] {
        doc.merge(part);
    }
    BearerAuth.modify(&mut doc);
    let description = kfq_app::i18n::Catalog::zh().t("app.api_description");
    doc.info.description = Some(description.to_owned());
    doc
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}
