//! The key-project ledger through pages and the API.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{each_backend, field_errors, fresh_credit_code};

#[tokio::test]
async fn a_zone_keeps_its_ledger_through_the_api() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (status, p) = api
            .post(
                "/api/v1/projects",
                &json!({ "zone_id": zone, "name": "年产5万吨再生铝项目", "category": "industrial", "nature": "new",
                         "total_investment": "120,000", "land_mu": "86.5", "stage": "signed", "jobs": 300,
                         "project_code": "2404-140800-89-01-000001" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        assert_eq!(p["total_investment"], 1_200_000_000_i64, "万元 in, exact yuan stored");
        assert_eq!(p["land_mu_hundredths"], 8_650);
        let id = p["id"].as_i64().unwrap();

        // Forward only; a correction needs a reason.
        let stage = |stage: &str, date: &str, version: i64| json!({ "stage": stage, "date": date, "version": version });
        let (status, p) = api.post(&format!("/api/v1/projects/{id}/stage"), &stage("started", "2024-03-18", 1)).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let v = p["version"].as_i64().unwrap();
        let (status, errors) = api.post(&format!("/api/v1/projects/{id}/stage"), &stage("signed", "2024-04-01", v)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors)[0].1, "阶段只能向前推进；如需回退请做更正并说明原因。");
        let mut correction = stage("signed", "2024-03-18", v);
        correction["correction"] = json!(true);
        let (status, errors) = api.post(&format!("/api/v1/projects/{id}/stage"), &correction).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors)[0].0, "reason");
        correction["reason"] = json!("误报开工，实际尚在办理施工许可");
        let (status, p) = api.post(&format!("/api/v1/projects/{id}/stage"), &correction).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(p["stage"], "signed");
        let (_, stages) = api.get(&format!("/api/v1/projects/{id}/stages")).await;
        assert_eq!(stages.as_array().unwrap().len(), 2);
        assert_eq!(stages[1]["correction"], true);

        // A plan and monthly completions give the ledger its figures.
        let (status, _) = api
            .post(&format!("/api/v1/projects/{id}/plans"), &json!({ "year": 2024, "planned_investment": "30000" }))
            .await;
        assert_eq!(status, StatusCode::OK);
        for (month, amount) in [(1, "1000"), (2, "2000.5"), (7, "3000")] {
            let (status, body) = api
                .post(&format!("/api/v1/projects/{id}/investments"), &json!({ "year": 2024, "month": month, "amount": amount }))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let (status, errors) = api
            .post(&format!("/api/v1/projects/{id}/investments"), &json!({ "year": 2024, "month": 13, "amount": "1.23456" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<_> = field_errors(&errors).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["month", "amount"]);
        // A reported month is corrected at its version; a stale version is refused.
        let (_, months) = api.get(&format!("/api/v1/projects/{id}/investments")).await;
        let july = months.as_array().unwrap().iter().find(|m| m["month"] == 7).unwrap().clone();
        let fix = |version: &serde_json::Value| json!({ "year": 2024, "month": 7, "amount": "2500", "version": version });
        let (status, fixed) = api.post(&format!("/api/v1/projects/{id}/investments"), &fix(&july["version"])).await;
        assert_eq!(status, StatusCode::OK, "{fixed}");
        assert_eq!(fixed["amount"], 25_000_000);
        let (status, _) = api.post(&format!("/api/v1/projects/{id}/investments"), &fix(&july["version"])).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, ledger) = api.get("/api/v1/projects?year=2024&month=6&q=再生铝").await;
        assert_eq!(status, StatusCode::OK, "{ledger}");
        assert_eq!(ledger["totals"]["count"], 1);
        assert_eq!(ledger["totals"]["ytd"], 30_005_000_i64, "January and February only");
        assert_eq!(ledger["totals"]["planned_investment"], 300_000_000_i64);
        let (status, errors) = api.get("/api/v1/projects?stage=dreaming").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors)[0].0, "stage");
    })
    .await;
}

#[tokio::test]
async fn the_ledger_page_shows_totals_in_yi_and_filters() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let (status, page) = session.get_text("/projects").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("重点项目台账") && page.contains("合计"));
        assert!(page.contains("大运高端智能新能源乘用车提升改造项目"));
        assert!(page.contains("6.80"), "6.8亿元 shown with two decimals");
        assert!(!page.contains("临汾经济开发区"), "only the user's zone");
        let (status, page) = session
            .get_text("/projects?q=乘用车&sort=total_investment&dir=desc")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("（1）"), "one match in the totals row");
        let (status, page) = session.get_text("/projects?rag=purple").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("请从列表中选择"));
    })
    .await;
}

