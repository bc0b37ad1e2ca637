//! No leaks across scopes. A user of zone A walks every route of the router —
//! taken from the route table, so routes added later are walked too — against
//! the objects of zone B, reading and writing, through pages and the API. Every
//! object of B answers 404, no page or list shows anything of B, and B's data
//! and audit trail are exactly as before.

use std::collections::HashMap;

use kfq_domain::{OrgPath, OwnAccount, UnitWrite, Visibility, ZoneWrite};
use kfq_store::{EnterpriseFilter, OrgFilter, UserFilter};
use kfq_web::{Access, RouteInfo};
use reqwest::{Method, StatusCode};

use crate::helpers::{
    each_backend, fresh_credit_code, json_body_schema, openapi, typed, Session, TestApp,
};

/// Everything of zone B that zone A must never see, as JSON text.
async fn snapshot(app: &TestApp, zone: &OrgPath) -> String {
    let visible = Visibility::Subtree(zone.clone());
    let orgs = app.store.org_tree(&visible).await.unwrap();
    let enterprises = app
        .store
        .enterprises(&visible, &EnterpriseFilter::default(), 0, 10_000)
        .await
        .unwrap();
    let users = app
        .store
        .users(&visible, &UserFilter::default(), 0, 10_000)
        .await
        .unwrap();
    let audit = app.store.audit_recent(&visible, 500).await.unwrap();
    serde_json::to_string(&(orgs, enterprises, users, audit)).unwrap()
}

struct Target {
    /// Values for each path parameter: ids of zone B's objects.
    params: HashMap<&'static str, String>,
    /// Text that would give zone B away.
    markers: Vec<String>,
    zone_id: i64,
    department_id: i64,
    enterprise_id: i64,
}

