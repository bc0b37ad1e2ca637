//! Tokens and passwords (#15 point 4) and sign-in throttling that does not
//! lock the owner out (#15 point 5).

use kfq_demo::DEMO_PASSWORD;
use kfq_web::WebConfig;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{browser, each_backend, field_errors, spawn_app_with, Api, TestApp};

const DAY_MS: i64 = 86_400_000;

async fn user_id(app: &TestApp, username: &str) -> i64 {
    app.store
        .credentials(username)
        .await
        .unwrap()
        .expect("a demo account")
        .0
}

/// A browser whose requests come, by a trusted proxy's word, from `ip`.
fn browser_from(ip: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert("x-forwarded-for", HeaderValue::from_str(ip).unwrap());
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

fn bearer(app: &TestApp, token: &str) -> Api {
    Api {
        client: Client::new(),
        base: app.address.clone(),
        token: token.to_owned(),
    }
}

async fn get_json(session: &crate::helpers::Session, path: &str) -> (StatusCode, Value) {
    let response = session.get(path).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn me_status(app: &TestApp, token: &str) -> StatusCode {
    bearer(app, token).get("/api/v1/me").await.0
}

#[tokio::test]
async fn the_password_policy_refuses_common_and_personal_passwords() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        for (new, key) in [
            ("password12", "error.password.common"),
            ("1234567890a", "error.password.common"),
            ("woaini1314", "error.password.common"),
            ("Password2024!", "error.password.common"),
            ("ycstaff1", "error.password.short"),
            ("yc.staff2024", "error.password.personal"),
            ("ycstaff123456", "error.password.personal"),
        ] {
            let (status, body) = staff
                .put(
                    "/api/v1/me/password",
                    &json!({ "current_password": DEMO_PASSWORD, "new_password": new }),
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{new}");
            let fields = body["error"]["fields"].as_array().unwrap();
            assert_eq!(fields[0]["field"], "new_password", "{new}");
            assert_eq!(fields[0]["key"], key, "{new}");
            assert!(
                fields[0]["message"].as_str().unwrap().contains("密码"),
                "a Chinese message: {body}"
            );
        }
        // An administrator's reset and a new account follow the same policy.
        let admin = app.api_client("yc.admin").await;
        let staff_id = user_id(&app, "yc.staff").await;
        let (status, body) = admin
            .put(
                &format!("/api/v1/users/{staff_id}/password"),
                &json!({ "password": "qq12345678" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["fields"][0]["key"], "error.password.common");
        let zone = app.zone("运城经济技术开发区").id;
        let (status, body) = admin
            .post(
                "/api/v1/users",
                &json!({ "username": "li.ming", "display_name": "李明", "role": "zone_staff",
                         "org_unit_id": zone, "password": "liming888888" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(field_errors(&body).iter().any(|(f, _)| f == "password"));
        // A passphrase passes, and the demo password still signs in.
        let (status, _) = staff
            .put(
                "/api/v1/me/password",
                &json!({ "current_password": DEMO_PASSWORD, "new_password": "yellow-river-ferry-42" }),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let response = app.try_login(&browser(), "yc.admin", DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_reset_or_a_change_revokes_tokens_and_other_sessions() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        let session = app.login("yc.staff").await;
        assert_eq!(me_status(&app, &staff.token).await, StatusCode::OK);
        // The administrator resets the password: the token and the session end.
        let admin = app.api_client("yc.admin").await;
        let staff_id = user_id(&app, "yc.staff").await;
        let (status, _) = admin
            .put(
                &format!("/api/v1/users/{staff_id}/password"),
                &json!({ "password": "reset-by-admin-2026" }),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(
            me_status(&app, &staff.token).await,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            session.get("/account").await.status(),
            StatusCode::SEE_OTHER
        );
        // The owner signs in, makes a token, changes the password on the
        // account page: the token ends, the page's session stays.
        let client = browser();
        let response = app
            .try_login(&client, "yc.staff", "reset-by-admin-2026")
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let home = client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let here = crate::helpers::Session {
            client,
            base: app.address.clone(),
            csrf: crate::helpers::csrf_from(&home),
        };
        let made = here
            .post_json("/api/v1/me/tokens", &json!({ "name": "脚本" }))
            .await;
        assert_eq!(made.status(), StatusCode::CREATED);
        let token = made.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(me_status(&app, &token).await, StatusCode::OK);
        let changed = here
            .post_form(
                "/account/password",
                &[
                    ("current_password", "reset-by-admin-2026"),
                    ("new_password", "changed-by-owner-2026"),
                ],
            )
            .await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        assert_eq!(me_status(&app, &token).await, StatusCode::UNAUTHORIZED);
        assert_eq!(here.get("/account").await.status(), StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn tokens_expire_and_record_their_use() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        for days in [0, 366, -1] {
            let refused = session
                .post_json(
                    "/api/v1/me/tokens",
                    &json!({ "name": "x", "expires_in_days": days }),
                )
                .await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{days}");
            let body: Value = refused.json().await.unwrap();
            assert_eq!(body["error"]["fields"][0]["field"], "expires_in_days");
        }
        let now = kfq_store::now_ms();
        let made: Value = session
            .post_json("/api/v1/me/tokens", &json!({ "name": "默认" }))
            .await
            .json()
            .await
            .unwrap();
        let expires = made["expires_at"].as_i64().unwrap();
        assert!(
            (expires - (now + 90 * DAY_MS)).abs() < 60_000,
            "90 days by default"
        );
        let week: Value = session
            .post_json(
                "/api/v1/me/tokens",
                &json!({ "name": "一周", "expires_in_days": 7 }),
            )
            .await
            .json()
            .await
            .unwrap();
        let expires = week["expires_at"].as_i64().unwrap();
        assert!(
            (expires - (now + 7 * DAY_MS)).abs() < 60_000,
            "7 days chosen"
        );
        let token = week["token"].as_str().unwrap();
        assert_eq!(me_status(&app, token).await, StatusCode::OK);
        let (_, list) = bearer(&app, token).get("/api/v1/me/tokens").await;
        let listed = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == week["id"])
            .unwrap()
            .clone();
        assert!(listed["last_used_at"].as_i64().is_some(), "use is recorded");
        // Eight days on, the week's token is refused.
        app.store
            .age_api_token_for_tests(week["id"].as_i64().unwrap(), 8 * DAY_MS)
            .await
            .unwrap();
        assert_eq!(me_status(&app, token).await, StatusCode::UNAUTHORIZED);
        assert_eq!(
            me_status(&app, made["token"].as_str().unwrap()).await,
            StatusCode::OK
        );
        // The page offers the choice and shows the expiry.
        let (_, page) = session.get_text("/account").await;
        assert!(page.contains("name=\"expires_in_days\"") && page.contains("到期时间"));
    })
    .await;
}

#[tokio::test]
async fn administrators_list_and_revoke_a_users_tokens() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        let staff_id = user_id(&app, "yc.staff").await;
        let admin = app.api_client("yc.admin").await;
        let (status, tokens) = admin.get(&format!("/api/v1/users/{staff_id}/tokens")).await;
        assert_eq!(status, StatusCode::OK);
        let token_id = tokens[0]["id"].as_i64().unwrap();
        assert!(tokens[0]["expires_at"].as_i64().is_some());
        assert!(tokens[0].get("token").is_none(), "no secret is listed");
        // Nobody but those who manage the account.
        for other in ["yc.zhaoshang", "lf.staff"] {
            let other = app.api_client(other).await;
            let (status, _) = other.get(&format!("/api/v1/users/{staff_id}/tokens")).await;
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{status}"
            );
            let (status, _) = other
                .send(
                    reqwest::Method::DELETE,
                    &format!("/api/v1/users/{staff_id}/tokens/{token_id}"),
                    None,
                )
                .await;
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{status}"
            );
        }
        assert_eq!(me_status(&app, &staff.token).await, StatusCode::OK);
        // The user's page offers the revoke button to the administrator.
        let page = app.login("yc.admin").await;
        let (_, html) = page.get_text(&format!("/users/{staff_id}")).await;
        assert!(html.contains(&format!("/users/{staff_id}/tokens/{token_id}/revoke")));
        let (status, _) = admin
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/users/{staff_id}/tokens/{token_id}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(
            me_status(&app, &staff.token).await,
            StatusCode::UNAUTHORIZED
        );
        let (status, _) = admin
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/users/{staff_id}/tokens/{token_id}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // On the account's record, by name.
        let (_, history) = admin
            .get(&format!("/api/v1/users/{staff_id}/history"))
            .await;
        assert!(history.to_string().contains("token_revoked"), "{history}");
        // The page's button does the same.
        let second = app.api_client("yc.staff").await;
        let (_, tokens) = admin.get(&format!("/api/v1/users/{staff_id}/tokens")).await;
        let second_id = tokens[0]["id"].as_i64().unwrap();
        let revoked = page
            .post_form(&format!("/users/{staff_id}/tokens/{second_id}/revoke"), &[])
            .await;
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            me_status(&app, &second.token).await,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn password_checks_are_throttled_like_sign_in() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        let mut checked = 0;
        let mut throttled = 0;
        for _ in 0..30 {
            let (status, body) = staff
                .put(
                    "/api/v1/me/password",
                    &json!({ "current_password": "guess-number-1", "new_password": "yellow-river-ferry-42" }),
                )
                .await;
            match status {
                StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => {
                    throttled += 1;
                    assert!(body["error"]["message"].as_str().unwrap().contains("后再试"));
                }
                other => panic!("{other}: {body}"),
            }
        }
        assert_eq!(checked, 5, "five guesses, then the wait");
        assert_eq!(throttled, 25);
        // The right password waits too (nothing is checked while throttled).
        let response = staff
            .client
            .put(format!("{}/api/v1/me/password", staff.base))
            .bearer_auth(&staff.token)
            .json(&json!({ "current_password": DEMO_PASSWORD, "new_password": "yellow-river-ferry-42" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry = response.headers()["retry-after"].to_str().unwrap().to_owned();
        assert!(retry == "1" || retry == "2", "{retry}");
    })
    .await;
}

async fn attempt(
    app: &TestApp,
    ip: &str,
    username: &str,
    password: &str,
) -> (StatusCode, String, Option<String>) {
    let response = app.try_login(&browser_from(ip), username, password).await;
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, response.text().await.unwrap(), retry)
}

#[tokio::test]
async fn an_attacker_does_not_lock_the_owner_out() {
    for backend in kfq_store::testing::backends() {
        let config = WebConfig {
            trust_proxy: true,
            ..WebConfig::default()
        };
        let app = spawn_app_with(backend, config).await;
        let attacker = "203.0.113.9";
        for _ in 0..5 {
            let (status, _, _) = attempt(&app, attacker, "admin", "guess-number-1").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        // The attacker waits, right password or not …
        let (status, page, retry) = attempt(&app, attacker, "admin", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            page.contains("登录失败次数过多，请") && page.contains("秒后再试"),
            "backoff starts at 2 s"
        );
        assert!(matches!(retry.as_deref(), Some("1" | "2")), "{retry:?}");
        // … while the owner, elsewhere, signs in.
        let (status, _, _) = attempt(&app, "198.51.100.7", "admin", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // The wait doubles with every failure, up to 15 minutes.
        let now = kfq_store::now_ms();
        for _ in 0..4 {
            app.store
                .record_login_failure_at("admin", attacker, "login", now)
                .await
                .unwrap();
        }
        let (status, _, retry) = attempt(&app, attacker, "admin", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry.as_deref(), Some("32"), "9 failures: 2^5 s");
        for _ in 0..10 {
            app.store
                .record_login_failure_at("admin", attacker, "login", now)
                .await
                .unwrap();
        }
        let (_, page, retry) = attempt(&app, attacker, "admin", DEMO_PASSWORD).await;
        assert_eq!(retry.as_deref(), Some("900"));
        assert!(page.contains("15分钟"), "the wait in minutes");
        // An unknown name is throttled alike: nothing tells whether it exists.
        for _ in 0..5 {
            let (status, _, _) = attempt(&app, attacker, "nobody.here", "guess-number-1").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let (status, page, _) = attempt(&app, attacker, "nobody.here", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(page.contains("登录失败次数过多，请") && page.contains("秒后再试"));

        // Many clients against one account (50 failures in 15 minutes): a
        // client that has failed waits; one that has not still signs in.
        for i in 0..50 {
            app.store
                .record_login_failure("yc.admin", &format!("192.0.2.{i}"), "login")
                .await
                .unwrap();
        }
        let (status, _, _) = attempt(&app, "192.0.2.7", "yc.admin", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let (status, _, _) = attempt(&app, "198.51.100.8", "yc.admin", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "a clean client signs in");
        let (status, _, _) = attempt(&app, "198.51.100.9", "yc.admin", "guess-number-1").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a clean client gets its check"
        );
        let (status, _, _) = attempt(&app, "198.51.100.9", "yc.admin", DEMO_PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "then waits like the rest"
        );
    }
}

#[tokio::test]
async fn failed_attempts_are_shown_to_the_owner_and_administrators() {
    for backend in kfq_store::testing::backends() {
        let config = WebConfig {
            trust_proxy: true,
            ..WebConfig::default()
        };
        let app = spawn_app_with(backend, config).await;
        for _ in 0..3 {
            let (status, _, _) = attempt(&app, "203.0.113.77", "yc.staff", "guess-number-1").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let owner = app.login("yc.staff").await;
        let (_, page) = owner.get_text("/account").await;
        assert!(page.contains("最近30天登录失败 3 次"), "the owner is told");
        assert!(page.contains("203.0.113.77"), "with the client");
        let (status, failures) = get_json(&owner, "/api/v1/me/login-failures").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(failures["count"], 3);
        assert_eq!(failures["recent"][0]["ip"], "203.0.113.77");
        assert_eq!(failures["recent"][0]["kind"], "login");
        let staff_id = user_id(&app, "yc.staff").await;
        let admin = app.login("yc.admin").await;
        let (_, page) = admin.get_text(&format!("/users/{staff_id}")).await;
        assert!(page.contains("最近30天登录失败 3 次") && page.contains("203.0.113.77"));
        let (status, failures) =
            get_json(&admin, &format!("/api/v1/users/{staff_id}/login-failures")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(failures["count"], 3);
        let other = app.login("lf.staff").await;
        let (status, _) =
            get_json(&other, &format!("/api/v1/users/{staff_id}/login-failures")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, page) = other.get_text("/account").await;
        assert!(page.contains("最近30天没有登录失败"));
    }
}
