//! The project form: new, edit and delete.

use super::*;

// ---- the project form ----

pub(super) const FIELDS: &[&str] = &[
    "version",
    "zone_id",
    "name",
    "stage",
    "enterprise_id",
    "investor",
    "category",
    "nature",
    "industry_chain_id",
    "total_investment",
    "land_mu",
    "floor_area_m2",
    "construction_content",
    "annual_output",
    "annual_tax",
    "jobs",
    "registered",
    "registered_on",
    "liaison_user_id",
    "department_id",
    "task_force",
    "project_code",
];

pub(super) async fn project_form(
    state: &AppState,
    auth: &Auth,
    zone_id: Option<i64>,
    creating: bool,
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
        let all = Visibility::All;
        enterprises = state
            .store
            .enterprises(
                &all,
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
                &all,
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
        let zone_path = state.store.org(&all, zone).await?.org_path();
        liaisons = state
            .store
            .users(
                &Visibility::Subtree(zone_path),
                &UserFilter::default(),
                0,
                2000,
            )
            .await?
            .items
            .into_iter()
            .filter(|u| u.role() != kfq_domain::Role::Enterprise)
            .map(|u| (u.id, u.display_name))
            .collect();
    }
    let codes = |family: &str, codes: Vec<&str>| common::code_options(&page, family, &codes, false);
    let mut fields = vec![
        Field::new("version", "", FieldKind::Hidden),
        Field::new("zone_id", page.t("project.zone"), FieldKind::Select(zones)).required(),
        Field::new("name", page.t("project.name"), FieldKind::Text).required(),
    ];
    if creating {
        fields.push(Field::new(
            "stage",
            page.t("project.stage"),
            FieldKind::Select(codes(
                "Stage",
                Stage::MAIN_LINE.iter().map(|s| s.code()).collect(),
            )),
        ));
    }
    fields.extend([
        Field::new(
            "enterprise_id",
            page.t("project.enterprise"),
            FieldKind::Select(opt(enterprises)),
        ),
        Field::new("investor", page.t("project.investor"), FieldKind::Text),
        Field::new(
            "category",
            page.t("project.category"),
            FieldKind::Select(codes(
                "Category",
                Category::ALL.iter().map(|s| s.code()).collect(),
            )),
        )
        .required(),
        Field::new(
            "nature",
            page.t("project.nature"),
            FieldKind::Select(codes(
                "Nature",
                Nature::ALL.iter().map(|s| s.code()).collect(),
            )),
        )
        .required(),
        Field::new(
            "industry_chain_id",
            page.t("project.industry_chain"),
            FieldKind::Select(opt(chains)),
        ),
        Field::new(
            "total_investment",
            page.t("project.total_investment_wan"),
            FieldKind::Text,
        )
        .required(),
        Field::new("land_mu", page.t("project.land_mu"), FieldKind::Text),
        Field::new(
            "floor_area_m2",
            page.t("project.floor_area_m2"),
            FieldKind::Text,
        ),
        Field::new(
            "construction_content",
            page.t("project.construction_content"),
            FieldKind::Text,
        ),
        Field::new(
            "annual_output",
            page.t("project.annual_output_wan"),
            FieldKind::Text,
        ),
        Field::new(
            "annual_tax",
            page.t("project.annual_tax_wan"),
            FieldKind::Text,
        ),
        Field::new("jobs", page.t("project.jobs"), FieldKind::Text),
        Field::new(
            "registered",
            page.t("project.registered"),
            FieldKind::Checkbox,
        ),
        Field::new(
            "registered_on",
            page.t("project.registered_on"),
            FieldKind::Text,
        ),
        Field::new(
            "liaison_user_id",
            page.t("project.liaison"),
            FieldKind::Select(opt(liaisons)),
        ),
        Field::new(
            "department_id",
            page.t("project.department"),
            FieldKind::Select(opt(departments)),
        ),
        Field::new("task_force", page.t("project.task_force"), FieldKind::Text),
        Field::new(
            "project_code",
            page.t("project.project_code"),
            FieldKind::Text,
        ),
    ]);
    Ok(FormFields::new(fields))
}

pub(super) fn project_values(p: &Project) -> HashMap<&'static str, String> {
    let wan = |y: Option<i64>| {
        y.map(|y| Money::from_yuan(y).wan_string())
            .unwrap_or_default()
    };
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    HashMap::from([
        ("version", p.version.to_string()),
        ("zone_id", p.zone_id.to_string()),
        ("name", p.name.clone()),
        ("enterprise_id", id(p.enterprise_id)),
        ("investor", p.investor.clone().unwrap_or_default()),
        ("category", p.category.clone()),
        ("nature", p.nature.clone()),
        ("industry_chain_id", id(p.industry_chain_id)),
        (
            "total_investment",
            Money::from_yuan(p.total_investment).wan_string(),
        ),
        (
            "land_mu",
            p.land_mu_hundredths
                .map(|h| Mu::from_hundredths(h).to_string())
                .unwrap_or_default(),
        ),
        ("floor_area_m2", id(p.floor_area_m2)),
        (
            "construction_content",
            p.construction_content.clone().unwrap_or_default(),
        ),
        ("annual_output", wan(p.annual_output)),
        ("annual_tax", wan(p.annual_tax)),
        ("jobs", id(p.jobs)),
        (
            "registered",
            if p.registered != 0 {
                "on".into()
            } else {
                String::new()
            },
        ),
        ("registered_on", p.registered_on.clone().unwrap_or_default()),
        ("liaison_user_id", id(p.liaison_user_id)),
        ("department_id", id(p.department_id)),
        ("task_force", p.task_force.clone().unwrap_or_default()),
        ("project_code", p.project_code.clone().unwrap_or_default()),
    ])
}

pub(super) fn input_values(input: &Input) -> HashMap<&'static str, String> {
    FIELDS.iter().map(|k| (*k, input.text(k))).collect()
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
    let mut fields = project_form(state, auth, zone_id, creating)
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
    match create(&state, &auth, &input).await {
        Ok(p) => Ok(see_other(&format!("/projects/{}?notice=saved", p.id))),
        Err(AppError::Invalid(errors)) => {
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
        }
        Err(other) => Err(other),
    }
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
    match update(&state, &auth, id, &input).await {
        Ok(p) => Ok(see_other(&format!("/projects/{}?notice=saved", p.id))),
        Err(AppError::Invalid(errors)) => {
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
        }
        Err(other) => Err(other),
    }
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
