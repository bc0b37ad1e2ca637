//! The OpenAPI 3 description of `/api/v1`, generated from the handlers.

pub mod codes;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
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
        ledger::monthly::ApiDoc::openapi(),
        ledger::plan_sheet::ApiDoc::openapi(),
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
    ]
    .into_iter()
    .chain(attraction::api_docs())
    {
        doc.merge(part);
    }
    BearerAuth.modify(&mut doc);
    complete_operations(&mut doc);
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

/// Every operation gets an id of its own, from its method and path (handler
/// names repeat across features, and OpenAPI wants them unique), and the
/// answers any operation can give besides its own: a malformed request (400),
/// no or an expired token (401), a role that may not (403), an object not
/// there or not visible (404), a field refused
/// (422), someone else's change first (409, writes), the database out of
/// reach for a moment (503).
fn complete_operations(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, operation) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ] {
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            operation.operation_id = Some(operation_id(method, path));
            let mut common = vec![
                (
                    "400",
                    "The request is malformed (query string, JSON or form)",
                ),
                ("401", "No token, or one that has expired or was revoked"),
                ("403", "The user's role may not do this"),
                ("422", "A field is refused; each field says why"),
                ("503", "The database is out of reach for a moment: retry"),
            ];
            // Ids come in paths, queries and bodies alike.
            common.push((
                "404",
                "An object it names is not there, or not visible to this user",
            ));
            if method != "get" {
                common.push(("409", "Someone else changed it first: reload and retry"));
                common.push((
                    "413",
                    "The body is beyond the limit (2 MB; 64 MB for a file)",
                ));
            }
            for (status, description) in common {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| {
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content(
                                    "application/json",
                                    ContentBuilder::new()
                                        .schema(Some(Ref::from_schema_name("ApiErrorDoc")))
                                        .build(),
                                )
                                .build(),
                        )
                    });
            }
        }
    }
}

/// "get" + "/api/v1/projects/{project_id}/plans" → "get_projects_project_id_plans".
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .trim_start_matches("/api/v1")
        .split(['/', '-', '.'])
        .map(|w| w.trim_matches(['{', '}']))
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn operation_ids_are_unique_and_readable() {
        assert_eq!(
            super::operation_id("get", "/api/v1/projects/{project_id}/plans"),
            "get_projects_project_id_plans"
        );
        let doc = super::document();
        let mut seen = std::collections::HashSet::new();
        for (path, item) in &doc.paths.paths {
            for op in [&item.get, &item.post, &item.put, &item.delete]
                .into_iter()
                .flatten()
            {
                let id = op.operation_id.clone().expect("every operation has an id");
                assert!(seen.insert(id.clone()), "{id} ({path}) repeats");
            }
        }
        assert!(seen.len() > 60);
    }

    #[test]
    fn every_error_code_is_in_the_document() {
        use crate::error::AppError;
        let listed = super::codes::error_code().enum_values.unwrap_or_default();
        let catalog = kfq_app::i18n::Catalog::zh();
        for error in [
            AppError::NotFound,
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::Conflict,
            AppError::Csrf,
            AppError::Throttled(5),
            AppError::Invalid(kfq_domain::FieldErrors::new()),
            AppError::BadRequest(String::new()),
            AppError::Unreadable(String::new()),
            AppError::TooLarge(1 << 20),
            AppError::Unavailable,
            AppError::Internal(anyhow::anyhow!("x")),
        ] {
            let code = error.body(catalog).code;
            assert!(listed.contains(&code.into()), "{code} is not listed");
        }
        assert_eq!(listed.len(), 12);
    }

    #[test]
    fn coded_fields_list_their_values() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["UserBody"]["properties"]["role"]["enum"]
                .as_array()
                .map(Vec::len),
            Some(kfq_domain::Role::ALL.len())
        );
        let stage = doc["paths"]["/api/v1/projects"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "stage")
            .unwrap();
        assert_eq!(stage["required"], false);
        assert!(stage["schema"]["enum"]
            .as_array()
            .unwrap()
            .contains(&"pre_construction".into()));
    }
}