async fn target(app: &TestApp, zone_name: &str) -> Target {
    let zone = app.zone(zone_name).clone();
    let all = Visibility::All;
    let department = app
        .store
        .orgs(
            &all,
            &OrgFilter {
                parent_id: Some(zone.id),
                ..Default::default()
            },
            0,
            1,
        )
        .await
        .unwrap()
        .items
        .remove(0);
    let enterprises = app
        .store
        .enterprises(
            &all,
            &EnterpriseFilter {
                zone_id: Some(zone.id),
                ..Default::default()
            },
            0,
            100,
        )
        .await
        .unwrap()
        .items;
    let users = app
        .store
        .users(
            &Visibility::Subtree(zone.org_path()),
            &UserFilter::default(),
            0,
            100,
        )
        .await
        .unwrap()
        .items;
    let user = users.first().expect("zone B has an account");
    let token = app
        .store
        .create_api_token(
            &kfq_store::Actor::system("测试"),
            &OwnAccount::operator(),
            user.id,
            "B的令牌",
            None,
        )
        .await
        .unwrap();
    let projects = app
        .store
        .ledger(
            &Visibility::Subtree(zone.org_path()),
            &kfq_store::LedgerFilter {
                year: 2024,
                month: 12,
                ..Default::default()
            },
            0,
            100,
        )
        .await
        .unwrap()
        .page
        .items;
    let project = projects.first().expect("zone B has projects");
    let blockers = app
        .store
        .blockers(&Visibility::Subtree(zone.org_path()), None, None, false)
        .await
        .unwrap();
    let blocker = blockers.first().expect("zone B has a blocker");
    let mut markers = vec![zone.name.clone()];
    // Generated names can repeat across zones; only names unique to B give it away.
    let everywhere = app
        .store
        .ledger(
            &Visibility::All,
            &kfq_store::LedgerFilter {
                year: 2024,
                month: 12,
                ..Default::default()
            },
            0,
            10_000,
        )
        .await
        .unwrap()
        .page
        .items;
    markers.extend(
        projects
            .iter()
            .filter(|p| everywhere.iter().filter(|o| o.name == p.name).count() == 1)
            .map(|p| p.name.clone()),
    );
    markers.extend(enterprises.iter().map(|e| e.name.clone()));
    markers.extend(enterprises.iter().map(|e| e.credit_code.clone()));
    markers.extend(
        users
            .iter()
            .flat_map(|u| [u.username.clone(), u.display_name.clone()]),
    );
    let bulletin = app
        .store
        .add_bulletin(
            &kfq_store::Actor::system("test"),
            &ZoneWrite::operator(),
            (zone.id, &zone.org_path()),
            "B的简报",
            "B的简报正文",
        )
        .await
        .unwrap();
    let upload = app
        .store
        .save_upload(
            zone.id,
            None,
            "B的台账.csv",
            "项目名称,总投资\nB的项目,100\n".as_bytes(),
        )
        .await
        .unwrap();
    let channel = app
        .store
        .add_channel(
            &kfq_store::Actor::system("test"),
            &OwnAccount::operator(),
            (user.id, &zone.org_path()),
            "email",
            "B的邮箱",
            r#"{"type":"email","to":"b@example.cn"}"#,
        )
        .await
        .unwrap();
    let campaign = app
        .store
        .create_campaign(
            &kfq_store::Actor::system("test"),
            &UnitWrite::operator(),
            &kfq_store::CampaignInput {
                org_id: zone.id,
                kind: "starting".into(),
                name: "B的集中开工".into(),
                held_on: "2024-04-18".into(),
                note: None,
            },
        )
        .await
        .unwrap();
    // 招商引资: an investor and its lead in zone B, each name a marker.
    let proof = kfq_domain::LeadWrite::operator();
    let investor = app
        .store
        .create_investor(
            &kfq_store::Actor::system("test"),
            &proof,
            &kfq_store::InvestorInput {
                zone_id: zone.id,
                name: format!("{}客商集团", zone.name),
                credit_code: None,
                origin: kfq_attraction::Origin::OutOfProvince,
                origin_place: None,
                industry: None,
                size: None,
                chain_leader: false,
                notes: None,
                contacts: vec![],
            },
        )
        .await
        .unwrap();
    let lead = app
        .store
        .create_lead(
            &kfq_store::Actor::system("test"),
            &proof,
            &kfq_store::LeadInput {
                zone_id: zone.id,
                name: format!("{}招商项目", zone.name),
                investor_id: investor.id,
                industry_chain_id: None,
                chain_node: None,
                investment: kfq_domain::Money::from_yuan(100_000_000),
                land: None,
                energy_tce: None,
                expected_output: None,
                expected_tax: None,
                expected_jobs: None,
                source: kfq_attraction::Source::Fair,
                referrer: None,
                owner_id: None,
                task_force: None,
                members: vec![],
                registered_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                increase_of: None,
            },
        )
        .await
        .unwrap();
    let activity = app
        .store
        .create_activity(
            &kfq_store::Actor::system("test"),
            &proof,
            &kfq_store::ActivityInput {
                zone_id: zone.id,
                kind: kfq_attraction::ActivityKind::Salon,
                title: format!("{}招商夜沙龙", zone.name),
                on_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
                ends_on: None,
                place: None,
                our_people: None,
                their_people: None,
                purpose: None,
                outcome: None,
                next_step: None,
                next_due: None,
                next_owner_id: None,
                next_done_on: None,
                leads: vec![lead.id],
                investors: vec![investor.id],
            },
            chrono::NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        )
        .await
        .unwrap();
    let chain = app.store.industry_chains(zone.id).await.unwrap()[0].0;
    let link = app
        .store
        .create_chain_link(
            &kfq_store::Actor::system("test"),
            &proof,
            &kfq_store::ChainLinkInput {
                zone_id: zone.id,
                chain_id: chain,
                segment: kfq_attraction::Segment::Upstream,
                name: format!("{}铸件环节{}", zone.name, lead.id),
                sort: None,
                extension: false,
                note: None,
                enterprises: vec![],
                targets: vec![investor.id],
            },
        )
        .await
        .unwrap();
    markers.extend([
        investor.name.clone(),
        lead.name.clone(),
        activity.title.clone(),
        link.name.clone(),
    ]);
    let params = HashMap::from([
        ("investor_id", investor.id.to_string()),
        ("lead_id", lead.id.to_string()),
        ("activity_id", activity.id.to_string()),
        ("link_id", link.id.to_string()),
        ("campaign_id", campaign.id.to_string()),
        ("channel_id", channel.id.to_string()),
        ("upload_id", upload.to_string()),
        ("org_id", zone.id.to_string()),
        ("zone_id", zone.id.to_string()),
        ("enterprise_id", enterprises[0].id.to_string()),
        ("user_id", user.id.to_string()),
        ("token_id", token.info.id.to_string()),
        ("project_id", project.id.to_string()),
        ("bulletin_id", bulletin.to_string()),
        ("blocker_id", blocker.id.to_string()),
    ]);
    Target {
        params,
        markers,
        zone_id: zone.id,
        department_id: department.id,
        enterprise_id: enterprises[0].id,
    }
}

