//! The home page: what lies in the user's scope, and the latest changes there.
//! The main sections that later modules fill say what they will hold.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kfq_domain::{OrgKind, Visibility};
use kfq_store::{AuditEntry, EnterpriseFilter, OrgFilter, UserFilter};
use serde::Serialize;

use crate::auth::Auth;
use crate::error::{ApiErrorDoc, AppResult};
use crate::layout::{render, PageContext};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::{Cell, Related};
use chrono::NaiveDate;
use kfq_app::history::HistoryEntry;
use kfq_app::home::{Todo, ZoneLine};

pub fn routes() -> Routes {
    let mut routes = Routes::new()
        .get("/", home_page)
        .get("/audit", audit_page)
        .get("/api/v1/home", api_home)
        .get("/api/v1/audit", api_audit);
    for (id, href, _) in crate::layout::SECTIONS.iter().skip(1) {
        routes = match *id {
            // The ledger has its own module.
            "projects" => routes,
            // Served by the dispatch module.
            "dispatch" => routes,
            // Served by the attraction module.
            "attraction" => routes,
            // Served by the indicators module.
            "indicators" => routes,
            "services" => routes.get(href, section::<4>),
            "safety" => routes.get(href, section::<5>),
            // Served by the assessments module.
            "assessment" => routes,
            _ => routes.get(href, section::<6>),
        };
    }
    routes
}

/// How much of each kind lies in the caller's scope, and what needs the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub zones: i64,
    pub enterprises: i64,
    /// Accounts the caller administers or supervises (0 for others).
    pub users: i64,
    pub todo: kfq_app::home::Todo,
}

async fn overview(state: &AppState, auth: &Auth) -> AppResult<Overview> {
    let p = &auth.principal;
    let zone_filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    Ok(Overview {
        zones: state
            .store
            .orgs(&p.org_visibility(), &zone_filter, 0, 1)
            .await?
            .total,
        enterprises: state
            .store
            .enterprises(
                &p.zone_data_visibility(),
                &EnterpriseFilter::default(),
                0,
                1,
            )
            .await?
            .total,
        users: state
            .store
            .users(&p.user_visibility(), &UserFilter::default(), 0, 1)
            .await?
            .total,
        todo: kfq_app::home::todo(&state.store, p, auth.user.user_id, kfq_app::clock::today())
            .await?,
    })
}

