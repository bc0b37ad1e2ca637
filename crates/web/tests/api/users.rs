//! Accounts: creating, roles within limits, disabling.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{browser, each_backend, field_errors};

#[tokio::test]
async fn a_zone_admin_creates_staff_who_can_sign_in() {
    each_backend(async |app| {
        let api = app.api_client("yc.admin").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (status, user) = api
            .post(
                "/api/v1/users",
                &json!({ "username": "Wang.Wu", "display_name": "王五", "role": "zone_staff", "org_unit_id": zone,
                         "phone": "13912345678", "password": "yuncheng-2024-xm" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        assert_eq!(user["username"], "wang.wu");
        assert!(user.get("password_hash").is_none());
        let response = app.try_login(&browser(), "wang.wu", "yuncheng-2024-xm").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn nobody_hands_out_more_than_they_have() {
    each_backend(async |app| {
        let api = app.api_client("yc.admin").await;
        let zone = app.zone("运城经济技术开发区").id;
        let province = app.store.org_by_code_unscoped("140000").await.unwrap().id;
        let cases = [
            (json!({ "role": "supervisor", "org_unit_id": province }), "org_unit_id"),
            (json!({ "role": "system_admin", "org_unit_id": zone }), "role"),
            (json!({ "role": "zone_staff", "org_unit_id": app.zone("临汾经济开发区").id }), "org_unit_id"),
        ];
        for (n, (placement, field)) in cases.into_iter().enumerate() {
            let mut body = json!({ "username": format!("escalate{n}"), "display_name": "越权", "password": "climb-the-ranks-2024" });
            body.as_object_mut().unwrap().extend(placement.as_object().unwrap().clone());
            let (status, errors) = api.post("/api/v1/users", &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(field_errors(&errors)[0].0, field, "{errors}");
        }
        let staff = app.api_client("yc.staff").await;
        let (status, _) = staff.get("/api/v1/users").await;
        assert_eq!(status, StatusCode::OK, "listing is allowed but empty");
        let (status, _) = staff
            .post("/api/v1/users", &json!({ "username": "x.y.z", "display_name": "某", "role": "zone_staff", "org_unit_id": zone, "password": "abcdefgh12" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn weak_passwords_and_taken_names_are_refused() {
    each_backend(async |app| {
        let api = app.api_client("admin").await;
        let zone = app.zone("临汾经济开发区").id;
        let (status, errors) = api
            .post("/api/v1/users", &json!({ "username": "yc.staff", "display_name": "重名", "role": "zone_staff", "org_unit_id": zone, "password": "123" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors), vec![("password".to_string(), "密码至少10位。".to_string())]);
        let (status, errors) = api
            .post("/api/v1/users", &json!({ "username": "yc.staff", "display_name": "重名", "role": "zone_staff", "org_unit_id": zone, "password": "linfen-2024-abc" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors), vec![("username".to_string(), "该用户名已被使用。".to_string())]);
    })
    .await;
}

#[tokio::test]
async fn disabling_an_account_signs_it_out() {
    each_backend(async |app| {
        let victim = app.login("lf.staff").await;
        let api = app.api_client("admin").await;
        let (_, list) = api.get("/api/v1/users?q=lf.staff").await;
        let user = &list["items"][0];
        let id = user["id"].as_i64().unwrap();
        let (status, updated) = api
            .put(
                &format!("/api/v1/users/{id}"),
                &json!({ "display_name": user["display_name"], "role": "zone_staff", "org_unit_id": user["org_unit_id"],
                         "active": false, "version": user["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["active"], false);
        assert_eq!(victim.get("/").await.status(), StatusCode::SEE_OTHER);
        let response = app.try_login(&browser(), "lf.staff", kfq_demo::DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn an_update_without_active_keeps_the_account_as_it_is() {
    each_backend(async |app| {
        let signed_in = app.login("lf.staff").await;
        let api = app.api_client("admin").await;
        let (_, list) = api.get("/api/v1/users?q=lf.staff").await;
        let user = &list["items"][0];
        let id = user["id"].as_i64().unwrap();
        let body = |version: &serde_json::Value| {
            json!({ "display_name": "临汾工作人员", "role": "zone_staff",
                    "org_unit_id": user["org_unit_id"], "version": version })
        };
        let (status, updated) = api.put(&format!("/api/v1/users/{id}"), &body(&user["version"])).await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["display_name"], "临汾工作人员");
        assert_eq!(updated["active"], true, "still active");
        assert_eq!(signed_in.get("/").await.status(), StatusCode::OK, "still signed in");

        // A disabled account stays disabled the same way.
        let (_, disabled) = api
            .put(
                &format!("/api/v1/users/{id}"),
                &json!({ "display_name": "临汾工作人员", "role": "zone_staff", "org_unit_id": user["org_unit_id"],
                         "active": false, "version": updated["version"] }),
            )
            .await;
        assert_eq!(disabled["active"], false);
        let (status, again) = api.put(&format!("/api/v1/users/{id}"), &body(&disabled["version"])).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["active"], false, "still disabled");

        // The page's form is a checkbox: unticked sends nothing, and disables.
        let (_, enabled) = api
            .put(
                &format!("/api/v1/users/{id}"),
                &json!({ "display_name": "临汾工作人员", "role": "zone_staff", "org_unit_id": user["org_unit_id"],
                         "active": true, "version": again["version"] }),
            )
            .await;
        assert_eq!(enabled["active"], true);
        let admin = app.login("admin").await;
        let unit = user["org_unit_id"].to_string();
        let version = enabled["version"].to_string();
        let response = admin
            .post_form(
                &format!("/users/{id}/edit"),
                &[("display_name", "临汾工作人员"), ("role", "zone_staff"), ("org_unit_id", &unit), ("version", &version)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, now) = api.get(&format!("/api/v1/users/{id}")).await;
        assert_eq!(now["active"], false);
    })
    .await;
}

/// A liaison leader (包联领导) moved to another zone while still leading
/// projects in their own is refused, in Chinese and on the field to fix,
/// and the account stays where it was.
#[tokio::test]
async fn a_liaison_leader_is_not_moved_away_from_their_projects() {
    each_backend(async |app| {
        let api = app.api_client("admin").await;
        let (_, list) = api.get("/api/v1/users?q=yc.baolian").await;
        let user = list["items"][0].clone();
        let id = user["id"].as_i64().unwrap();
        let elsewhere = app.zone("临汾经济开发区").id;
        let (status, errors) = api
            .put(
                &format!("/api/v1/users/{id}"),
                &json!({ "display_name": user["display_name"], "role": "liaison", "org_unit_id": elsewhere,
                         "active": true, "version": user["version"] }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
        assert_eq!(
            field_errors(&errors),
            vec![(
                "org_unit_id".to_string(),
                "该用户仍是原开发区项目的包联领导，请先在台账中为这些项目更换包联领导，再调往其他单位。".to_string()
            )]
        );
        let (_, again) = api.get(&format!("/api/v1/users/{id}")).await;
        assert_eq!(again["org_unit_id"], user["org_unit_id"]);
        assert_eq!(again["version"], user["version"]);
    })
    .await;
}
