//! Org units through pages and the API.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{each_backend, field_errors};

#[tokio::test]
async fn a_zone_admin_adds_a_department_and_its_history_shows_it() {
    each_backend(async |app| {
        let session = app.login("yc.admin").await;
        // The ledger's filters, seen (and kept) before the department exists.
        let staff = app.login("yc.staff").await;
        let (_, ledger) = staff.get_text("/projects").await;
        assert!(ledger.contains("name=\"department_id\"") && !ledger.contains("行政审批局"));
        let zone = app.zone("运城经济技术开发区");
        let zone_id = zone.id.to_string();
        let created = session
            .post_form(
                "/orgs",
                &[
                    ("parent_id", &zone_id),
                    ("kind", "department"),
                    ("name", "行政审批局"),
                    ("code", ""),
                ],
            )
            .await;
        assert_eq!(created.status(), StatusCode::SEE_OTHER);
        let location = created.headers()["location"].to_str().unwrap().to_owned();
        let (status, page) = session.get_text(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("行政审批局") && page.contains("已保存"));
        // The ledger's department filter offers it at once.
        let (_, ledger) = staff.get_text("/projects").await;
        let from = ledger.find("name=\"department_id\"").unwrap();
        let to = from + ledger[from..].find("</select>").unwrap();
        assert!(
            ledger[from..to].contains("行政审批局"),
            "{}",
            &ledger[from..to]
        );
        let id = location
            .trim_start_matches("/orgs/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let (_, history) = session.get_text(&format!("/orgs/{id}/history")).await;
        assert!(
            history.contains("运城经开区管理员") && history.contains("新建"),
            "{history}"
        );
        // The zone page lists it among the departments.
        let (_, zone_page) = session.get_text(&format!("/orgs/{zone_id}")).await;
        assert!(zone_page.contains("行政审批局") && zone_page.contains("招商局"));
    })
    .await;
}

#[tokio::test]
async fn bad_input_gets_field_errors_in_chinese_and_stores_nothing() {
    each_backend(async |app| {
        let api = app.api_client("admin").await;
        let before = app.store.audit_recent(&kfq_domain::Visibility::All, 500).await.unwrap().len();
        // A value of the wrong JSON type is refused as the body is read.
        let (status, body) = api
            .post("/api/v1/orgs", &json!({ "kind": "zone", "parent_id": "abc", "name": "  ", "code": "运城" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&body), vec![("parent_id".to_string(), "请填写整数。".to_string())]);
        // Values that are wrong are all named at once.
        let (status, body) = api
            .post("/api/v1/orgs", &json!({ "kind": "zone", "parent_id": 1, "name": "  ", "code": "运城" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let errors = field_errors(&body);
        assert!(errors.contains(&("name".into(), "此项必填。".into())), "{errors:?}");
        assert!(errors.iter().any(|(f, m)| f == "code" && m.contains("代码只能包含")), "{errors:?}");
        // A zone under a department is not a shape the tree allows.
        let dept = app
            .store
            .orgs(&kfq_domain::Visibility::All, &kfq_store::OrgFilter { name_contains: Some("招商局".into()), ..Default::default() }, 0, 1)
            .await
            .unwrap()
            .items
            .remove(0);
        let (status, body) = api
            .post("/api/v1/orgs", &json!({ "kind": "zone", "parent_id": dept.id, "name": "新区", "code": "X-1", "zone_level": "provincial", "zone_type": "economic" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&body), vec![("parent_id".to_string(), "该上级机构下不能设立此类机构。".to_string())]);
        // Not JSON at all is a malformed request (400) with a reason in
        // Chinese, never a 500.
        let response = api
            .client
            .post(format!("{}/api/v1/orgs", api.base))
            .bearer_auth(&api.token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let said: serde_json::Value = response.json().await.unwrap();
        assert_eq!(said["error"]["code"], "bad_request");
        assert!(said["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("请求格式不正确"));
        let after = app.store.audit_recent(&kfq_domain::Visibility::All, 500).await.unwrap().len();
        assert_eq!(before, after, "nothing was written");
    })
    .await;
}

#[tokio::test]
async fn the_second_of_two_concurrent_edits_gets_a_conflict() {
    each_backend(async |app| {
        let api = app.api_client("admin").await;
        let zone = app.zone("忻州经济开发区");
        let (_, current) = api.get(&format!("/api/v1/orgs/{}", zone.id)).await;
        let version = current["version"].as_i64().unwrap();
        let edit = |name: &str| {
            json!({ "name": name, "code": current["code"], "zone_level": "national", "zone_type": "economic", "version": version })
        };
        let (status, first) = api.put(&format!("/api/v1/orgs/{}", zone.id), &edit("忻州经济开发区（一）")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first["version"].as_i64(), Some(version + 1));
        let (status, body) = api.put(&format!("/api/v1/orgs/{}", zone.id), &edit("忻州经济开发区（二）")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["message"], "该记录已被他人修改，请刷新页面后重新编辑。");
        let (_, now) = api.get(&format!("/api/v1/orgs/{}", zone.id)).await;
        assert_eq!(now["name"], "忻州经济开发区（一）");
        assert_eq!(now["zone_level"], "national");
        // Deleting needs the version too, and a unit with children stays.
        let (status, body) = api.send(Method::DELETE, &format!("/api/v1/orgs/{}", zone.id), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&body)[0].0, "version");
        let (status, body) = api
            .send(Method::DELETE, &format!("/api/v1/orgs/{}?version={}", zone.id, version + 1), None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_errors(&body)[0].1.contains("不能删除"));
    })
    .await;
}

#[tokio::test]
async fn staff_read_their_zone_but_cannot_reshape_it() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (status, list) = api.get("/api/v1/orgs").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["total"], 6, "the zone and its five departments");
        let zone = app.zone("运城经济技术开发区");
        let (status, _) = api
            .post(
                "/api/v1/orgs",
                &json!({ "kind": "department", "parent_id": zone.id, "name": "新部门" }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = api.get("/api/v1/orgs?kind=planet").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&body)[0],
            ("kind".into(), "请从列表中选择。".into())
        );
    })
    .await;
}
