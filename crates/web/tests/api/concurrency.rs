//! No lost updates: twenty writers read the same version and save at the same
//! moment. The database lets exactly one through and tells every other one it
//! came too late (409, or 422 when a first report finds its slot taken, or 404
//! when a delete finds the row gone), never a 500; and what is stored
//! afterwards is the winner's, one version further on.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Barrier;

use crate::helpers::{each_backend, field_errors, fresh_credit_code, Api, TestApp};

/// Writers per race: more than PostgreSQL's pool (16) so some also queue there.
const N: usize = 20;
const ZONE: &str = "运城经济技术开发区";

/// What the i-th writer of a race sends.
type Request = (Method, String, Option<Value>);

fn put(path: String, body: Value) -> Request {
    (Method::PUT, path, Some(body))
}

fn post(path: String, body: Value) -> Request {
    (Method::POST, path, Some(body))
}

fn delete(path: String) -> Request {
    (Method::DELETE, path, None)
}

/// Sends `n` requests at once, each on its own task, all released together,
/// and answers (status, body) in the order they were made.
async fn race(
    api: &Api,
    n: usize,
    make_request: impl Fn(usize) -> Request,
) -> Vec<(StatusCode, Value)> {
    let start = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (method, path, body) = make_request(i);
            let api = Api {
                client: api.client.clone(),
                base: api.base.clone(),
                token: api.token.clone(),
            };
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                api.send(method, &path, body.as_ref()).await
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(n);
    for task in tasks {
        outcomes.push(task.await.expect("a writer's task"));
    }
    outcomes
}

/// How a writer who lost may be told.
#[derive(Clone, Copy)]
enum Late {
    /// Someone saved first: 409, read again.
    Conflict,
    /// A delete that lost: 409, or 404 once the winner's delete is committed.
    ConflictOrGone,
    /// A first report that lost: 409, or 422 with an error on this field (taken).
    ConflictOrTaken(&'static str),
}

impl Late {
    fn accepts(self, status: StatusCode, body: &Value) -> bool {
        match (self, status) {
            (_, StatusCode::CONFLICT) => true,
            (Late::ConflictOrGone, StatusCode::NOT_FOUND) => true,
            (Late::ConflictOrTaken(field), StatusCode::UNPROCESSABLE_ENTITY) => {
                field_errors(body).iter().any(|(f, _)| f == field)
            }
            _ => false,
        }
    }
}

/// The index of the one writer who got through, after checking that nobody
/// saw a 5xx and every other writer was told it was late.
fn the_winner(what: &str, outcomes: &[(StatusCode, Value)], late: Late) -> usize {
    let statuses: Vec<u16> = outcomes.iter().map(|(s, _)| s.as_u16()).collect();
    if let Some((status, body)) = outcomes.iter().find(|(s, _)| s.is_server_error()) {
        panic!("{what}: a server error among {statuses:?}: {status} {body}");
    }
    let winners: Vec<usize> = (0..outcomes.len())
        .filter(|&i| outcomes[i].0.is_success())
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "{what}: exactly one writer wins, got {statuses:?}"
    );
    for (status, body) in outcomes.iter().filter(|(s, _)| !s.is_success()) {
        assert!(
            late.accepts(*status, body),
            "{what}: a loser is told it is late, got {status} {body} among {statuses:?}"
        );
    }
    winners[0]
}

/// A setup step that must simply work.
async fn ok(api: &Api, path: &str, body: Value) -> Value {
    let (status, answer) = api.post(path, &body).await;
    assert!(status.is_success(), "{path} {body}: {status} {answer}");
    answer
}

fn int(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("a number: {value}"))
}

/// A new project of 运城经开区 at the planning stage: (id, version).
async fn new_project(app: &TestApp, api: &Api, name: &str) -> (i64, i64) {
    let p = ok(
        api,
        "/api/v1/projects",
        json!({ "zone_id": app.zone(ZONE).id, "name": name, "category": "industrial", "nature": "new", "total_investment": "5000" }),
    )
    .await;
    (int(&p["id"]), int(&p["version"]))
}

