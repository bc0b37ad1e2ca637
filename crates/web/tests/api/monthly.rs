//! 月度填报: a zone's month typed on one sheet and saved in one go.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, Api, Session};

const ZONE: &str = "运城经济技术开发区";

async fn new_project(api: &Api, zone: i64, name: &str) -> i64 {
    let (status, body) = api
        .post(
            "/api/v1/projects",
            &json!({"zone_id": zone, "name": name, "category": "industrial",
                    "nature": "new", "total_investment": "20000", "stage": "started"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

/// The number on the home page's "N月未填报的项目" tile.
async fn missing_on_home(session: &Session, month: u32) -> i64 {
    let (_, home) = session.get_text("/").await;
    let label = format!("{month}月未填报的项目");
    let at = home.find(&label).unwrap_or_else(|| panic!("{home}"));
    let before = &home[..at];
    let value = before.rsplit("<span class=\"value\">").next().unwrap();
    value.split('<').next().unwrap().trim().parse().unwrap()
}

fn last_month() -> (i32, u32) {
    kfq_app::ledger::monthly::default_month(kfq_app::clock::today())
}

#[tokio::test]
async fn a_clerk_reports_a_month_for_several_projects_at_once() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let session = app.login("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let ids = [
            new_project(&api, zone, "月报测试一号项目").await,
            new_project(&api, zone, "月报测试二号项目").await,
            new_project(&api, zone, "月报测试三号项目").await,
        ];
        let (year, month) = last_month();
        let period = format!("{year}-{month:02}");
        let missing_before = missing_on_home(&session, month).await;

        let here = format!("/projects/monthly?zone_id={zone}&period={period}");
        let (status, page) = session.get_text(&here).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("月报测试一号项目") && page.contains(&format!("{month}月完成（万元）"))
        );
        let (_, only_missing) = session.get_text(&format!("{here}&missing=1")).await;
        assert!(only_missing.contains("月报测试二号项目"));

        // One bad cell refuses the sheet: nothing is written, every typed
        // value comes back, the error sits by its row, the address stays.
        let (a, b, c) = (ids[0].to_string(), ids[1].to_string(), ids[2].to_string());
        let refused = session
            .post_form(
                &here,
                &[
                    (format!("amount_{a}").as_str(), "1,200.5"),
                    (format!("amount_{b}").as_str(), "一千"),
                    (format!("amount_{c}").as_str(), "300"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.unwrap();
        assert!(page.contains(r#"value="1,200.5""#) && page.contains(r#"value="一千""#));
        assert!(
            page.contains(&format!(r#"id="amount_{b}_error""#)),
            "{page}"
        );
        assert!(page.contains("月报测试二号项目：请填写金额"), "{page}");
        let action = page
            .split("class=\"month-sheet\"")
            .next()
            .unwrap()
            .rsplit("action=\"")
            .next()
            .unwrap();
        assert!(action.starts_with("/projects/monthly?zone_id"), "{action}");
        let (_, sheet) = api
            .get(&format!("/api/v1/zones/{zone}/months?period={period}"))
            .await;
        let line = |sheet: &Value, id: i64| {
            sheet["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["project_id"] == id)
                .cloned()
                .unwrap()
        };
        assert!(
            line(&sheet, ids[0])["reported"].is_null(),
            "nothing written"
        );

        // Corrected, the three rows are saved together.
        let saved = session
            .post_form(
                &here,
                &[
                    (format!("amount_{a}").as_str(), "1,200.5"),
                    (format!("amount_{b}").as_str(), "1000"),
                    (format!("amount_{c}").as_str(), "300"),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let (_, sheet) = api
            .get(&format!("/api/v1/zones/{zone}/months?period={period}"))
            .await;
        assert_eq!(line(&sheet, ids[0])["reported"]["amount"], 12_005_000);
        assert_eq!(line(&sheet, ids[1])["reported"]["amount"], 10_000_000);
        assert_eq!(
            missing_on_home(&session, month).await,
            missing_before - 3,
            "the home page's count drops"
        );
        // Each month written is audited on its own.
        let audit = app
            .store
            .audit_recent(&kfq_domain::Visibility::All, 50)
            .await
            .unwrap();
        let months = audit
            .iter()
            .filter(|e| e.entity == "project_investment" && e.actor_name == "运城经开区经发部")
            .count();
        assert_eq!(months, 3);

        // Changing a month already reported asks for the reason.
        let version = line(&sheet, ids[2])["reported"]["version"]
            .as_i64()
            .unwrap();
        let body = |amount: &str, note: Option<&str>| {
            json!({"period": period, "rows": [
                {"project_id": ids[2], "amount": amount, "version": version, "note": note}]})
        };
        let (status, refused) = api
            .put(&format!("/api/v1/zones/{zone}/months"), &body("350", None))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            refused["error"]["fields"][0]["field"],
            format!("note_{}", ids[2])
        );
        let (status, sheet) = api
            .put(
                &format!("/api/v1/zones/{zone}/months"),
                &body("350", Some("统计局核定数")),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{sheet}");
        assert_eq!(line(&sheet, ids[2])["reported"]["amount"], 3_500_000);
        assert_eq!(line(&sheet, ids[2])["reported"]["note"], "统计局核定数");
        // Saved again from a stale read: a conflict, not a silent overwrite.
        let (status, _) = api
            .put(
                &format!("/api/v1/zones/{zone}/months"),
                &body("360", Some("再改")),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // A month to come cannot be reported; another zone's sheet is not there.
        let (status, _) = api
            .get(&format!(
                "/api/v1/zones/{zone}/months?period={}-01",
                year + 2
            ))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let other = app.zone("太原武宿综合保税区").id;
        let (status, _) = api.get(&format!("/api/v1/zones/{other}/months")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// The number on the home page's "YYYY年未下达计划的项目" tile.
async fn plans_missing_on_home(session: &Session, year: i32) -> i64 {
    let (_, home) = session.get_text("/").await;
    let label = format!("{year}年未下达计划的项目");
    let at = home.find(&label).unwrap_or_else(|| panic!("{home}"));
    let before = &home[..at];
    let value = before.rsplit("<span class=\"value\">").next().unwrap();
    value.split('<').next().unwrap().trim().parse().unwrap()
}

#[tokio::test]
async fn a_clerk_sets_a_years_plans_on_one_sheet() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let session = app.login("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let ids = [
            new_project(&api, zone, "计划测试一号项目").await,
            new_project(&api, zone, "计划测试二号项目").await,
        ];
        let year = kfq_app::ledger::plan_sheet::default_year(kfq_app::clock::today());
        let missing_before = plans_missing_on_home(&session, year).await;
        let here = format!("/projects/plans?zone_id={zone}&year={year}");
        let (status, page) = session.get_text(&format!("{here}&missing=1")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("计划测试一号项目") && page.contains(&format!("{year}年计划投资（万元）")), "{page}");
        // Last year's completion is named by its months while it still runs.
        let (now, month) = kfq_app::ledger::monthly::default_month(kfq_app::clock::today());
        let done = match (year - 1 == now && month < 12, month) {
            (true, 1) => format!("{now}年1月完成（万元）"),
            (true, m) => format!("{now}年1-{m}月完成（万元）"),
            (false, _) => format!("{}年完成（万元）", year - 1),
        };
        assert!(page.contains(&done), "{done} in {page}");

        // A bad cell refuses the sheet, keeping what was typed.
        let refused = session
            .post_form(
                &here,
                &[
                    (&format!("planned_{}", ids[0]), "12,000"),
                    (&format!("planned_{}", ids[1]), "一万"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = refused.text().await.unwrap();
        assert!(text.contains("value=\"一万\"") && text.contains("value=\"12,000\""), "{text}");
        let (_, sheet) = api.get(&format!("/api/v1/zones/{zone}/plans?year={year}")).await;
        let line = |sheet: &Value, id: i64| {
            sheet["lines"].as_array().unwrap().iter().find(|l| l["project_id"] == id).unwrap().clone()
        };
        assert!(line(&sheet, ids[0])["plan"].is_null(), "nothing half-stored");

        // Both saved at once; the home page's count drops by two.
        let saved = session
            .post_form(
                &here,
                &[
                    (&format!("planned_{}", ids[0]), "12,000"),
                    (&format!("planned_{}", ids[1]), "8000.5"),
                ],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(plans_missing_on_home(&session, year).await, missing_before - 2);

        // The API adjusts one plan at its version; a stale version is a conflict.
        let (_, sheet) = api.get(&format!("/api/v1/zones/{zone}/plans?year={year}")).await;
        let first = line(&sheet, ids[0]);
        assert_eq!(first["plan"]["planned_investment"], 120_000_000_i64);
        let version = first["plan"]["version"].as_i64().unwrap();
        let (status, sheet) = api
            .put(
                &format!("/api/v1/zones/{zone}/plans"),
                &json!({"year": year, "rows": [{"project_id": ids[0], "planned": "15000", "version": version}]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{sheet}");
        assert_eq!(line(&sheet, ids[0])["plan"]["planned_investment"], 150_000_000_i64);
        let (status, body) = api
            .put(
                &format!("/api/v1/zones/{zone}/plans"),
                &json!({"year": year, "rows": [{"project_id": ids[0], "planned": "16000", "version": version}]}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (_, plans) = api.get(&format!("/api/v1/projects/{}/plans", ids[0])).await;
        assert_eq!(plans.as_array().unwrap().len(), 1);
        let (_, history) = api.get(&format!("/api/v1/projects/{}/history", ids[0])).await;
        assert!(history.to_string().contains("年度计划投资"), "each plan audited: {history}");
    })
    .await;
}
