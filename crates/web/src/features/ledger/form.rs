//! The project form: new, edit and delete.

use kfq_domain::project_fields::{Kind, FIELDS as PROJECT_FIELDS};

use super::*;
use crate::common::form_post;

// ---- the project form ----

/// The form's keys: its version, the stage a new project starts in, and
/// every editable field of the table.
pub(super) fn form_keys() -> impl Iterator<Item = &'static str> {
    ["version", "stage"]
        .into_iter()
        .chain(PROJECT_FIELDS.iter().map(|f| f.key))
}

pub(super) async fn project_form(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
    creating: bool,
    current_liaison: Option<i64>,
) -> AppResult<FormFields> {
    let page = PageContext::new(Some(auth), "projects");
    let zones: Vec<(String, String)> = zone_options(state, auth, "").await?;
    let zone_id = zone_id.or_else(|| {
        (zones.len() == 2)
            .then(|| zones[1].0.parse().ok())
            .flatten()
    });
    // The pickers list a zone's enterprises, departments and people: only for a
    // zone the caller may write to, whatever the submitted form said.
    let zone_id = match zone_id {
        Some(zone) if writable_zone(state, auth, zone).await.is_ok() => Some(zone),
        _ => None,
    };
    let opt = |items: Vec<(i64, String)>| {
        let mut options = vec![(String::new(), page.t("common.none").to_owned())];
        options.extend(items.into_iter().map(|(id, name)| (id.to_string(), name)));
        options
    };
    let (mut enterprises, mut chains, mut departments, mut liaisons) =
        (vec![], vec![], vec![], vec![]);
    if let Some(zone) = zone_id {
        // Pickers list what lies within the zone the caller may write to.
        let zone_scope = Visibility::Subtree(
            state
                .store
                .org(&auth.principal.org_visibility(), zone)
                .await?
                .org_path(),
        );
        enterprises = state
            .store
            .enterprises(
                &zone_scope,
                &EnterpriseFilter {
                    zone_id: Some(zone),
                    ..Default::default()
                },
                0,
                2000,
            )
            .await?
            .items
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        chains = state.store.industry_chains(zone).await?;
        departments = state
            .store
            .orgs(
                &zone_scope,
                &OrgFilter {
                    parent_id: Some(zone),
                    kind: Some(OrgKind::Department),
                    ..Default::default()
                },
                0,
                200,
            )
            .await?
            .items
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        liaisons = state
            .store
            .users(&zone_scope, &UserFilter::default(), 0, 2000)
            .await?
            .items
            .into_iter()
            // 包联领导 are the zone's liaison leaders; a project's current one
            // stays on offer even if their role has changed, so an edit
            // never drops it unasked.
            .filter(|u| u.role() == kfq_domain::Role::Liaison || Some(u.id) == current_liaison)
            .map(|u| (u.id, u.display_name))
            .collect();
    }
    let codes = |family: &str, codes: Vec<&str>| common::code_options(&page, family, &codes, false);
    let mut fields = vec![Field::new("version", "", FieldKind::Hidden)];
    for f in PROJECT_FIELDS {
        let kind = match (f.kind, f.key) {
            (Kind::Zone, _) => FieldKind::Select(zones.clone()),
            (Kind::Reference, "enterprise_id") => {
                FieldKind::Select(opt(std::mem::take(&mut enterprises)))
            }
            (Kind::Reference, "industry_chain_id") => {
                FieldKind::Select(opt(std::mem::take(&mut chains)))
            }
            (Kind::Reference, "liaison_user_id") => {
                FieldKind::Select(opt(std::mem::take(&mut liaisons)))
            }
            (Kind::Reference, "department_id") => {
                FieldKind::Select(opt(std::mem::take(&mut departments)))
            }
            (Kind::Reference, other) => unreachable!("a reference without its options: {other}"),
            (Kind::Code(family), _) => {
                FieldKind::Select(codes(family, kfq_domain::project_fields::codes(family)))
            }
            (Kind::Flag, _) => FieldKind::Checkbox,
            (Kind::Day, _) => FieldKind::Date,
            _ => FieldKind::Text,
        };
        let mut field = Field::new(f.key, page.t(f.label), kind);
        if f.required {
            field = field.required();
        }
        fields.push(field);
        // A new project's starting stage comes right after its name.
        if creating && f.key == "name" {
            fields.push(Field::new(
                "stage",
                page.t("project.stage"),
                FieldKind::Select(codes(
                    "Stage",
                    Stage::MAIN_LINE.iter().map(|s| s.code()).collect(),
                )),
            ));
        }
    }
    Ok(FormFields::new(fields))
}