/// The row of `list` (a JSON array) whose `key` is `value`.
fn find<'a>(list: &'a Value, key: &str, value: impl Into<Value>) -> &'a Value {
    let value = value.into();
    let rows = list.as_array().unwrap_or_else(|| panic!("a list: {list}"));
    rows.iter()
        .find(|row| row[key] == value)
        .unwrap_or_else(|| panic!("{key} = {value} in {list}"))
}

// ---- the project and what hangs off it ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_edits_of_one_project_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, version) = new_project(&app, &api, "并发编辑测试项目").await;
        let zone = app.zone(ZONE).id;
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/projects/{id}"),
                json!({ "zone_id": zone, "name": format!("并发编辑测试项目（{i}）"), "category": "industrial", "nature": "new",
                        "total_investment": format!("{}", 5000 + i), "version": version }),
            )
        })
        .await;
        let winner = the_winner("project edit", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(now["name"], format!("并发编辑测试项目（{winner}）"));
        assert_eq!(int(&now["total_investment"]), (5000 + winner as i64) * 10_000);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_stage_moves_at_one_version_record_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, version) = new_project(&app, &api, "并发签约测试项目").await;
        let date = |i: usize| format!("2024-03-{:02}", i + 1);
        let outcomes = race(&api, N, |i| {
            post(
                format!("/api/v1/projects/{id}/stage"),
                json!({ "stage": "signed", "date": date(i), "version": version }),
            )
        })
        .await;
        let winner = the_winner("stage change", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(
            (now["stage"].as_str(), now["stage_since"].as_str()),
            (Some("signed"), Some(date(winner).as_str()))
        );
        // The losers left no trace in the stage history either.
        let (_, stages) = api.get(&format!("/api/v1/projects/{id}/stages")).await;
        assert_eq!(stages.as_array().unwrap().len(), 1, "{stages}");
        assert_eq!(stages[0]["on_date"], date(winner));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_corrections_of_an_annual_plan_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, _) = new_project(&app, &api, "并发计划测试项目").await;
        let plans = format!("/api/v1/projects/{id}/plans");
        let plan = ok(&api, &plans, json!({ "year": 2025, "planned_investment": "1000" })).await;
        let version = int(&plan["version"]);
        let outcomes = race(&api, N, |i| {
            post(plans.clone(), json!({ "year": 2025, "planned_investment": format!("{}", 1001 + i), "version": version }))
        })
        .await;
        let winner = the_winner("annual plan", &outcomes, Late::Conflict);
        let (_, now) = api.get(&plans).await;
        let now = find(&now, "year", 2025);
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(int(&now["planned_investment"]), (1001 + winner as i64) * 10_000);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_corrections_of_a_month_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, _) = new_project(&app, &api, "并发月报测试项目").await;
        let months = format!("/api/v1/projects/{id}/investments");
        let march = ok(&api, &months, json!({ "year": 2025, "month": 3, "amount": "100" })).await;
        let version = int(&march["version"]);
        let outcomes = race(&api, N, |i| {
            post(months.clone(), json!({ "year": 2025, "month": 3, "amount": format!("{}", 101 + i), "version": version }))
        })
        .await;
        let winner = the_winner("monthly investment", &outcomes, Late::Conflict);
        let (_, now) = api.get(&months).await;
        let now = find(&now, "month", 3);
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(int(&now["amount"]), (101 + winner as i64) * 10_000);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_first_reports_of_one_month_store_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, _) = new_project(&app, &api, "并发首报测试项目").await;
        let months = format!("/api/v1/projects/{id}/investments");
        // Nobody has reported April yet, so nobody sends a version.
        let outcomes = race(&api, N, |i| {
            post(
                months.clone(),
                json!({ "year": 2025, "month": 4, "amount": format!("{}", 301 + i) }),
            )
        })
        .await;
        let winner = the_winner(
            "first monthly report",
            &outcomes,
            Late::ConflictOrTaken("month"),
        );
        let (_, now) = api.get(&months).await;
        assert_eq!(
            now.as_array().unwrap().len(),
            1,
            "one row for the month: {now}"
        );
        assert_eq!(int(&now[0]["amount"]), (301 + winner as i64) * 10_000);
        assert_eq!(now[0]["version"], outcomes[winner].1["version"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_first_plans_of_one_year_store_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, _) = new_project(&app, &api, "并发首个计划测试项目").await;
        let plans = format!("/api/v1/projects/{id}/plans");
        let outcomes = race(&api, N, |i| {
            post(
                plans.clone(),
                json!({ "year": 2026, "planned_investment": format!("{}", 2001 + i) }),
            )
        })
        .await;
        let winner = the_winner(
            "first annual plan",
            &outcomes,
            Late::ConflictOrTaken("year"),
        );
        let (_, now) = api.get(&plans).await;
        assert_eq!(
            now.as_array().unwrap().len(),
            1,
            "one plan for the year: {now}"
        );
        assert_eq!(
            int(&now[0]["planned_investment"]),
            (2001 + winner as i64) * 10_000
        );
        assert_eq!(now[0]["version"], outcomes[winner].1["version"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_edits_of_one_blocker_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, _) = new_project(&app, &api, "并发问题测试项目").await;
        let blocker = ok(
            &api,
            &format!("/api/v1/projects/{id}/blockers"),
            json!({ "factor": "land", "description": "用地指标待落实", "raised_on": "2024-05-06" }),
        )
        .await;
        let (blocker_id, version) = (int(&blocker["id"]), int(&blocker["version"]));
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/blockers/{blocker_id}"),
                json!({ "factor": "land", "description": format!("用地指标待落实（第{i}稿）"), "raised_on": "2024-05-06",
                        "status": "in_progress", "version": version }),
            )
        })
        .await;
        let winner = the_winner("blocker edit", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/projects/{id}/blockers")).await;
        let now = find(&now, "id", blocker_id);
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(now["description"], format!("用地指标待落实（第{winner}稿）"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_deletes_of_one_project_delete_it_once() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, version) = new_project(&app, &api, "并发删除测试项目").await;
        let outcomes = race(&api, N, |_| {
            delete(format!("/api/v1/projects/{id}?version={version}"))
        })
        .await;
        the_winner("project delete", &outcomes, Late::ConflictOrGone);
        let (status, _) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

// ---- enterprises, units, accounts, assessment sheets ----

/// A new enterprise of 运城经开区: (id, version, credit code).
async fn new_enterprise(app: &TestApp, api: &Api, serial: usize) -> (i64, i64, String) {
    let code = fresh_credit_code(serial);
    let e = ok(
        api,
        "/api/v1/enterprises",
        json!({ "zone_id": app.zone(ZONE).id, "name": format!("山西并发测试{serial}有限公司"), "credit_code": code, "industry": "新材料" }),
    )
    .await;
    (int(&e["id"]), int(&e["version"]), code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_edits_of_one_enterprise_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, version, code) = new_enterprise(&app, &api, 101).await;
        let zone = app.zone(ZONE).id;
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/enterprises/{id}"),
                json!({ "zone_id": zone, "name": format!("山西并发测试新材料{i}有限公司"), "credit_code": code, "industry": "新材料",
                        "version": version }),
            )
        })
        .await;
        let winner = the_winner("enterprise edit", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/enterprises/{id}")).await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(now["name"], format!("山西并发测试新材料{winner}有限公司"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_deletes_of_one_enterprise_delete_it_once() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, version, _) = new_enterprise(&app, &api, 102).await;
        let outcomes = race(&api, N, |_| {
            delete(format!("/api/v1/enterprises/{id}?version={version}"))
        })
        .await;
        the_winner("enterprise delete", &outcomes, Late::ConflictOrGone);
        let (status, _) = api.get(&format!("/api/v1/enterprises/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// A new department of 运城经开区, added by its administrator: (id, version).
async fn new_department(app: &TestApp, api: &Api, name: &str) -> (i64, i64) {
    let d = ok(
        api,
        "/api/v1/orgs",
        json!({ "kind": "department", "parent_id": app.zone(ZONE).id, "name": name }),
    )
    .await;
    (int(&d["id"]), int(&d["version"]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_renames_of_one_unit_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.admin").await;
        let (id, version) = new_department(&app, &api, "并发测试科").await;
        // Distinct names, so a second "winner" could not hide behind the sibling-name index.
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/orgs/{id}"),
                json!({ "name": format!("并发测试{i}科"), "version": version }),
            )
        })
        .await;
        let winner = the_winner("unit rename", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/orgs/{id}")).await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(now["name"], format!("并发测试{winner}科"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_deletes_of_one_unit_delete_it_once() {
    each_backend(async |app| {
        let api = app.api_client("yc.admin").await;
        let (id, version) = new_department(&app, &api, "并发撤销测试科").await;
        let outcomes = race(&api, N, |_| {
            delete(format!("/api/v1/orgs/{id}?version={version}"))
        })
        .await;
        the_winner("unit delete", &outcomes, Late::ConflictOrGone);
        let (status, _) = api.get(&format!("/api/v1/orgs/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_edits_of_one_account_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("admin").await;
        let (_, list) = api.get("/api/v1/users?q=lf.staff").await;
        let user = &list["items"][0];
        let (id, version) = (int(&user["id"]), int(&user["version"]));
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/users/{id}"),
                json!({ "display_name": format!("临汾经开区经发部（{i}）"), "role": "zone_staff", "org_unit_id": user["org_unit_id"],
                        "active": true, "version": version }),
            )
        })
        .await;
        let winner = the_winner("account edit", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/users/{id}")).await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(now["display_name"], format!("临汾经开区经发部（{winner}）"));
    })
    .await;
}

/// 运城市's sheet for `year`, as the province's 督办 sets it: weights sum to 100.
fn sheet(city: i64, year: i32, blocker_closure: usize, version: i64) -> Value {
    json!({ "org_id": city, "year": year, "plan_completion": 70 - blocker_closure, "start_rate": 20, "production_rate": 10,
            "blocker_closure": blocker_closure, "version": version })
}

fn weight(report: &Value, kind: &str) -> i64 {
    int(&find(&report["items"], "kind", kind)["weight"])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_edits_of_one_assessment_sheet_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("sheng.duban").await;
        let city = app.zone(ZONE).parent_id.unwrap();
        let (status, first) = api
            .put("/api/v1/assessments/sheet", &sheet(city, 2024, 20, 0))
            .await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let version = int(&first["version"]);
        let outcomes = race(&api, N, |i| {
            put(
                "/api/v1/assessments/sheet".into(),
                sheet(city, 2024, i, version),
            )
        })
        .await;
        let winner = the_winner("assessment sheet", &outcomes, Late::Conflict);
        let (_, now) = api
            .get(&format!(
                "/api/v1/assessments/sheet?org_id={city}&year=2024"
            ))
            .await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(
            (
                weight(&now, "plan_completion"),
                weight(&now, "blocker_closure")
            ),
            (70 - winner as i64, winner as i64)
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_first_assessment_sheets_of_one_year_store_one() {
    each_backend(async |app| {
        let api = app.api_client("sheng.duban").await;
        let city = app.zone(ZONE).parent_id.unwrap();
        // Version 0: the city has no sheet of its own for 2025 yet.
        let outcomes = race(&api, N, |i| {
            put("/api/v1/assessments/sheet".into(), sheet(city, 2025, i, 0))
        })
        .await;
        let winner = the_winner("first assessment sheet", &outcomes, Late::Conflict);
        let (_, now) = api
            .get(&format!(
                "/api/v1/assessments/sheet?org_id={city}&year=2025"
            ))
            .await;
        assert_eq!(
            (now["own"].as_bool(), int(&now["version"])),
            (Some(true), 1),
            "{now}"
        );
        assert_eq!(weight(&now, "blocker_closure"), winner as i64);
    })
    .await;
}

// ---- different writers of one project ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn different_writers_of_one_project_at_once_never_deadlock() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (id, version) = new_project(&app, &api, "并发混合写入测试项目").await;
        let zone = app.zone(ZONE).id;
        // A quarter edit the project at the version read; the rest each add their own
        // month, blocker or year's plan, which conflict with nobody but lock the same rows.
        let outcomes = race(&api, N, |i| match i % 4 {
            0 => put(
                format!("/api/v1/projects/{id}"),
                json!({ "zone_id": zone, "name": format!("并发混合写入测试项目（{i}）"), "category": "industrial",
                        "nature": "new", "total_investment": "5000", "version": version }),
            ),
            1 => post(
                format!("/api/v1/projects/{id}/investments"),
                json!({ "year": 2025, "month": i / 4 + 1, "amount": "10" }),
            ),
            2 => post(
                format!("/api/v1/projects/{id}/blockers"),
                json!({ "factor": "power", "description": format!("供电接入待协调（{i}）"), "raised_on": "2025-02-03" }),
            ),
            _ => post(
                format!("/api/v1/projects/{id}/plans"),
                json!({ "year": 2021 + i / 4, "planned_investment": "800" }),
            ),
        })
        .await;
        let (edits, additions): (Vec<_>, Vec<_>) = outcomes.into_iter().enumerate().partition(|(i, _)| i % 4 == 0);
        let edits: Vec<_> = edits.into_iter().map(|(_, outcome)| outcome).collect();
        the_winner("project edit beside other writers", &edits, Late::Conflict);
        for (i, (status, body)) in additions {
            assert!(status.is_success(), "writer {i} of a month, blocker or plan: {status} {body}");
        }
        for (list, count) in [("investments", 5), ("blockers", 5), ("plans", 5)] {
            let (_, rows) = api.get(&format!("/api/v1/projects/{id}/{list}")).await;
            assert_eq!(rows.as_array().map(Vec::len), Some(count), "{list}: {rows}");
        }
    })
    .await;
}

// ---- 招商引资 ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_moves_of_one_lead_record_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let investor = ok(
            &api,
            "/api/v1/attraction/investors",
            json!({ "zone_id": zone, "name": "并发测试客商有限公司", "origin": "in_province" }),
        )
        .await;
        let lead = ok(
            &api,
            "/api/v1/attraction/leads",
            json!({ "zone_id": zone, "name": "并发测试招商项目", "investor_id": investor["id"],
                    "investment": "20000", "source": "fair", "registered_on": "2026-02-02" }),
        )
        .await;
        let (id, version) = (int(&lead["id"]), int(&lead["version"]));
        let day = |i: usize| format!("2026-03-{:02}", i + 1);
        let outcomes = race(&api, N, |i| {
            post(
                format!("/api/v1/attraction/leads/{id}/stage"),
                json!({ "stage": "negotiating", "on": day(i), "version": version }),
            )
        })
        .await;
        let winner = the_winner("lead move", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/attraction/leads/{id}")).await;
        assert_eq!(int(&now["version"]), version + 1, "{now}");
        assert_eq!(now["stage_since"], day(winner));
        // The losers left no move on record.
        let (_, stages) = api.get(&format!("/api/v1/attraction/leads/{id}/stages")).await;
        let history = stages["history"].as_array().unwrap();
        assert_eq!(history.len(), 2, "registered and one move: {stages}");
        assert_eq!(history[1]["on_date"], day(winner));
        // Twenty edits of the investor at one version keep one.
        let iv = int(&investor["version"]);
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/attraction/investors/{}", investor["id"]),
                json!({ "name": format!("并发测试客商有限公司{i}"), "origin": "in_province", "version": iv }),
            )
        })
        .await;
        let winner = the_winner("investor edit", &outcomes, Late::Conflict);
        let (_, now) = api
            .get(&format!("/api/v1/attraction/investors/{}", investor["id"]))
            .await;
        assert_eq!(now["name"], format!("并发测试客商有限公司{winner}"));
    })
    .await;
}