/// A body that tries to put something into zone B through any create or update.
fn hostile_fields(t: &Target, n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("parent_id", t.zone_id.to_string()),
        ("zone_id", t.zone_id.to_string()),
        ("org_unit_id", t.department_id.to_string()),
        ("enterprise_id", t.enterprise_id.to_string()),
        ("kind", "department".into()),
        ("name", format!("越界写入{n}")),
        ("display_name", "越界".into()),
        ("username", format!("leak.{n}")),
        ("role", "department_staff".into()),
        ("credit_code", fresh_credit_code(500 + n)),
        ("password", "leak-attempt-2024".into()),
        ("new_password", "leak-attempt-2024".into()),
        ("current_password", "not-the-current-password".into()),
        ("code", format!("LEAK-{n}")),
        ("zone_level", "provincial".into()),
        ("zone_type", "economic".into()),
        ("active", "on".into()),
        ("version", "1".into()),
        ("category", "industrial".into()),
        ("nature", "new".into()),
        ("total_investment", "1000".into()),
        ("stage", "started".into()),
        ("date", "2024-01-02".into()),
        ("year", "2024".into()),
        ("month", "3".into()),
        ("amount", "100".into()),
        ("planned_investment", "100".into()),
        ("factor", "land".into()),
        ("description", "越界问题".into()),
        ("raised_on", "2024-01-02".into()),
        ("title", "越界简报".into()),
        ("text", "越界简报正文".into()),
        ("project", "越界项目".into()),
        ("facts", "0".into()),
    ]
}

fn concrete_path(route: &RouteInfo, t: &Target) -> String {
    let mut path = route.path.to_owned();
    for param in route.params() {
        let value = t.params.get(param).unwrap_or_else(|| {
            panic!(
                "route {} {} has the path parameter {{{param}}}, which the scoping test cannot fill: \
                 add an object of zone B for it in scoping.rs",
                route.method, route.path
            )
        });
        path = path.replace(&format!("{{{param}}}"), value);
    }
    path
}