/// The to-do lists as tables: no change log, no field names.
fn todo_tables(page: &PageContext, todo: &kfq_app::home::Todo, today: NaiveDate) -> Vec<Related> {
    let headers = |keys: &[&str]| keys.iter().map(|k| page.t(k).to_owned()).collect();
    let project = |id: i64, name: &str| Cell::link(name, format!("/projects/{id}"));
    let mut tables = Vec::new();
    if !todo.red_projects.is_empty() {
        tables.push(Related {
            title: page.format("home.red_projects", "n", &todo.red_total.to_string()),
            new_href: Some("/projects?rag=red".into()),
            headers: headers(&["project.name", "home.red_reasons", "home.red_since"]),
            rows: todo
                .red_projects
                .iter()
                .map(|p| {
                    vec![
                        project(p.id, &p.name),
                        Cell::text(
                            kfq_app::ledger::rag_reason_texts(page.catalog, &p.reasons)
                                .join(page.t("home.reason_separator")),
                        )
                        .class("bad"),
                        Cell::text(crate::common::day_text(p.rag_since)),
                    ]
                })
                .collect(),
        });
    }
    if !todo.milestones_due.is_empty() {
        tables.push(Related {
            title: page.t("home.milestones_due").to_owned(),
            new_href: Some("/projects/wall".into()),
            headers: headers(&[
                "project.name",
                "project.milestone",
                "project.planned_on",
                "home.when",
            ]),
            rows: todo
                .milestones_due
                .iter()
                .map(|m| {
                    let days = (m.planned_on - today).num_days();
                    let when = if days < 0 {
                        Cell::text(page.format("home.days_overdue", "n", &(-days).to_string()))
                            .class("bad")
                    } else {
                        Cell::text(page.format("home.days_left", "n", &days.to_string()))
                    };
                    vec![
                        project(m.project_id, &m.project_name),
                        Cell::text(&m.name),
                        Cell::text(m.planned_on.to_string()),
                        when,
                    ]
                })
                .collect(),
        });
    }
    if !todo.my_projects.is_empty() {
        tables.push(Related {
            title: page.t("home.my_projects").to_owned(),
            new_href: None,
            headers: headers(&[
                "project.rag",
                "project.name",
                "project.stage",
                "project.planned_yi",
                "project.ytd_yi",
                "project.completion",
                "home.open_blockers",
            ]),
            rows: todo
                .my_projects
                .iter()
                .map(|mine| {
                    let r = &mine.row;
                    let status = if r.stage.is_inactive() {
                        Cell::text(page.label("Stage", r.stage)).class("muted status")
                    } else {
                        let class = match r.rag {
                            kfq_domain::Rag::Red => "bad status",
                            kfq_domain::Rag::Yellow => "warn status",
                            kfq_domain::Rag::Green => "ok status",
                        };
                        Cell::text(page.label("Rag", r.rag)).class(class)
                    };
                    vec![
                        status,
                        project(r.id, &r.name).class("title"),
                        Cell::text(page.label("Stage", r.stage)),
                        Cell::text(r.planned_investment.map(|m| m.yi_2()).unwrap_or_default())
                            .class("num"),
                        Cell::text(r.ytd.yi_2()).class("num"),
                        Cell::text(
                            mine.completion_tenths
                                .map(kfq_domain::investment::percent)
                                .unwrap_or_default(),
                        )
                        .class("num"),
                        if mine.open_blockers > 0 {
                            Cell::link(
                                mine.open_blockers.to_string(),
                                format!("/projects/{}#blockers", r.id),
                            )
                            .class("num bad")
                        } else {
                            Cell::text("0").class("num")
                        },
                    ]
                })
                .collect(),
        });
    }
    if !todo.zones.is_empty() {
        tables.push(ranked(page, todo, &todo.zones, false));
    }
    if !todo.regions.is_empty() {
        tables.push(ranked(page, todo, &todo.regions, true));
    }
    tables
}