#[tokio::test]
async fn a_project_page_says_why_it_is_red() {
    each_backend(async |app| {
        let session = app.login("lf.staff").await;
        let api = app.api_client("lf.staff").await;
        let (_, ledger) = api.get("/api/v1/projects?rag=red").await;
        let red = &ledger["page"]["items"][0];
        let id = red["id"].as_i64().expect("the demo has a red project with an overdue blocker");
        let (status, page) = session.get_text(&format!("/projects/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("困难问题超期未解决"), "the reason is shown");
        assert!(page.contains("超期"));
        let (_, before) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert!(before["rag_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["key"] == "rag.blocker_overdue" && r["value"].as_i64() > Some(0)));
        // Resolving the blocker turns the project green again (if nothing else is wrong).
        let (_, blockers) = api.get(&format!("/api/v1/projects/{id}/blockers")).await;
        let b = &blockers[0];
        let (status, errors) = api
            .put(&format!("/api/v1/blockers/{}", b["id"]), &json!({ "factor": b["factor"], "description": b["description"], "raised_on": b["raised_on"], "status": "resolved", "version": b["version"] }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_errors(&errors)[0].1.contains("解决情况"));
        let (status, saved) = api
            .put(
                &format!("/api/v1/blockers/{}", b["id"]),
                &json!({ "factor": b["factor"], "description": b["description"], "raised_on": b["raised_on"], "status": "resolved",
                         "resolution": "供电公司完成接入", "resolved_on": b["raised_on"], "version": b["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, project) = api.get(&format!("/api/v1/projects/{id}")).await;
        let reasons = project["rag_reasons"].as_array().unwrap();
        assert!(reasons.iter().all(|r| r["key"] != "rag.blocker_overdue"), "{reasons:?}");
        let (_, history) = session.get_text(&format!("/projects/{id}/history")).await;
        assert!(history.contains("演示数据"));
    })
    .await;
}

#[tokio::test]
async fn forms_create_projects_and_refuse_bad_money() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let (status, form) = session.get_text("/projects/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("总投资（万元）") && form.contains("新能源"), "the zone's industry chains are offered");
        let zone = app.zone("运城经济技术开发区").id.to_string();
        let bad = session
            .post_form("/projects", &[("zone_id", &zone), ("name", "某项目"), ("category", "industrial"), ("nature", "new"), ("total_investment", "约18亿")])
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains("请填写金额（万元）"));
        let ok = session
            .post_form("/projects", &[("zone_id", &zone), ("name", "某新建项目"), ("category", "industrial"), ("nature", "new"), ("total_investment", "18000")])
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let location = ok.headers()["location"].to_str().unwrap().to_owned();
        let (_, page) = session.get_text(&location).await;
        assert!(page.contains("某新建项目") && page.contains("1.80"));
        // A supervisor reads the ledger but does not write it.
        let supervisor = app.api_client("sheng.duban").await;
        let (status, _) = supervisor
            .post("/api/v1/projects", &serde_json::json!({ "zone_id": app.zone("运城经济技术开发区").id, "name": "x", "category": "industrial", "nature": "new", "total_investment": "1" }))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, ledger) = supervisor.get("/api/v1/projects").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ledger["totals"]["count"].as_i64().unwrap() > 40, "the whole province");
    })
    .await;
}

#[tokio::test]
async fn milestones_are_planned_backwards_on_the_china_calendar() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let session = app.login("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, p) = api
            .post("/api/v1/projects", &json!({ "zone_id": zone, "name": "倒排工期测试项目", "category": "industrial", "nature": "new", "total_investment": "5000" }))
            .await;
        let id = p["id"].as_i64().unwrap();
        // 投产 targeted on National Day: planned for the last working day before it.
        let (status, planned) = api
            .post(&format!("/api/v1/projects/{id}/schedule"), &json!({ "target_key": "production", "target_date": "2024-10-01" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{planned}");
        let find = |key: &str| planned.as_array().unwrap().iter().find(|m| m["key"] == key).unwrap().clone();
        assert_eq!(find("production")["planned_on"], "2024-09-30");
        // 竣工 is 10 working days earlier: 09-29 (a make-up Sunday) counts as one.
        assert_eq!(find("completion")["planned_on"], "2024-09-14");
        let (status, errors) = api
            .post(&format!("/api/v1/projects/{id}/schedule"), &json!({ "target_key": "moon_landing", "target_date": "2024-10-01" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors)[0].0, "target_key");

        // Actual dates, and the working days between land and the construction permit.
        let land = find("land");
        let permit = find("construction_permit");
        let (status, _) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "land", "actual_on": "2024-04-01", "version": land["version"] }))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "construction_permit", "actual_on": "2024-05-10", "version": permit["version"] }))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, report) = api
            .get(&format!("/api/v1/projects/{id}/milestones?from=land&to=construction_permit"))
            .await;
        // 2024-04-01 → 2024-05-10: 26 working days (清明 4-4…6 and 劳动节 5-1…5 off; 4-7 and 4-28 worked).
        assert_eq!(report["working_days_between"], 26, "{report}");
        let permit_line = report["milestones"].as_array().unwrap().iter().find(|m| m["key"] == "construction_permit").unwrap().clone();
        assert!(permit_line["late_working_days"].as_i64().unwrap() > 0, "later than planned");
        let (status, errors) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "land", "actual_on": "2024-04-02", "version": land["version"] }))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{errors}");

        // The project page draws the Gantt; a baseline can be saved and compared.
        let (_, page) = session.get_text(&format!("/projects/{id}")).await;
        assert!(page.contains("<svg") && page.contains("节点计划"));
        let (status, _) = api.post(&format!("/api/v1/projects/{id}/baselines"), &json!({ "name": "年初计划" })).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, errors) = api.post(&format!("/api/v1/projects/{id}/baselines"), &json!({ "name": "年初计划" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
        let (status, gantt) = session.get_text(&format!("/projects/{id}/gantt?baseline=年初计划")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(gantt.contains("基线") && gantt.contains("今天"));
        let (status, wall) = session.get_text("/projects/wall").await;
        assert_eq!(status, StatusCode::OK);
        assert!(wall.contains("<svg") && wall.contains("倒排工期测试项目"));
        let (status, wall) = api.get("/api/v1/projects/wall?q=倒排").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(wall.as_array().unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn milestones_and_the_stage_move_together() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, p) = api
            .post("/api/v1/projects", &json!({ "zone_id": zone, "name": "节点与阶段一致测试项目", "category": "industrial", "nature": "new", "total_investment": "8000", "stage": "signed" }))
            .await;
        let id = p["id"].as_i64().unwrap();
        let (status, planned) = api
            .post(&format!("/api/v1/projects/{id}/schedule"), &json!({ "target_key": "production", "target_date": "2024-10-01" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{planned}");
        let node = |all: &serde_json::Value, key: &str| all.as_array().unwrap().iter().find(|m| m["key"] == key).unwrap().clone();
        let project = async |id: i64| api.get(&format!("/api/v1/projects/{id}")).await.1;

        // 开工's actual date moves a signed project to 开工 on that day.
        let start = node(&planned, "start");
        let (status, done) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "start", "actual_on": "2024-03-18", "version": start["version"] }))
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        let p = project(id).await;
        assert_eq!(p["stage"], "started", "{p}");
        assert_eq!(p["stage_since"], "2024-03-18");
        // An earlier node (land) moves nothing.
        let land = node(&planned, "land");
        api.post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "land", "actual_on": "2024-02-01", "version": land["version"] })).await;
        assert_eq!(project(id).await["stage"], "started");

        // The node of the stage reached cannot be cleared behind the stage's back.
        let (_, all) = api.get(&format!("/api/v1/projects/{id}/milestones")).await;
        let start = node(&all["milestones"], "start");
        let (status, errors) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "start", "actual_on": "", "version": start["version"] }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
        assert_eq!(field_errors(&errors)[0].0, "actual_on");
        // A stage-marking node dated before the last stage change is refused.
        let completion = node(&all["milestones"], "completion");
        let (status, errors) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "completion", "actual_on": "2024-03-01", "version": completion["version"] }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");

        // Moving the stage fills the matching node with the day.
        let v = project(id).await["version"].as_i64().unwrap();
        let (status, p) = api
            .post(&format!("/api/v1/projects/{id}/stage"), &json!({ "stage": "producing", "date": "2024-09-30", "version": v }))
            .await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let (_, all) = api.get(&format!("/api/v1/projects/{id}/milestones")).await;
        assert_eq!(node(&all["milestones"], "production")["actual_on"], "2024-09-30");
        assert_eq!(node(&all["milestones"], "completion")["actual_on"], serde_json::Value::Null, "no date is made up for a node skipped");

        // A correction back to 开工 takes the 投产 date away with it.
        let v = p["version"].as_i64().unwrap();
        let (status, p) = api
            .post(&format!("/api/v1/projects/{id}/stage"), &json!({ "stage": "started", "date": "2024-03-18", "version": v, "correction": true, "reason": "录入错误，尚未投产" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let (_, all) = api.get(&format!("/api/v1/projects/{id}/milestones")).await;
        assert_eq!(node(&all["milestones"], "production")["actual_on"], serde_json::Value::Null);
        assert_eq!(node(&all["milestones"], "start")["actual_on"], "2024-03-18");

        // A cancelled project takes no later node.
        let v = p["version"].as_i64().unwrap();
        api.post(&format!("/api/v1/projects/{id}/stage"), &json!({ "stage": "cancelled", "date": "2024-10-08", "version": v })).await;
        let completion = node(&all["milestones"], "completion");
        let (status, errors) = api
            .post(&format!("/api/v1/projects/{id}/milestones"), &json!({ "key": "completion", "actual_on": "2024-10-09", "version": completion["version"] }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
        assert!(errors.to_string().contains("已取消"), "{errors}");
        assert!(app.store.stage_disagreements().await.unwrap().is_empty());

        // A project planned after it started gets its 开工 node from its history.
        let (_, p) = api
            .post("/api/v1/projects", &json!({ "zone_id": zone, "name": "先开工后排期测试项目", "category": "industrial", "nature": "new", "total_investment": "3000", "stage": "signed" }))
            .await;
        let late = p["id"].as_i64().unwrap();
        api.post(&format!("/api/v1/projects/{late}/stage"), &json!({ "stage": "started", "date": "2024-05-06", "version": p["version"] })).await;
        let (_, planned) = api
            .post(&format!("/api/v1/projects/{late}/schedule"), &json!({ "target_key": "production", "target_date": "2025-06-30" }))
            .await;
        assert_eq!(node(&planned, "start")["actual_on"], "2024-05-06", "{planned}");
        assert!(app.store.stage_disagreements().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_calendar_and_a_zones_rules_are_edited_by_their_administrators() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let staff = app.api_client("yc.staff").await;
        let (status, _) = staff.put("/api/v1/calendar", &json!({ "date": "2024-10-08", "working": "no" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = admin.put("/api/v1/calendar", &json!({ "date": "2024-10-08", "working": "no", "note": "防汛停工" })).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, year) = staff.get("/api/v1/calendar?year=2024").await;
        assert_eq!(year["covered"], true);
        assert!(year["days"].as_array().unwrap().iter().any(|d| d["date"] == "2024-10-08" && d["name"] == "防汛停工"));
        // Scheduling follows the edited calendar.
        let zone = app.zone("运城经济技术开发区").id;
        let (_, p) = staff
            .post("/api/v1/projects", &json!({ "zone_id": zone, "name": "日历测试项目", "category": "industrial", "nature": "new", "total_investment": "100" }))
            .await;
        let (_, planned) = staff
            .post(&format!("/api/v1/projects/{}/schedule", p["id"]), &json!({ "target_key": "production", "target_date": "2024-10-08" }))
            .await;
        let production = planned.as_array().unwrap().iter().find(|m| m["key"] == "production").unwrap().clone();
        assert_eq!(production["planned_on"], "2024-09-30");

        // A zone administrator tunes the zone's rules; staff may not.
        let yc = app.api_client("yc.admin").await;
        let (status, _) = staff.put(&format!("/api/v1/orgs/{zone}/ledger"), &json!({ "milestone_days": 5, "investment_points": 10, "blocker_due_days": 3 })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, settings) = yc
            .put(&format!("/api/v1/orgs/{zone}/ledger"), &json!({ "milestone_days": 5, "investment_points": 10, "blocker_due_days": 3, "industry_chain": "氢能" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{settings}");
        assert_eq!(settings["rag"]["milestone_days"], 5);
        assert!(settings["industry_chains"].as_array().unwrap().iter().any(|c| c == "氢能"));
        let (status, errors) = yc.put(&format!("/api/v1/orgs/{zone}/ledger"), &json!({ "milestone_template": "land 土地摘牌" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_errors(&errors)[0].1.contains("节点模板格式不正确"));
        let (status, errors) = yc.put(&format!("/api/v1/orgs/{zone}/ledger"), &json!({ "milestone_days": 0, "investment_points": 10, "blocker_due_days": 3 })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
        let session = app.login("yc.admin").await;
        let (status, page) = session.get_text(&format!("/orgs/{zone}/ledger")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("红黄绿灯规则") && page.contains("氢能"));
        let (status, page) = session.get_text("/calendar?year=2026").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("春节"));
    })
    .await;
}

#[tokio::test]
async fn departments_and_liaison_leaders_see_their_overdue_blockers() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let zone = app.zone("临汾经济开发区");
        let departments = app
            .store
            .orgs(
                &kfq_domain::Visibility::All,
                &kfq_store::OrgFilter {
                    parent_id: Some(zone.id),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .unwrap()
            .items;
        let session = app.login("lf.staff").await;
        let mut seen = false;
        for d in departments {
            let (status, page) = session.get_text(&format!("/orgs/{}", d.id)).await;
            assert_eq!(status, StatusCode::OK);
            assert!(page.contains("本部门负责的困难问题"));
            seen |= page.contains("超期");
        }
        assert!(
            seen,
            "the demo's overdue blocker shows on its department's page"
        );
        let admin_session = app.login("admin").await;
        let (_, users) = admin.get("/api/v1/users?q=yc.baolian").await;
        let liaison = users["items"][0]["id"].as_i64().unwrap();
        let (status, page) = admin_session.get_text(&format!("/users/{liaison}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("包联项目的困难问题"));
    })
    .await;
}

#[tokio::test]
async fn the_same_year_fast_path_can_be_asked_for() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, p) = api
            .post("/api/v1/projects", &json!({ "zone_id": zone, "name": "当年见效项目", "category": "industrial", "nature": "new", "total_investment": "20000" }))
            .await;
        let id = p["id"].as_i64().unwrap();
        let mut version = p["version"].as_i64().unwrap();
        for (stage, date) in [("signed", "2023-02-10"), ("started", "2023-04-18"), ("producing", "2023-12-20")] {
            let (status, moved) = api.post(&format!("/api/v1/projects/{id}/stage"), &json!({ "stage": stage, "date": date, "version": version })).await;
            assert_eq!(status, StatusCode::OK, "{moved}");
            version = moved["version"].as_i64().unwrap();
        }
        let (status, fast) = api.get("/api/v1/projects/fast-path?year=2023").await;
        assert_eq!(status, StatusCode::OK);
        let found = fast.as_array().unwrap().iter().find(|f| f["id"] == id).expect("listed").clone();
        assert_eq!(found["started_on"], "2023-04-18");
        let (_, none) = api.get("/api/v1/projects/fast-path?year=2024").await;
        assert!(none.as_array().unwrap().iter().all(|f| f["id"] != id));
        let session = app.login("yc.staff").await;
        let (status, page) = session.get_text("/projects/fast-path?year=2023").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("当年见效项目"));
    })
    .await;
}

#[tokio::test]
async fn the_ledger_in_view_downloads_as_a_workbook() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let response = session.get("/projects/export.xlsx?q=大运").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml"));
        assert!(response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''"));
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip");
        let (_, page) = session.get_text("/projects?q=大运").await;
        assert!(
            page.contains("/projects/export.xlsx?q="),
            "the button keeps the filter"
        );
    })
    .await;
}

/// The workbook a zone sends upward, read back as a supervisor's
/// spreadsheet reads it: the columns they expect, the month it really runs
/// to, the enterprise as 建设单位, the milestones' days, the open blockers
/// and totals that are formulas.
#[tokio::test]
async fn the_exported_ledger_carries_what_goes_upward() {
    use calamine::{Data, Reader};

    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let ok = |(status, body): (StatusCode, serde_json::Value)| {
            assert!(status.is_success(), "{status}: {body}");
            body
        };
        let enterprise = ok(api
            .post(
                "/api/v1/enterprises",
                &json!({ "zone_id": zone, "name": "山西上报口径新材料有限公司",
                         "credit_code": fresh_credit_code(901), "industry": "新材料" }),
            )
            .await);
        let project = ok(api
            .post(
                "/api/v1/projects",
                &json!({ "zone_id": zone, "name": "上报口径测试项目", "enterprise_id": enterprise["id"],
                         "category": "industrial", "nature": "continuing", "total_investment": "68000",
                         "construction_content": "新建铝板带生产线2条", "land_mu": "120.5",
                         "floor_area_m2": 52000 }),
            )
            .await);
        let id = project["id"].as_i64().unwrap();
        ok(api
            .post(
                &format!("/api/v1/projects/{id}/plans"),
                &json!({ "year": 2025, "planned_investment": "20000" }),
            )
            .await);
        let mut ytd = 0_i64;
        for (month, amount, yuan) in [(1, "1000.5", 10_005_000), (6, "2345.6789", 23_456_789), (7, "0", 0)] {
            ok(api
                .post(
                    &format!("/api/v1/projects/{id}/investments"),
                    &json!({ "year": 2025, "month": month, "amount": amount }),
                )
                .await);
            ytd += yuan;
        }
        ok(api
            .post(
                &format!("/api/v1/projects/{id}/blockers"),
                &json!({ "factor": "land", "description": "用地指标待落实", "raised_on": "2025-05-06" }),
            )
            .await);
        let planned = ok(api
            .post(
                &format!("/api/v1/projects/{id}/schedule"),
                &json!({ "target_key": "production", "target_date": "2025-12-31" }),
            )
            .await);
        let node = |key: &str| {
            planned.as_array().unwrap().iter().find(|m| m["key"] == key).unwrap().clone()
        };
        let start = node("start");
        ok(api
            .post(
                &format!("/api/v1/projects/{id}/milestones"),
                &json!({ "key": "start", "actual_on": "2025-03-18", "version": start["version"] }),
            )
            .await);

        // 开工's actual day moved the project to 开工; then on to 投产, which
        // fills the 投产 node with the stage's day.
        let (_, now) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert_eq!(now["stage"], "started");
        let mut version = now["version"].clone();
        for (stage, date) in [("producing", "2025-11-20")] {
            let moved = ok(api
                .post(
                    &format!("/api/v1/projects/{id}/stage"),
                    &json!({ "stage": stage, "date": date, "version": version }),
                )
                .await);
            version = moved["version"].clone();
        }

        let download = |query: String| {
            let api = &api;
            async move {
                let response = api
                    .client
                    .get(format!("{}/projects/export.xlsx?{query}", api.base))
                    .bearer_auth(&api.token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                let bytes = response.bytes().await.unwrap().to_vec();
                let mut book: calamine::Xlsx<_> =
                    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
                let name = book.sheet_names()[0].clone();
                let values = book.worksheet_range(&name).unwrap();
                let formulas = book.worksheet_formula(&name).unwrap();
                (values, formulas)
            }
        };
        let q = "q=%E4%B8%8A%E6%8A%A5%E5%8F%A3%E5%BE%84%E6%B5%8B%E8%AF%95%E9%A1%B9%E7%9B%AE";
        let (values, formulas) = download(format!("zone_id={zone}&year=2025&{q}")).await;
        let cell = |r: u32, c: usize| values.get_value((r, c as u32)).cloned().unwrap_or(Data::Empty);
        let text = |r: u32, c: usize| match cell(r, c) {
            Data::String(s) => s,
            other => format!("{other:?}"),
        };
        // Reported through July: the title and the column say July, not December.
        assert_eq!(text(0, 0), "运城经济技术开发区重点项目推进情况表（截至2025年7月）");
        // A unit sits on its own line under the name.
        let headers: Vec<String> = (0..values.width())
            .map(|c| text(1, c).replace('\n', ""))
            .collect();
        let col = |h: &str| {
            headers.iter().position(|x| x == h).unwrap_or_else(|| panic!("{h} in {headers:?}"))
        };
        for h in [
            "序号", "项目名称", "建设单位", "建设性质", "建设内容及规模", "总投资（万元）",
            "2025年计划投资（万元）", "1-7月完成投资（万元）", "进展情况（形象进度）", "存在问题",
            "包联领导", "责任部门", "计划开工时间", "实际开工时间", "计划投产时间", "实际投产时间",
        ] {
            col(h);
        }
        assert!(!headers.iter().any(|h| h.contains("1-12月")), "{headers:?}");
        assert_eq!(text(2, col("项目名称")), "上报口径测试项目");
        assert_eq!(text(2, col("建设单位")), "山西上报口径新材料有限公司");
        assert_eq!(text(2, col("建设性质")), "续建");
        assert_eq!(text(2, col("建设内容及规模")), "新建铝板带生产线2条");
        assert_eq!(text(2, col("存在问题")), "用地指标待落实");
        let wan = |d: Data| match d {
            Data::Float(f) => (f * 10_000.0).round() as i64,
            other => panic!("a number, not {other:?}"),
        };
        assert_eq!(wan(cell(2, col("1-7月完成投资（万元）"))), ytd);
        let day = |d: Data| match d {
            // A serial day count from Excel's epoch.
            Data::DateTime(dt) => (chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()
                + chrono::Days::new(dt.as_f64() as u64))
            .to_string(),
            other => panic!("a date, not {other:?}"),
        };
        assert_eq!(day(cell(2, col("实际开工时间"))), "2025-03-18");
        assert_eq!(
            day(cell(2, col("计划开工时间"))),
            start["planned_on"].as_str().unwrap()
        );
        assert_eq!(
            day(cell(2, col("计划投产时间"))),
            node("production")["planned_on"].as_str().unwrap()
        );
        // The milestone's day before the stage's; the stage's where no milestone says.
        assert_eq!(day(cell(2, col("实际投产时间"))), "2025-11-20");
        assert!(text(2, col("进展情况（形象进度）")).starts_with("投产（2025年11月20日起）"));
        // The totals row adds up with formulas, cached as the sum.
        assert_eq!(text(3, 0), "合计（1个项目）");
        let c = col("1-7月完成投资（万元）");
        let formula = formulas.get_value((3, c as u32)).cloned().unwrap_or_default();
        assert!(formula.starts_with("SUM("), "{formula:?}");
        assert_eq!(wan(cell(3, c)), ytd);

        // Asked for September with nothing after July: still July.
        let (values, _) = download(format!("zone_id={zone}&year=2025&month=9&{q}")).await;
        let headers: Vec<String> = (0..values.width())
            .map(|c| match values.get_value((1, c as u32)) {
                Some(Data::String(s)) => s.replace('\n', ""),
                _ => String::new(),
            })
            .collect();
        assert!(headers.contains(&"1-7月完成投资（万元）".to_owned()), "{headers:?}");
    })
    .await;
}

/// A button is offered only to those the write it leads to would accept: the
/// ledger's 新建项目 and the dispatch sheet's decision form, for every demo role.
#[tokio::test]
async fn writes_are_offered_only_to_those_allowed_them() {
    each_backend(async |app| {
        for (username, may_write) in [
            ("yc.admin", true),
            ("yc.staff", true),
            ("yc.zhaoshang", false),
            ("yc.baolian", false),
            ("yc.qiye", false),
            ("sheng.duban", false),
        ] {
            let session = app.login(username).await;
            let (status, ledger) = session.get_text("/projects").await;
            assert_eq!(status, StatusCode::OK, "{username}");
            assert_eq!(
                ledger.contains("href=\"/projects/new\""),
                may_write,
                "{username}: 新建项目"
            );
            let status = session.get("/projects/new").await.status();
            assert_eq!(
                status.is_success(),
                may_write,
                "{username}: /projects/new answered {status}"
            );
            let (status, sheet) = session.get_text("/dispatch").await;
            if status == StatusCode::OK {
                assert_eq!(
                    sheet.contains("/decisions\""),
                    may_write && sheet.contains("dispatch/blockers/"),
                    "{username}: decision form"
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn every_list_says_when_it_is_empty_and_what_to_do() {
    each_backend(async |app| {
        let admin = app.login("admin").await;
        for list in ["/users", "/orgs", "/enterprises"] {
            let (status, page) = admin.get_text(&format!("{list}?q=查无此名")).await;
            assert_eq!(status, StatusCode::OK, "{list}");
            assert!(
                page.contains("没有符合条件的记录") && page.contains("清除筛选条件"),
                "{list}: {page}"
            );
        }
        let staff = app.login("yc.staff").await;
        let (_, bulletins) = staff.get_text("/bulletins").await;
        assert!(
            bulletins.contains("还没有读入的简报：把简报全文贴到上面"),
            "{bulletins}"
        );
        let (_, campaigns) = staff.get_text("/campaigns").await;
        assert!(
            campaigns.contains("还没有活动：在上面选单位"),
            "{campaigns}"
        );
        let (_, fast) = staff.get_text("/projects/fast-path?year=2001").await;
        assert!(fast.contains("没有符合条件的记录"), "{fast}");
    })
    .await;
}

#[tokio::test]
async fn a_search_of_several_words_finds_the_names_with_all_of_them() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let name = "大运高端智能新能源乘用车提升改造项目";
        for q in ["大运 改造", "改造　大运", " 乘用车  大运 "] {
            let (status, page) = session.get_text(&format!("/projects?q={q}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(page.contains(name), "{q}: {page}");
        }
        let (_, none) = session.get_text("/projects?q=大运 光伏").await;
        assert!(!none.contains(name));
        assert!(none.contains("没有符合条件的项目") && none.contains("清除筛选条件"));
        // The sorted column says so, and which way.
        let (_, sorted) = session.get_text("/projects?sort=ytd&dir=desc").await;
        assert!(sorted.contains(r#"aria-sort="descending""#), "{sorted}");
        assert!(sorted.contains(" ▼</a>"));
    })
    .await;
}

/// The home page lists what needs doing, not a change log: a zone's clerk
/// sees its blockers overdue or due within two weeks, not those due later.
#[tokio::test]
async fn the_home_page_lists_the_blockers_that_are_due() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, ledger) = api
            .get(&format!("/api/v1/projects?zone_id={zone}&sort=name"))
            .await;
        let project = ledger["page"]["items"][0]["id"].as_i64().unwrap();
        let today = kfq_app::clock::today();
        for (text, days) in [("首页测试逾期问题", -3), ("首页测试下月问题", 40)] {
            let deadline = today + chrono::Duration::days(days);
            let (status, body) = api
                .post(
                    &format!("/api/v1/projects/{project}/blockers"),
                    &json!({"factor": "power", "description": text,
                            "raised_on": (today - chrono::Duration::days(10)).to_string(),
                            "deadline": deadline.to_string()}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        let session = app.login("yc.staff").await;
        let (_, home) = session.get_text("/").await;
        assert!(home.contains("逾期及两周内到期的困难问题"), "{home}");
        assert!(home.contains("首页测试逾期问题"));
        assert!(
            !home.contains("首页测试下月问题"),
            "due later: not yet a to-do"
        );
        assert!(!home.contains("最近操作"), "no change log on the home page");

        // The overdue blocker turned the project red: listed with its reason.
        assert!(home.contains("红色预警项目"), "{home}");
        let (_, overview) = api.get("/api/v1/home").await;
        let red = &overview["todo"]["red_projects"];
        assert!(red.as_array().unwrap().iter().any(|p| p["id"] == project), "{overview}");
        assert!(home.contains("困难问题逾期") || home.contains("逾期"), "the reason in words");

        // A milestone due in five days is a to-do; one in a month is not yet.
        let (_, planned) = api
            .post(&format!("/api/v1/projects/{project}/schedule"), &json!({ "target_key": "production", "target_date": (today + chrono::Duration::days(5)).to_string() }))
            .await;
        assert!(planned.is_array(), "{planned}");
        let (_, overview) = api.get("/api/v1/home").await;
        let due: Vec<String> = overview["todo"]["milestones_due"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["project_id"] == project)
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect();
        assert!(due.contains(&"投产".to_owned()), "{due:?}");
        assert!(!due.contains(&"达产".to_owned()), "months away: {due:?}");
        let (_, home) = session.get_text("/").await;
        assert!(home.contains("逾期及两周内到期的节点") && home.contains("还有5天"), "{home}");

        // A liaison leader sees their own projects, with their status.
        let liaison = app.api_client("yc.baolian").await;
        let (_, overview) = liaison.get("/api/v1/home").await;
        let mine = overview["todo"]["my_projects"].as_array().unwrap().clone();
        let (_, me) = liaison.get("/api/v1/me").await;
        let (_, ledger) = api
            .get(&format!("/api/v1/projects?liaison_user_id={}&inactive=yes", me["id"]))
            .await;
        assert_eq!(mine.len() as i64, ledger["page"]["total"].as_i64().unwrap(), "{overview}");
        assert!(!mine.is_empty(), "the demo gives the liaison leader projects");
        let (_, home) = app.login("yc.baolian").await.get_text("/").await;
        assert!(home.contains("我的项目") && home.contains(mine[0]["name"].as_str().unwrap()), "{home}");

        // A province supervisor sees the zones ranked against 序时进度.
        let supervisor = app.login("sheng.duban").await;
        let (_, home) = supervisor.get_text("/").await;
        assert!(home.contains("各开发区推进情况") && home.contains("运城经济技术开发区"), "{home}");
        let duban = app.api_client("sheng.duban").await;
        let (_, overview) = duban.get("/api/v1/home").await;
        let zones = overview["todo"]["zones"].as_array().unwrap();
        assert!(zones.len() > 1, "{overview}");
        assert_eq!(zones[0]["rank"], 1);
        let yc = zones.iter().find(|z| z["progress"]["zone_id"] == zone).unwrap();
        assert!(yc["progress"]["red"].as_i64().unwrap() >= 1, "{yc}");
    })
    .await;
}

#[tokio::test]
async fn a_supervisors_ledger_opens_with_zone_subtotals_that_add_up_to_its_totals() {
    each_backend(async |app| {
        let duban = app.api_client("sheng.duban").await;
        let (_, home) = duban.get("/api/v1/home").await;
        let (year, month) = (
            home["todo"]["year"].as_i64().unwrap(),
            home["todo"]["month"].as_i64().unwrap(),
        );
        let zones = home["todo"]["zones"].as_array().unwrap();
        let sum = |key: &str| -> i64 {
            zones
                .iter()
                .map(|z| z["progress"][key].as_i64().unwrap())
                .sum()
        };
        let (_, ledger) = duban
            .get(&format!("/api/v1/projects?year={year}&month={month}"))
            .await;
        let totals = &ledger["totals"];
        // Two code paths, one set of figures: the subtotals add up to the ledger's totals.
        assert_eq!(
            sum("projects"),
            totals["count"].as_i64().unwrap(),
            "{totals}"
        );
        assert_eq!(
            sum("planned"),
            totals["planned_investment"].as_i64().unwrap()
        );
        assert_eq!(sum("ytd"), totals["ytd"].as_i64().unwrap());
        let session = app.login("sheng.duban").await;
        let (_, page) = session.get_text("/projects").await;
        assert!(
            page.contains("data-testid=\"by-zone\"") && page.contains("按开发区汇总"),
            "{page}"
        );
        let zone = app
            .demo
            .zones
            .iter()
            .find(|z| z.name == "运城经济技术开发区")
            .unwrap();
        assert!(
            page.contains(&format!(
                "/projects?zone_id={}&#38;year={year}&#38;month={month}",
                zone.id
            )),
            "{page}"
        );
        // Narrowed by a filter, or inside a zone, the list has no subtotals.
        let (_, narrowed) = session.get_text("/projects?stage=started").await;
        assert!(!narrowed.contains("data-testid=\"by-zone\""));
        let clerk = app.login("yc.staff").await;
        let (_, own) = clerk.get_text("/projects").await;
        assert!(!own.contains("data-testid=\"by-zone\""));
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_of_more_zones_than_a_page_holds_sees_them_summed_by_unit() {
    each_backend(async |app| {
        use kfq_domain::{OrgKind, UnitAdmin};
        use kfq_store::{Actor, OrgInput};
        let duban = app.api_client("sheng.duban").await;
        let (_, before) = duban.get("/api/v1/home").await;
        let zones_before = before["todo"]["zones"].as_array().unwrap().len();
        // A city of 300 new zones, no projects: the province now has more
        // zones than a home page lists.
        let actor = Actor::system("测试");
        let org = |kind, parent, name: String, code: Option<String>| OrgInput {
            kind,
            parent_id: Some(parent),
            name,
            zone_level: code.is_some().then_some(kfq_domain::ZoneLevel::Provincial),
            zone_type: code.is_some().then_some(kfq_domain::ZoneType::Economic),
            code,
        };
        let province = app.store.org_by_code_unscoped("140000").await.unwrap();
        let city = app
            .store
            .create_org(
                &actor,
                &UnitAdmin::operator(),
                &org(OrgKind::City, province.id, "测试市".into(), None),
            )
            .await
            .unwrap();
        for n in 0..300 {
            app.store
                .create_org(
                    &actor,
                    &UnitAdmin::operator(),
                    &org(
                        OrgKind::Zone,
                        city.id,
                        format!("测试开发区{n}"),
                        Some(format!("T{n:03}")),
                    ),
                )
                .await
                .unwrap();
        }
        let (_, overview) = duban.get("/api/v1/home").await;
        assert!(
            overview["todo"]["zones"].as_array().unwrap().is_empty(),
            "{overview}"
        );
        let regions = overview["todo"]["regions"].as_array().unwrap();
        let summed: i64 = regions
            .iter()
            .map(|r| r["progress"]["zones"].as_i64().unwrap())
            .sum();
        assert_eq!(
            summed as usize,
            zones_before + 300,
            "every zone counted once: {regions:?}"
        );
        let new_city = regions
            .iter()
            .find(|r| r["progress"]["zone_name"] == "测试市")
            .unwrap();
        assert_eq!(new_city["progress"]["zones"], 300);
        assert_eq!(
            new_city["completion_tenths"],
            serde_json::Value::Null,
            "no plan: ranked last"
        );
        assert_eq!(new_city["rank"].as_u64().unwrap() as usize, regions.len());
        let planned: i64 = regions
            .iter()
            .map(|r| r["progress"]["planned"].as_i64().unwrap())
            .sum();
        let planned_before: i64 = before["todo"]["zones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|z| z["progress"]["planned"].as_i64().unwrap())
            .sum();
        assert_eq!(planned, planned_before, "the sums are the zones' sums");
        let session = app.login("sheng.duban").await;
        let (_, home) = session.get_text("/").await;
        assert!(
            home.contains("各地推进情况") && home.contains("测试市"),
            "{home}"
        );
        assert!(home.contains(&format!("/monthly-bulletins?org_id={}", city.id)));
    })
    .await;
}

/// The links of a page that lead to another page of the application.
fn page_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .filter(|href| {
            href.starts_with('/') && !href.starts_with("/static") && !href.starts_with("//")
        })
        .collect()
}

#[tokio::test]
async fn an_enterprise_user_sees_its_own_projects_and_no_dead_links() {
    each_backend(async |app| {
        let session = app.login("yc.qiye").await;
        let (status, home) = session.get_text("/").await;
        assert_eq!(status, StatusCode::OK);
        // Its projects, and a menu of 首页 and 项目台账 only.
        assert!(home.contains("我的项目"), "{home}");
        for other in [
            "/dispatch",
            "/indicators",
            "/assessment",
            "/investment",
            "/orgs",
        ] {
            assert!(
                !home.contains(&format!("href=\"{other}\"")),
                "{other} offered: {home}"
            );
        }
        let api = app.api_client("yc.qiye").await;
        let (_, overview) = api.get("/api/v1/home").await;
        let mine = overview["todo"]["my_projects"].as_array().unwrap().clone();
        assert!(
            !mine.is_empty(),
            "the demo binds yc.qiye to an enterprise with projects"
        );
        let (_, ledger) = api.get("/api/v1/projects?inactive=yes").await;
        assert_eq!(ledger["page"]["total"].as_i64().unwrap(), mine.len() as i64);

        // Every link on its pages, two clicks deep, opens.
        let mut seen = std::collections::BTreeSet::new();
        let mut next = vec!["/".to_owned()];
        for _ in 0..2 {
            let mut found = Vec::new();
            for path in next {
                if !seen.insert(path.clone()) {
                    continue;
                }
                let (status, body) = session.get_text(&path).await;
                assert!(status.is_success(), "{path}: {status}");
                found.extend(page_links(&body));
            }
            next = found;
        }
        assert!(seen.iter().any(|p| p.starts_with("/projects/")), "{seen:?}");
        for path in next.into_iter().filter(|p| !seen.contains(p)) {
            let status = session.get(&path).await.status();
            assert!(status.is_success(), "{path}: {status}");
        }
    })
    .await;
}

#[tokio::test]
async fn liaison_choices_are_the_zones_liaison_leaders() {
    each_backend(async |app| {
        let zone = app.zone("运城经济技术开发区").id;
        let session = app.login("yc.staff").await;
        let (status, page) = session
            .get_text(&format!("/projects/new?zone_id={zone}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let select = page
            .split("name=\"liaison_user_id\"")
            .nth(1)
            .and_then(|rest| rest.split("</select>").next())
            .expect("the 包联领导 picker");
        assert!(select.contains("包联领导"), "{select}");
        assert!(
            !select.contains("管理员"),
            "an administrator is no liaison leader: {select}"
        );
        assert!(!select.contains("企业用户"), "{select}");
    })
    .await;
}

#[tokio::test]
async fn a_ledger_read_again_shows_every_change_since() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let session = app.login("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let list = format!("/api/v1/projects?zone_id={zone}&year=2024&month=6&q=缓存校验");
        let page = "/projects?year=2024&month=6&q=缓存校验";
        let (_, empty) = api.get(&list).await;
        assert_eq!(empty["totals"]["count"], 0);
        let (status, p) = api
            .post(
                "/api/v1/projects",
                &json!({ "zone_id": zone, "name": "缓存校验项目", "category": "industrial", "nature": "new",
                         "total_investment": "5000", "stage": "started" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let id = p["id"].as_i64().unwrap();
        // The same question asked again, twice over: the second answer may be
        // kept, but never older than the data.
        for _ in 0..2 {
            let (_, ledger) = api.get(&list).await;
            assert_eq!(ledger["totals"]["count"], 1);
            assert_eq!(ledger["totals"]["ytd"], 0);
        }
        let (_, text) = session.get_text(page).await;
        assert!(text.contains("缓存校验项目"));
        let (status, body) = api
            .post(&format!("/api/v1/projects/{id}/investments"), &json!({ "year": 2024, "month": 3, "amount": "800" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, ledger) = api.get(&list).await;
        assert_eq!(ledger["totals"]["ytd"], 8_000_000_i64, "the month just reported");
        assert_eq!(ledger["page"]["items"][0]["ytd"], 8_000_000_i64);
        let (_, text) = session.get_text(page).await;
        assert!(text.contains("0.08"), "the page's year-to-date in 亿元 too");
        let (status, body) = api
            .post(&format!("/api/v1/projects/{id}/investments"), &json!({ "year": 2024, "month": 4, "amount": "200" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, ledger) = api.get(&list).await;
        assert_eq!(ledger["totals"]["ytd"], 10_000_000_i64);
        let (_, text) = session.get_text(page).await;
        assert!(text.contains("0.10"));
    })
    .await;
}
