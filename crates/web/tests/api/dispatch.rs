use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::each_backend;

const ZONE: &str = "运城经济技术开发区";

#[tokio::test]
async fn the_weekly_sheet_shows_what_moved_and_carries_decisions_to_next_week() {
    each_backend(async |app| {
        let zone = app.zone(ZONE).id;
        let api = app.api_client("yc.staff").await;
        let (status, project) = api
            .post(
                "/api/v1/projects",
                &json!({"zone_id": zone, "name": "周调度测试项目", "category": "industrial",
                        "nature": "new", "total_investment": "50000", "stage": "planning"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{project}");
        let id = project["id"].as_i64().unwrap();
        // Signed on Wednesday 2024-06-12; a power problem raised that day, due on Friday.
        let (status, _) = api
            .post(
                &format!("/api/v1/projects/{id}/stage"),
                &json!({"stage": "signed", "date": "2024-06-12", "version": project["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, blocker) = api
            .post(
                &format!("/api/v1/projects/{id}/blockers"),
                &json!({"factor": "power", "description": "周调度测试：供电线路未接入",
                        "raised_on": "2024-06-12", "deadline": "2024-06-14"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{blocker}");
        let blocker_id = blocker["id"].as_i64().unwrap();

        let sheet = |week: &'static str| {
            let api = &api;
            async move {
                let (status, body) = api.get(&format!("/api/v1/dispatch?zone_id={zone}&week={week}")).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                body
            }
        };
        let this_week: Value = sheet("2024-06-13").await;
        assert_eq!(this_week["from"], "2024-06-10");
        assert_eq!(this_week["to"], "2024-06-16");
        let ours = |list: &Value| {
            list.as_array()
                .unwrap()
                .iter()
                .filter(|e| e["project_id"] == id)
                .count()
        };
        assert_eq!(ours(&this_week["stage_changes"]), 1);
        assert_eq!(ours(&this_week["opened"]), 1);
        let item = this_week["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == blocker_id)
            .expect("an overdue problem needs a leader");
        assert_eq!(item["overdue"], true);

        // The meeting decides; next week's sheet shows it.
        let (status, decision) = api
            .post(
                &format!("/api/v1/blockers/{blocker_id}/decisions"),
                &json!({"meeting_on": "2024-06-14", "decided_by": "王主任",
                        "decision": "协调供电公司月底前接入", "owner": "经发局", "due_on": "2024-06-30"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{decision}");
        let next: Value = sheet("2024-06-19").await;
        assert_eq!(ours(&next["stage_changes"]), 0, "last week's news is not repeated");
        let item = next["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == blocker_id)
            .unwrap();
        assert_eq!(item["decisions"][0]["decision"], "协调供电公司月底前接入");

        // Printable, and not writable from another zone.
        let session = app.login("yc.staff").await;
        let docx = session
            .get(&format!("/dispatch/sheet.docx?zone_id={zone}&week=2024-06-19"))
            .await;
        assert_eq!(docx.status(), StatusCode::OK);
        let read = kfq_docx::read_back(&docx.bytes().await.unwrap()).unwrap();
        assert!(read.tables.iter().flatten().flatten().any(|c| c.contains("协调供电公司月底前接入（王主任，2024-06-14）")));
        let (_, page) = session
            .get_text(&format!("/dispatch?zone_id={zone}&week=2024-06-19"))
            .await;
        assert!(page.contains("协调供电公司月底前接入"));
        let other = app.api_client("lf.staff").await;
        let (status, _) = other
            .post(
                &format!("/api/v1/blockers/{blocker_id}/decisions"),
                &json!({"meeting_on": "2024-06-14", "decided_by": "某", "decision": "某"}),
            )
            .await;
        assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{status}");
    })
    .await;
}