/// Zones (or, for a country, provinces) ranked by completion against 序时进度.
fn ranked(page: &PageContext, todo: &Todo, lines: &[ZoneLine], regions: bool) -> Related {
    let percent = kfq_domain::investment::percent;
    let mut keys = vec![
        "project.rag",
        "home.rank",
        if regions { "home.unit" } else { "project.zone" },
    ];
    if regions {
        keys.push("home.zones");
    }
    keys.extend([
        "project.completion",
        "home.gap",
        "home.red_count",
        "home.not_reported",
    ]);
    Related {
        title: page.catalog.format(
            if regions {
                "home.regions_ranked"
            } else {
                "home.zones_ranked"
            },
            &[
                ("month", &todo.month.to_string()),
                ("elapsed", &percent(todo.elapsed_tenths)),
            ],
        ),
        new_href: None,
        headers: keys.iter().map(|k| page.t(k).to_owned()).collect(),
        rows: lines
            .iter()
            .map(|l| {
                let p = &l.progress;
                let gap = match l.gap_tenths {
                    Some(g) if g < 0 => Cell::text(page.format(
                        "home.behind",
                        "points",
                        percent(-g).trim_end_matches('%'),
                    ))
                    .class("bad"),
                    Some(g) => Cell::text(page.format(
                        "home.ahead",
                        "points",
                        percent(g).trim_end_matches('%'),
                    )),
                    None => Cell::text(page.t("home.no_plan")),
                };
                // A province or city opens on its bulletin; a zone on its ledger.
                let (unit, red) = if regions {
                    let bulletin = format!("/monthly-bulletins?org_id={}", p.zone_id);
                    (Cell::link(&p.zone_name, bulletin.clone()), bulletin)
                } else {
                    (
                        Cell::link(&p.zone_name, format!("/projects?zone_id={}", p.zone_id)),
                        format!("/projects?zone_id={}&rag=red", p.zone_id),
                    )
                };
                let light = match kfq_domain::investment::pace_rag(l.gap_tenths) {
                    Some(rag) => {
                        let class = match rag {
                            kfq_domain::Rag::Red => "bad status",
                            kfq_domain::Rag::Yellow => "warn status",
                            kfq_domain::Rag::Green => "ok status",
                        };
                        Cell::text(page.label("Rag", rag.code())).class(class)
                    }
                    None => Cell::text(""),
                };
                let mut row = vec![
                    light,
                    Cell::text(l.rank.to_string()).class("num"),
                    unit.class("title"),
                ];
                if regions {
                    row.push(Cell::text(p.zones.to_string()).class("num"));
                }
                row.extend([
                    Cell::text(l.completion_tenths.map(percent).unwrap_or_default()).class("num"),
                    gap,
                    if p.red > 0 {
                        Cell::link(p.red.to_string(), red).class("num bad")
                    } else {
                        Cell::text("0").class("num")
                    },
                    Cell::text(p.not_reported.to_string()).class(if p.not_reported > 0 {
                        "num warn"
                    } else {
                        "num"
                    }),
                ]);
                row
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeView {
    page: PageContext,
    welcome: String,
    scope: String,
    counts: Vec<(String, i64, String)>,
    /// What needs the user, a table each: no change log, no field names.
    related: Vec<crate::views::Related>,
}

async fn home_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let page = PageContext::new(Some(&auth), "home");
    let overview = overview(&state, &auth).await?;
    let account = state.store.own_account(auth.user.user_id).await?;
    let today = kfq_app::clock::today();
    let mut related = Vec::new();
    let visibility = auth.principal.zone_data_visibility();
    // What blocks the user's work, by deadline: a liaison leader's projects,
    // a department's own blockers, a zone's blockers overdue or due within
    // two weeks.
    let (title, blockers) = match auth.principal.role {
        kfq_domain::Role::Liaison => (
            "user.liaison_blockers",
            state
                .store
                .blockers_of_liaison(&visibility, auth.user.user_id)
                .await?,
        ),
        kfq_domain::Role::DepartmentStaff => (
            "home.department_blockers",
            state
                .store
                .blockers(&visibility, None, Some(auth.principal.unit_path.id()), true)
                .await?,
        ),
        kfq_domain::Role::ZoneAdmin | kfq_domain::Role::ZoneStaff => {
            let soon = today + chrono::Days::new(14);
            let mut due = state.store.blockers(&visibility, None, None, true).await?;
            due.retain(|b| b.deadline.is_some_and(|d| d <= soon));
            ("home.zone_blockers_due", due)
        }
        _ => ("", Vec::new()),
    };
    related.extend(todo_tables(&page, &overview.todo, today));
    if !blockers.is_empty() {
        related.push(crate::features::orgs::blocker_table(
            &page,
            page.t(title),
            &blockers,
            today,
        ));
    }
    // An enterprise's user has its projects (the to-do list) and no more.
    let mut counts = if auth.principal.role == kfq_domain::Role::Enterprise {
        Vec::new()
    } else {
        vec![
            (
                page.t("home.zones").to_owned(),
                overview.zones,
                "/orgs?kind=zone".to_owned(),
            ),
            (
                page.t("home.enterprises").to_owned(),
                overview.enterprises,
                "/enterprises".to_owned(),
            ),
        ]
    };
    if auth.user.unread_notices > 0 {
        counts.insert(
            0,
            (
                page.t("notice.unread").to_owned(),
                auth.user.unread_notices,
                "/notifications".to_owned(),
            ),
        );
    }
    if auth.principal.user_visibility() != Visibility::Nothing {
        counts.push((
            page.t("home.users").to_owned(),
            overview.users,
            "/users".to_owned(),
        ));
    }
    // A zone's clerk first sees who has not reported the month just ended.
    if let Some(zone) = auth.principal.zone_path.as_ref() {
        if auth.principal.can_write_zone_data(zone) {
            let target =
                kfq_app::access::ZoneTarget::check(&state.store, &auth.principal, zone.id()).await;
            if let Ok(target) = target {
                let m = kfq_app::ledger::monthly::missing(
                    &state.store,
                    &target,
                    kfq_app::clock::today(),
                )
                .await?;
                let (year, month, plan_year) = (m.year, m.month, m.plan_year);
                counts.insert(
                    0,
                    (
                        page.format("home.month_missing", "month", &month.to_string()),
                        m.month_missing,
                        format!("/projects/monthly?period={year}-{month:02}&missing=1"),
                    ),
                );
                // And who has no plan for the plan year.
                counts.insert(
                    1,
                    (
                        page.format("home.plan_missing", "year", &plan_year.to_string()),
                        m.plan_missing,
                        format!("/projects/plans?year={plan_year}&missing=1"),
                    ),
                );
            }
        }
    }
    // The indicator warnings of the user's zone (or city, or province).
    if auth.principal.role != kfq_domain::Role::Enterprise {
        let own = auth
            .principal
            .zone_path
            .as_ref()
            .unwrap_or(&auth.principal.unit_path)
            .id();
        if let Ok(org) = state.store.org(&auth.principal.org_visibility(), own).await {
            let today = kfq_app::clock::today();
            let board = state
                .boards
                .board(
                    &state.store,
                    &auth.principal.org_visibility(),
                    &org,
                    kfq_app::indicators::board::default_period(today),
                    today,
                )
                .await?;
            let href = format!("/indicators/warnings?org_id={}", org.id);
            counts.push((
                page.t("home.indicator_red").to_owned(),
                board.counts.red as i64,
                href.clone(),
            ));
            counts.push((
                page.t("home.indicator_yellow").to_owned(),
                board.counts.yellow as i64,
                href,
            ));
        }
    }
    let view = HomeView {
        welcome: page.format("home.welcome", "name", &auth.user.display_name),
        scope: page.catalog.format(
            "home.scope",
            &[
                ("unit", &account.org_unit_name),
                ("role", page.t(&auth.principal.role.label_key())),
            ],
        ),
        counts,
        related,
        page,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "section.html")]
struct SectionView {
    page: PageContext,
    title_key: &'static str,
    description_key: String,
}

async fn section<const N: usize>(auth: Auth) -> AppResult<Response> {
    let (id, _, key) = crate::layout::SECTIONS[N + 1];
    let view = SectionView {
        page: PageContext::new(Some(&auth), id),
        title_key: key,
        description_key: format!("section.{id}"),
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditView {
    page: PageContext,
    entries: Vec<HistoryEntry>,
}

async fn audit_page(State(state): State<AppState>, auth: Auth) -> AppResult<Response> {
    let entries = state
        .store
        .audit_recent(&auth.principal.audit_visibility(), 200)
        .await?;
    let view = AuditView {
        page: PageContext::new(Some(&auth), "audit"),
        entries: kfq_app::history::readable_trail(kfq_app::i18n::Catalog::zh(), &entries),
    };
    Ok(render(&view)?.into_response())
}

#[utoipa::path(get, path = "/api/v1/home", tag = "home", responses((status = 200, body = Overview), (status = 401, body = ApiErrorDoc)))]
pub async fn api_home(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Overview>> {
    Ok(Json(overview(&state, &auth).await?))
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", responses((status = 200, body = Vec<AuditEntry>)))]
pub async fn api_audit(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Vec<AuditEntry>>> {
    Ok(Json(
        state
            .store
            .audit_recent(&auth.principal.audit_visibility(), 200)
            .await?,
    ))
}

/// The API paths of this part, merged into the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_home, api_audit,))]
pub struct ApiDoc;
