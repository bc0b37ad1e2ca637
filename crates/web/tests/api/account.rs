//! The user's own account.

use kfq_demo::DEMO_PASSWORD;
use reqwest::StatusCode;

use crate::helpers::{browser, each_backend};

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    each_backend(async |app| {
        let here = app.login("yc.zhaoshang").await;
        let elsewhere = app.login("yc.zhaoshang").await;
        let wrong = here
            .post_form(
                "/account/password",
                &[
                    ("current_password", "nope"),
                    ("new_password", "zhaoshang-2025-new"),
                ],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.text().await.unwrap().contains("当前密码不正确"));
        let changed = here
            .post_form(
                "/account/password",
                &[
                    ("current_password", DEMO_PASSWORD),
                    ("new_password", "zhaoshang-2025-new"),
                ],
            )
            .await;
        assert_eq!(changed.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            here.get("/account").await.status(),
            StatusCode::OK,
            "this session stays"
        );
        assert_eq!(
            elsewhere.get("/account").await.status(),
            StatusCode::SEE_OTHER,
            "others end"
        );
        let old = app
            .try_login(&browser(), "yc.zhaoshang", DEMO_PASSWORD)
            .await;
        assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
        let new = app
            .try_login(&browser(), "yc.zhaoshang", "zhaoshang-2025-new")
            .await;
        assert_eq!(new.status(), StatusCode::SEE_OTHER);
        // The change is on record, without the hash.
        let history = app
            .store
            .audit_recent(&kfq_domain::Visibility::All, 5)
            .await
            .unwrap();
        let event = history
            .iter()
            .find(|e| e.action == "event")
            .expect("a password event");
        assert!(!event.after_json.as_deref().unwrap_or("").contains("argon2"));
    })
    .await;
}

#[tokio::test]
async fn a_token_is_shown_once_on_the_account_page() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let created = session
            .post_form("/account/tokens", &[("name", "月报脚本")])
            .await;
        assert_eq!(created.status(), StatusCode::OK);
        let page = created.text().await.unwrap();
        let start = page.find("kfq_").expect("the token is shown");
        let token: String = page[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let me = reqwest::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        let (_, again) = session.get_text("/account").await;
        assert!(
            again.contains("月报脚本") && !again.contains(&token),
            "listed, never shown again"
        );
        // Made and revoked on the account's record, never with the secret.
        let id = regex::Regex::new(r#"/account/tokens/(\d+)/revoke"#)
            .unwrap()
            .captures(&again)
            .expect("a revoke button")[1]
            .to_owned();
        let revoked = session
            .post_form(&format!("/account/tokens/{id}/revoke"), &[])
            .await;
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        let records = app
            .store
            .audit_recent(&kfq_domain::Visibility::All, 5)
            .await
            .unwrap();
        let said: Vec<&str> = records
            .iter()
            .filter(|e| e.entity == "user")
            .filter_map(|e| e.after_json.as_deref())
            .collect();
        assert!(said
            .iter()
            .any(|a| a.contains("token_created") && a.contains("月报脚本")));
        assert!(said.iter().any(|a| a.contains("token_revoked")));
        assert!(said.iter().all(|a| !a.contains(&token)), "{said:?}");
    })
    .await;
}

/// The header marks the page one is on, the account's and the notices' too.
#[tokio::test]
async fn the_header_marks_the_notifications_and_account_pages() {
    let app = crate::helpers::spawn_app(kfq_store::Backend::Sqlite).await;
    let session = app.login("yc.staff").await;
    for (path, link) in [
        ("/notifications", "/notifications"),
        ("/account", "/account"),
    ] {
        let (_, page) = session.get_text(path).await;
        assert!(
            page.contains(&format!(r#"<a href="{link}" aria-current="page""#)),
            "{path}: {page}"
        );
        assert!(
            !page.contains(r#"<a href="/" aria-current="page""#),
            "not 首页"
        );
    }
}