#[tokio::test]
async fn twenty_edits_of_one_activity_keep_one() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let activity = ok(
            &api,
            "/api/v1/attraction/activities",
            json!({ "zone_id": zone, "kind": "talks", "title": "并发洽谈", "on_date": "2026-03-03" }),
        )
        .await;
        let (id, version) = (int(&activity["id"]), int(&activity["version"]));
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/attraction/activities/{id}"),
                json!({ "kind": "talks", "title": format!("并发洽谈{i}"), "on_date": "2026-03-03",
                        "version": version }),
            )
        })
        .await;
        let winner = the_winner("activity edit", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/attraction/activities/{id}")).await;
        assert_eq!(now["title"], format!("并发洽谈{winner}"));
        assert_eq!(int(&now["version"]), version + 1);
    })
    .await;
}

#[tokio::test]
async fn twenty_renames_of_one_chain_link_keep_one_and_its_lead_follows_it() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let (_, map) = api
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        let chain = int(&map["chains"][0]["id"]);
        let link = ok(
            &api,
            "/api/v1/attraction/chain-links",
            json!({ "zone_id": zone, "chain_id": chain, "segment": "upstream", "name": "并发环节" }),
        )
        .await;
        let investor = ok(
            &api,
            "/api/v1/attraction/investors",
            json!({ "zone_id": zone, "name": "环节并发客商有限公司", "origin": "in_province" }),
        )
        .await;
        let lead = ok(
            &api,
            "/api/v1/attraction/leads",
            json!({ "zone_id": zone, "name": "环节并发项目", "investor_id": investor["id"],
                    "investment": "5000", "source": "chain", "registered_on": "2026-02-02",
                    "industry_chain_id": chain, "chain_node": "并发环节" }),
        )
        .await;
        let (id, version) = (int(&link["id"]), int(&link["version"]));
        let outcomes = race(&api, N, |i| {
            put(
                format!("/api/v1/attraction/chain-links/{id}"),
                json!({ "segment": "upstream", "name": format!("并发环节{i}"), "version": version }),
            )
        })
        .await;
        let winner = the_winner("chain link rename", &outcomes, Late::Conflict);
        let (_, now) = api.get(&format!("/api/v1/attraction/chain-links/{id}")).await;
        assert_eq!(now["name"], format!("并发环节{winner}"));
        let (_, lead) = api
            .get(&format!("/api/v1/attraction/leads/{}", lead["id"]))
            .await;
        assert_eq!(lead["chain_node"], format!("并发环节{winner}"));
    })
    .await;
}

