//! Enterprises through pages and the API.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{each_backend, field_errors, fresh_credit_code};

#[tokio::test]
async fn credit_codes_are_checked_and_unique() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let body = |code: &str| json!({ "zone_id": zone, "name": "山西测试新材料有限公司", "credit_code": code, "industry": "新材料" });
        let mut wrong = fresh_credit_code(1);
        wrong.pop();
        wrong.push('0');
        let wrong = if kfq_domain::CreditCode::parse(&wrong).is_ok() { format!("{}1", &wrong[..17]) } else { wrong };
        let (status, errors) = api.post("/api/v1/enterprises", &body(&wrong)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors), vec![("credit_code".to_string(), "统一社会信用代码校验位不正确，请核对。".to_string())]);
        let (status, errors) = api.post("/api/v1/enterprises", &body("12345")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_errors(&errors)[0].1.contains("18位"));
        let good = fresh_credit_code(2);
        let (status, created) = api.post("/api/v1/enterprises", &body(&good.to_lowercase())).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["credit_code"], good.as_str());
        assert_eq!(created["zone_name"], "运城经济技术开发区");
        let (status, errors) = api.post("/api/v1/enterprises", &body(&good)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors), vec![("credit_code".to_string(), "该统一社会信用代码已登记。".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn a_form_with_mistakes_comes_back_with_messages_and_values() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id.to_string();
        let response = session
            .post_form(
                "/enterprises",
                &[
                    ("zone_id", &zone),
                    ("name", "山西某某科技有限公司"),
                    ("credit_code", "91140800MA0000000X"),
                    ("contact_phone", "12345"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("提交的内容有误"));
        assert!(page.contains("请填写11位手机号"));
        assert!(
            page.contains("value=\"山西某某科技有限公司\""),
            "what was typed is kept"
        );
        assert!(page.contains("aria-invalid=\"true\""));
    })
    .await;
}

#[tokio::test]
async fn edits_are_versioned_and_recorded() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let api = app.api_client("yc.staff").await;
        let (_, list) = api.get("/api/v1/enterprises?q=晋恒").await;
        let e = &list["items"][0];
        let id = e["id"].as_i64().unwrap();
        let version = e["version"].as_i64().unwrap().to_string();
        let zone = e["zone_id"].as_i64().unwrap().to_string();
        let code = e["credit_code"].as_str().unwrap().to_owned();
        let fields = |name: &'static str| {
            vec![
                ("version", version.clone()),
                ("zone_id", zone.clone()),
                ("name", name.to_owned()),
                ("credit_code", code.clone()),
                ("contact_phone", "13800001234".to_owned()),
            ]
        };
        let first = fields("山西晋恒科技股份有限公司");
        let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = session
            .post_form(&format!("/enterprises/{id}/edit"), &first)
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let stale = fields("另一人的改法");
        let stale: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let conflict = session
            .post_form(&format!("/enterprises/{id}/edit"), &stale)
            .await;
        assert_eq!(conflict.status(), StatusCode::CONFLICT);
        assert!(conflict
            .text()
            .await
            .unwrap()
            .contains("该记录已被他人修改"));
        let (_, history) = api.get(&format!("/api/v1/enterprises/{id}/history")).await;
        let latest = &history[0];
        assert_eq!(latest["action"], "update");
        assert_eq!(latest["actor_name"], "运城经开区经发部");
        assert!(latest["before_json"]
            .as_str()
            .unwrap()
            .contains("山西晋恒科技有限公司"));
        assert!(latest["after_json"]
            .as_str()
            .unwrap()
            .contains("山西晋恒科技股份有限公司"));
        let (_, page) = session
            .get_text(&format!("/enterprises/{id}/history"))
            .await;
        assert!(
            page.contains("13800001234"),
            "the history page shows the changed fields"
        );
        // Under their labels, not their column names.
        assert!(
            page.contains("联系电话") && page.contains("企业名称") && page.contains("修改企业")
        );
        assert!(!page.contains("contact_phone") && !page.contains("credit_code"));
    })
    .await;
}

#[tokio::test]
async fn an_enterprise_account_sees_only_its_enterprise() {
    each_backend(async |app| {
        let api = app.api_client("yc.qiye").await;
        let (status, list) = api.get("/api/v1/enterprises").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["total"], 1);
        let own = list["items"][0]["id"].as_i64().unwrap();
        let (status, _) = api.get(&format!("/api/v1/enterprises/{own}")).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = api
            .put(
                &format!("/api/v1/enterprises/{own}"),
                &json!({ "name": "改名" }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, orgs) = api.get("/api/v1/orgs").await;
        assert_eq!(orgs["total"], 0);
        let (_, users) = api.get("/api/v1/users").await;
        assert_eq!(users["total"], 0);
    })
    .await;
}