async fn call(
    session: &Session,
    api_token: &str,
    route: &RouteInfo,
    path: &str,
    fields: &[(&str, String)],
) -> (StatusCode, String) {
    let url = session.url(path);
    let request = if route.is_api() {
        // A body the route reads: the fields its schema has, typed as it says.
        let schema = json_body_schema(&openapi(), route.method.as_str(), route.path);
        let body: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .filter_map(|(k, v)| match &schema {
                Some(schema) => schema["properties"]
                    .get(*k)
                    .map(|property| (k.to_string(), typed(property, v))),
                None => Some((k.to_string(), serde_json::Value::String(v.clone()))),
            })
            .collect();
        let request = reqwest::Client::new()
            .request(route.method.clone(), &url)
            .bearer_auth(api_token);
        if route.method == Method::GET {
            request
        } else {
            request.json(&body)
        }
    } else if route.method == Method::GET {
        session.client.get(&url)
    } else {
        let mut form: Vec<(&str, String)> = vec![("_csrf", session.csrf.clone())];
        form.extend(fields.iter().cloned());
        session
            .client
            .request(route.method.clone(), &url)
            .form(&form)
    };
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn walk(app: &TestApp, username: &str, zone_b: &str) {
    let t = target(app, zone_b).await;
    let zone_path = app.zone(zone_b).org_path();
    let before = snapshot(app, &zone_path).await;
    let api = app.api_client(username).await;
    let routes: Vec<RouteInfo> = kfq_web::route_table()
        .into_iter()
        .filter(|r| r.access == Access::User)
        .collect();
    assert!(
        routes.len() > 40,
        "the route table lists the application's routes"
    );
    let mut checked = 0;
    for (n, route) in routes.iter().enumerate() {
        // Each call gets a fresh session: some routes (logout, password) end it.
        let session = app.login(username).await;
        let path = concrete_path(route, &t);
        let fields = hostile_fields(&t, n);
        let (status, body) = call(&session, &api.token, route, &path, &fields).await;
        let what = format!("{:?} {username}: {} {path}", app.backend, route.method);
        if !route.params().is_empty() {
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{what} must not reveal zone B's object: {body}"
            );
        } else {
            assert!(!status.is_server_error(), "{what} answered {status}");
        }
        for marker in &t.markers {
            assert!(
                !body.contains(marker.as_str()),
                "{what} shows {marker:?} of zone B"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, routes.len());
    // Tokens of the walk belong to A; B's own data and trail are untouched.
    let after = snapshot(app, &zone_path).await;
    assert_eq!(before, after, "zone B changed during {username}'s walk");
    let report = app.store.audit_verify().await.unwrap();
    assert!(report.broken.is_none());
}

#[tokio::test]
async fn zone_a_cannot_read_or_write_zone_b_on_any_route() {
    each_backend(async |app| {
        walk(&app, "yc.admin", "临汾经济开发区").await;
        walk(&app, "yc.qiye", "临汾经济开发区").await;
        walk(&app, "lf.staff", "运城经济技术开发区").await;
    })
    .await;
}

/// A visitor who has not signed in walks every user route with real ids:
/// the API answers 401, a page sends them to sign in, nothing shows data and
/// nothing changes.
#[tokio::test]
async fn a_visitor_gets_nothing_on_any_route() {
    each_backend(async |app| {
        let t = target(&app, "运城经济技术开发区").await;
        let zone_path = app.zone("运城经济技术开发区").org_path();
        let before = snapshot(&app, &zone_path).await;
        let visitor = crate::helpers::browser();
        let routes: Vec<RouteInfo> = kfq_web::route_table()
            .into_iter()
            .filter(|r| r.access == Access::User)
            .collect();
        for (n, route) in routes.iter().enumerate() {
            let path = concrete_path(route, &t);
            let url = app.url(&path);
            let fields = hostile_fields(&t, n);
            let request = visitor.request(route.method.clone(), &url);
            let request = match (route.is_api(), route.method == Method::GET) {
                (_, true) => request,
                (true, false) => request.json(
                    &fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                        .collect::<serde_json::Map<_, _>>(),
                ),
                (false, false) => request.form(&fields),
            };
            let response = request.send().await.unwrap();
            let status = response.status();
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let body = response.text().await.unwrap();
            let what = format!("{:?} visitor: {} {path}", app.backend, route.method);
            if route.is_api() {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
            } else {
                assert_eq!(status, StatusCode::SEE_OTHER, "{what}");
                assert!(location.starts_with("/login?next="), "{what} → {location}");
            }
            for marker in &t.markers {
                assert!(!body.contains(marker.as_str()), "{what} shows {marker:?}");
            }
        }
        assert!(routes.len() > 40);
        assert_eq!(before, snapshot(&app, &zone_path).await);
    })
    .await;
}

/// Records about people are read as the accounts are: the zone's staff, who
/// cannot list its users, do not read their phones and e-mails in the audit
/// trail either, while they still read the records of their zone's data.
#[tokio::test]
async fn the_audit_trail_keeps_peoples_details_with_those_who_see_the_people() {
    each_backend(async |app| {
        let admin = app.api_client("yc.admin").await;
        let staff = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (status, user) = admin
            .post(
                "/api/v1/users",
                &serde_json::json!({ "username": "audit.phone", "display_name": "审计测试", "role": "zone_staff",
                    "org_unit_id": zone, "phone": "13912340001", "email": "audit.phone@example.cn",
                    "password": "yuncheng-audit-2024" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let (status, project) = staff
            .post(
                "/api/v1/projects",
                &serde_json::json!({ "zone_id": zone, "name": "审计可见测试项目", "category": "industrial",
                    "nature": "new", "total_investment": "100" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{project}");

        let (status, seen) = staff.get("/api/v1/audit").await;
        assert_eq!(status, StatusCode::OK);
        let text = seen.to_string();
        assert!(text.contains("审计可见测试项目"), "the zone's data stays visible");
        assert!(!text.contains("13912340001") && !text.contains("audit.phone@example.cn"));
        assert!(
            seen.as_array().unwrap().iter().all(|e| e["entity"] != "user"),
            "{text}"
        );
        let session = app.login("yc.staff").await;
        let (_, page) = session.get_text("/audit").await;
        assert!(page.contains("审计可见测试项目") && !page.contains("13912340001"));

        let (_, seen) = admin.get("/api/v1/audit").await;
        assert!(seen.to_string().contains("13912340001"), "the zone's admin sees its accounts");
    })
    .await;
}
