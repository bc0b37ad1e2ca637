//! A project's 修改记录 read as a person reads it: Chinese labels, values as
//! typed, one entry per change, the changes of its plans, months, blockers,
//! milestones and stages included.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::each_backend;

/// The list of changes on a history page (without the page's frame).
fn changes_of(page: &str) -> &str {
    let start = page
        .find("<ol class=\"history\">")
        .expect("the list of changes");
    let end = page[start..].find("</ol>").expect("its end") + start;
    &page[start..end]
}

#[tokio::test]
async fn a_projects_history_reads_in_words() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let session = app.login("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, orgs) = api
            .get(&format!("/api/v1/orgs?parent_id={zone}&kind=department"))
            .await;
        let department = orgs["items"][0].clone();
        assert!(department["id"].is_i64(), "a department of the zone: {orgs}");
        let department_name = department["name"].as_str().unwrap().to_owned();

        let body = |total: &str, version: Option<i64>, department_id: Value, registered: bool| {
            json!({ "zone_id": zone, "name": "修改记录测试项目", "category": "industrial", "nature": "new",
                    "total_investment": total, "land_mu": "86.5", "department_id": department_id,
                    "registered": registered, "version": version })
        };
        let mut created = body("120000", None, Value::Null, false);
        created["stage"] = json!("signed");
        let (status, p) = api.post("/api/v1/projects", &created).await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let id = p["id"].as_i64().unwrap();
        // A field: the total, the department, 入库.
        let (status, p) = api
            .put(
                &format!("/api/v1/projects/{id}"),
                &body("150000.5", p["version"].as_i64(), department["id"].clone(), true),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{p}");
        // The year's plan and a month's figure, corrected.
        let (status, _) = api
            .post(&format!("/api/v1/projects/{id}/plans"), &json!({ "year": 2024, "planned_investment": "30000" }))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, june) = api
            .post(&format!("/api/v1/projects/{id}/investments"), &json!({ "year": 2024, "month": 6, "amount": "1200" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{june}");
        let (status, _) = api
            .post(
                &format!("/api/v1/projects/{id}/investments"),
                &json!({ "year": 2024, "month": 6, "amount": "1250", "version": june["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // A blocker, resolved.
        let (status, b) = api
            .post(
                &format!("/api/v1/projects/{id}/blockers"),
                &json!({ "factor": "power", "description": "35千伏专线未接入", "raised_on": "2024-05-06",
                         "department_id": department["id"], "deadline": "2024-06-30" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{b}");
        let (status, _) = api
            .put(
                &format!("/api/v1/blockers/{}", b["id"]),
                &json!({ "factor": "power", "description": "35千伏专线未接入", "raised_on": "2024-05-06",
                         "department_id": department["id"], "deadline": "2024-06-30", "status": "resolved",
                         "resolution": "供电公司完成接入", "resolved_on": "2024-06-20", "version": b["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // Milestones planned backwards, then the target moved a month.
        for date in ["2024-10-01", "2024-11-01"] {
            let (status, planned) = api
                .post(&format!("/api/v1/projects/{id}/schedule"), &json!({ "target_key": "production", "target_date": date }))
                .await;
            assert_eq!(status, StatusCode::OK, "{planned}");
        }
        // A stage advanced, then corrected with a reason.
        let (_, p) = api.get(&format!("/api/v1/projects/{id}")).await;
        let (status, p) = api
            .post(
                &format!("/api/v1/projects/{id}/stage"),
                &json!({ "stage": "started", "date": "2024-03-18", "version": p["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let (status, p) = api
            .post(
                &format!("/api/v1/projects/{id}/stage"),
                &json!({ "stage": "signed", "date": "2024-03-01", "correction": true,
                         "reason": "误报开工，实际尚在办理施工许可", "version": p["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{p}");

        let (status, page) = session.get_text(&format!("/projects/{id}/history")).await;
        assert_eq!(status, StatusCode::OK);
        let list = changes_of(&page);
        for shown in [
            // The field edit: labels, 万元 as typed, the department by name, 是/否.
            "修改项目",
            "总投资",
            "120000 万元",
            "150000.5 万元",
            "责任部门",
            department_name.as_str(),
            "是否入库",
            // The creation shows what it was created with: 亩, the stage by name.
            "新建项目",
            "86.5 亩",
            "项目类别",
            "产业类",
            // Plan and month, named by their year and month.
            "新建年度计划",
            "2024年",
            "年度计划投资",
            "30000 万元",
            "修改月度投资",
            "2024年6月",
            "当月完成投资",
            "1200 万元",
            "1250 万元",
            // The blocker, by its factor and description, its status in words.
            "修改困难问题",
            "电：35千伏专线未接入",
            "办理状态",
            "待办",
            "已解决",
            "供电公司完成接入",
            // The milestones: one line per node, named by the node.
            "修改节点计划",
            "投产",
            "2024年9月30日",
            "竣工",
            // The stages, with the correction's reason.
            "推进阶段",
            "开工",
            "2024年3月18日",
            "更正阶段",
            "更正原因：误报开工，实际尚在办理施工许可",
            "签约",
            "所属开发区",
            "运城经济技术开发区",
        ] {
            assert!(list.contains(shown), "{shown:?} is on the page:\n{list}");
        }
        for raw in [
            "total_investment",
            "stage_since",
            "version",
            "department_id",
            "land_mu",
            "planned_on",
            "pre_construction",
            "started",
            "{",
            "}",
            "null",
            "#",
        ] {
            assert!(!list.contains(raw), "{raw:?} is not on the page:\n{list}");
        }
        // One entry per change, newest first: the eleven writes above, and
        // the 开工 node the stage filled and its correction cleared.
        assert_eq!(list.matches("<li class=\"card change\">").count(), 13, "{list}");
        assert!(list.find("更正阶段") < list.find("推进阶段"), "newest first");

        // The API twin gives the same entries, keys with labels.
        let (status, history) = api.get(&format!("/api/v1/projects/{id}/history")).await;
        assert_eq!(status, StatusCode::OK, "{history}");
        let entries = history.as_array().unwrap();
        assert_eq!(entries.len(), 13);
        assert_eq!(entries[0]["kind"], "更正阶段");
        assert_eq!(entries[0]["reason"], "误报开工，实际尚在办理施工许可");
        let edit = entries.iter().find(|e| e["kind"] == "修改项目").expect("the edit");
        let total = edit["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "total_investment")
            .expect("the total's change");
        assert_eq!(total["label"], "总投资");
        assert_eq!(total["before"], "120000 万元");
        assert_eq!(total["after"], "150000.5 万元");
        let month = entries.iter().find(|e| e["entity"] == "project_investment" && e["action"] == "update").unwrap();
        assert_eq!(month["subject"], "2024年6月");

        // Someone of another zone sees neither the page nor its twin.
        let other = app.api_client("lf.staff").await;
        let (status, _) = other.get(&format!("/api/v1/projects/{id}/history")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}
