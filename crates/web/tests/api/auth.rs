//! Signing in and out, sessions, throttling and anti-forgery.

use kfq_demo::DEMO_PASSWORD;
use reqwest::StatusCode;

use crate::helpers::{browser, each_backend};

#[tokio::test]
async fn signing_in_sets_a_protected_cookie_and_out_ends_the_session() {
    each_backend(async |app| {
        let client = browser();
        let response = app.try_login(&client, "yc.staff", DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookies: Vec<_> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        let session = cookies
            .iter()
            .find(|c| c.starts_with("kfq_session="))
            .expect("a session cookie");
        assert!(
            session.contains("HttpOnly") && session.contains("SameSite=Lax"),
            "{session}"
        );
        assert!(
            !session.contains("Secure"),
            "plain HTTP in tests: {session}"
        );

        let home = client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("运城经开区经发部"),
            "the home page greets the user"
        );
        let csrf = crate::helpers::csrf_from(&home);
        let out = client
            .post(app.url("/logout"))
            .form(&[("_csrf", csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        let after = client.get(app.url("/")).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::SEE_OTHER);
        assert!(after.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login"));
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_throttled() {
    each_backend(async |app| {
        let client = browser();
        for _ in 0..5 {
            let response = app.try_login(&client, "yc.staff", "wrong-password-1").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            assert!(response
                .text()
                .await
                .unwrap()
                .contains("用户名或密码不正确"));
        }
        // Now even the right password waits.
        let response = app.try_login(&client, "yc.staff", DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(response.text().await.unwrap().contains("登录失败次数过多"));
        // Another account from the same place is not locked by that.
        let response = app.try_login(&browser(), "yc.admin", DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        // An unknown name is refused like a wrong password.
        let response = app
            .try_login(&browser(), "nobody.here", DEMO_PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn an_idle_session_expires() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let token = session
            .client
            .get(session.url("/"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(token, StatusCode::OK);
        // Age every session of the database past the idle timeout.
        let config = kfq_web::WebConfig::default();
        let raw = sqlx_age_all(&app, config.session_idle_ms + 1000).await;
        assert!(raw >= 1);
        let response = session.get("/").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let api = session
            .client
            .get(session.url("/api/v1/me"))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
        let body: serde_json::Value = api.json().await.unwrap();
        assert_eq!(body["error"]["message"], "请先登录。");
    })
    .await;
}

async fn sqlx_age_all(app: &crate::helpers::TestApp, by_ms: i64) -> usize {
    // Sessions are found by token hash; tests age them through the store.
    let tokens = app.store.session_tokens_for_tests().await.unwrap();
    for token_hash in &tokens {
        app.store.age_session_hash(token_hash, by_ms).await.unwrap();
    }
    tokens.len()
}

#[tokio::test]
async fn forms_without_the_anti_forgery_token_are_refused() {
    each_backend(async |app| {
        let session = app.login("yc.admin").await;
        let zone = app.zone("运城经济技术开发区").id.to_string();
        let fields = [
            ("parent_id", zone.as_str()),
            ("kind", "department"),
            ("name", "伪造部门"),
        ];
        let forged = session
            .client
            .post(session.url("/orgs"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert!(forged.text().await.unwrap().contains("页面已过期"));
        let mut wrong = fields.to_vec();
        wrong.push(("_csrf", "not-the-token"));
        let forged = session
            .client
            .post(session.url("/orgs"))
            .form(&wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        // A script with the cookie but without the header is refused too.
        let forged = session
            .client
            .post(session.url("/api/v1/orgs"))
            .json(
                &serde_json::json!({ "parent_id": zone, "kind": "department", "name": "伪造部门" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        // The real form goes through.
        let ok = session.post_form("/orgs", &fields).await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        // A login form without its token is refused as well.
        let login = browser()
            .post(app.url("/login"))
            .form(&[("username", "yc.admin"), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn api_tokens_work_without_cookies_and_die_when_revoked() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (status, me) = api.get("/api/v1/me").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["username"], "yc.staff");
        assert!(me.get("password_hash").is_none());
        let (_, tokens) = api.get("/api/v1/me/tokens").await;
        let id = tokens[0]["id"].as_i64().unwrap();
        let (status, _) = api
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/me/tokens/{id}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = api.get("/api/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthenticated");
    })
    .await;
}

#[tokio::test]
async fn visitors_are_sent_to_the_login_page_and_back() {
    each_backend(async |app| {
        let client = browser();
        let response = client
            .get(app.url("/enterprises?q=晋恒"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with("/login?next=%2Fenterprises"),
            "{location}"
        );
        let page = client
            .get(app.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("value=\"/enterprises?q="),
            "the form carries where to go next"
        );
        let api = client
            .get(app.url("/api/v1/enterprises"))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    })
    .await;
}