#[tokio::test]
async fn twenty_first_talks_on_one_investor_hold_it_once() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let investor = ok(
            &api,
            "/api/v1/attraction/investors",
            json!({ "zone_id": zone, "name": "首谈并发客商有限公司", "origin": "out_of_province" }),
        )
        .await;
        let mut leads = Vec::new();
        for i in 0..N {
            let lead = ok(
                &api,
                "/api/v1/attraction/leads",
                json!({ "zone_id": zone, "name": format!("首谈并发项目{i}"), "investor_id": investor["id"],
                        "investment": "150000", "source": "chain", "registered_on": "2026-02-02" }),
            )
            .await;
            let moved = ok(
                &api,
                &format!("/api/v1/attraction/leads/{}/stage", lead["id"]),
                json!({ "stage": "negotiating", "on": "2026-02-10", "version": lead["version"] }),
            )
            .await;
            leads.push((int(&moved["id"]), int(&moved["version"])));
        }
        // Each lead claims the investor at once: the register keeps one.
        let outcomes = race(&api, N, |i| {
            post(
                format!("/api/v1/attraction/leads/{}/first-talk", leads[i].0),
                json!({ "version": leads[i].1 }),
            )
        })
        .await;
        let winner = the_winner("first talk", &outcomes, Late::ConflictOrTaken("first_talk"));
        let (_, register) = api.get("/api/v1/attraction/first-talks").await;
        assert_eq!(register["page"]["total"], 1, "{register}");
        assert_eq!(int(&register["page"]["items"][0]["lead_id"]), leads[winner].0);
    })
    .await;
}