pub(super) fn project_values(p: &Project) -> HashMap<&'static str, String> {
    let input = p.input();
    let mut values: HashMap<&'static str, String> = PROJECT_FIELDS
        .iter()
        .map(|f| (f.key, input.text(f.key)))
        .collect();
    values.insert("version", p.version.to_string());
    values
}

pub(super) fn input_values(input: &Input) -> HashMap<&'static str, String> {
    form_keys().map(|k| (k, input.text(k))).collect()
}

pub(super) async fn form_response(
    state: &AppState,
    auth: &Auth,
    (title, action, cancel): (String, String, String),
    zone_id: Option<i64>,
    creating: bool,
    values: &HashMap<&'static str, String>,
    errors: Option<&FieldErrors>,
) -> AppResult<Response> {
    let page = PageContext::new(Some(auth), "projects");
    let current_liaison = values
        .get("liaison_user_id")
        .and_then(|v| v.trim().parse().ok());
    let mut fields = project_form(state, auth, zone_id, creating, current_liaison)
        .await?
        .fill(values);
    if let Some(errors) = errors {
        fields = fields.errors(errors, &page);
    }
    let view = FormView {
        title,
        action,
        fields: fields.fields,
        cancel_href: cancel,
        message: errors.map(|_| page.t("error.invalid").to_owned()),
        page,
    };
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(&view)?).into_response())
}

#[derive(Deserialize)]
pub(super) struct NewQuery {
    zone_id: Option<String>,
}

pub(super) async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<NewQuery>,
) -> AppResult<Response> {
    let zone_id = query
        .zone_id
        .as_deref()
        .and_then(|z| z.parse().ok())
        .or_else(|| {
            auth.principal
                .zone_path
                .as_ref()
                .map(|p| p.ids()[p.ids().len() - 1])
        });
    let zone_id = match zone_id {
        Some(z) => Some(writable_zone(&state, &auth, z).await?.id),
        None => {
            allow(auth.principal.role == kfq_domain::Role::SystemAdmin)?;
            None
        }
    };
    let title = PageContext::new(Some(&auth), "")
        .t("project.new")
        .to_owned();
    let mut values = HashMap::from([
        ("category", Category::Industrial.code().to_owned()),
        ("nature", Nature::New.code().to_owned()),
    ]);
    if let Some(z) = zone_id {
        values.insert("zone_id", z.to_string());
    }
    form_response(
        &state,
        &auth,
        (title, "/projects".into(), "/projects".into()),
        zone_id,
        true,
        &values,
        None,
    )
    .await
}

pub(super) async fn create_page(
    State(state): State<AppState>,
    auth: Auth,
    input: Input,
) -> AppResult<Response> {
    form_post(
        create(&state, &auth, &input).await,
        |p| format!("/projects/{}?notice=saved", p.id),
        async |errors| {
            let title = PageContext::new(Some(&auth), "")
                .t("project.new")
                .to_owned();
            let zone = input.text("zone_id").parse().ok();
            form_response(
                &state,
                &auth,
                (title, "/projects".into(), "/projects".into()),
                zone,
                true,
                &input_values(&input),
                Some(&errors),
            )
            .await
        },
    )
    .await
}

/// The edit form's title ("编辑项目：name"), action and way back.
fn edit_links(auth: &Auth, id: i64, name: &str) -> (String, String, String) {
    let page = PageContext::new(Some(auth), "");
    let title = page.catalog.format(
        "common.label_value",
        &[("label", page.t("project.edit")), ("value", name)],
    );
    (
        title,
        format!("/projects/{id}/edit"),
        format!("/projects/{id}"),
    )
}

pub(super) async fn edit_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = editable(&state, &auth, id).await?;
    let links = edit_links(&auth, id, &p.name);
    form_response(
        &state,
        &auth,
        links,
        Some(p.zone_id),
        false,
        &project_values(&p),
        None,
    )
    .await
}

pub(super) async fn update_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    form_post(
        update(&state, &auth, id, &input).await,
        |p| format!("/projects/{}?notice=saved", p.id),
        async |errors| {
            let p = editable(&state, &auth, id).await?;
            let links = edit_links(&auth, id, &p.name);
            form_response(
                &state,
                &auth,
                links,
                Some(p.zone_id),
                false,
                &input_values(&input),
                Some(&errors),
            )
            .await
        },
    )
    .await
}

pub(super) async fn delete_page(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    input: Input,
) -> AppResult<Response> {
    let project = editable(&state, &auth, id).await?;
    let proof = zone_write(&auth, &project.zone_org_path())?;
    let mut e = FieldErrors::new();
    let expected = common::version(&input, &mut e);
    e.into_result()?;
    state
        .store
        .delete_project(&auth.actor(), &proof, id, expected)
        .await?;
    Ok(see_other("/projects?notice=deleted"))
}
