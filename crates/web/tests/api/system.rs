//! Health, metrics, assets and the shell of the pages.

use reqwest::StatusCode;

use crate::helpers::{browser, each_backend};

#[tokio::test]
async fn health_and_metrics_answer() {
    each_backend(async |app| {
        let client = browser();
        let health = client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        assert_eq!(
            health.json::<serde_json::Value>().await.unwrap()["database"],
            "ok"
        );
        let _ = client.get(app.url("/login")).send().await.unwrap();
        let metrics = client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(metrics.contains("kfq_http_requests_total"), "{metrics}");
        assert!(metrics.contains("route=\"/login\""));
    })
    .await;
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_embedded_assets() {
    each_backend(async |app| {
        let client = browser();
        let page = client.get(app.url("/login")).send().await.unwrap();
        let headers = page.headers();
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'"));
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        for (file, kind) in [
            ("app.css", "text/css"),
            ("app.js", "text/javascript"),
            ("charts.js", "text/javascript"),
            ("favicon.svg", "image/svg+xml"),
        ] {
            let asset = client
                .get(app.url(&format!("/static/{file}")))
                .send()
                .await
                .unwrap();
            assert_eq!(asset.status(), StatusCode::OK);
            assert!(asset.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind));
        }
        assert_eq!(
            client
                .get(app.url("/static/nope.js"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn echarts_is_served_from_the_binary_gzipped_and_kept_by_version() {
    each_backend(async |app| {
        let client = browser();
        let session = app.login("sheng.duban").await;
        let (_, board) = session.get_text("/indicators").await;
        // The page names the file by its version and carries each chart's option.
        let src = board
            .split("<script src=\"")
            .filter_map(|s| s.split('"').next())
            .find(|s| s.starts_with("/static/echarts.min.js?v="))
            .expect("the board loads ECharts")
            .to_owned();
        assert!(board.contains("/static/charts.js"));
        let option = board
            .split("data-echarts=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a chart option")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let option: serde_json::Value = serde_json::from_str(&option).unwrap();
        assert_eq!(option["series"][0]["type"], "bar", "{option}");
        let gz = client
            .get(app.url(&src))
            .header("accept-encoding", "gzip, deflate, br")
            .send()
            .await
            .unwrap();
        assert_eq!(gz.status(), StatusCode::OK);
        assert_eq!(gz.headers()["content-encoding"], "gzip");
        assert!(gz.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        let packed = gz.bytes().await.unwrap().len();
        let plain = client.get(app.url(&src)).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none());
        let body = plain.text().await.unwrap();
        assert!(
            body.contains("echarts") && body.len() > 3 * packed,
            "{} vs {packed}",
            body.len()
        );
    })
    .await;
}

#[tokio::test]
async fn the_shell_offers_every_section_in_chinese() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let (status, home) = session.get_text("/").await;
        assert_eq!(status, StatusCode::OK);
        for label in [
            "首页",
            "项目台账",
            "调度通报",
            "招商引资",
            "经济指标",
            "企业服务",
            "安全生产",
            "考核",
            "系统管理",
        ] {
            assert!(home.contains(label), "{label} missing from the menu");
        }
        assert!(home.contains("lang=\"zh-CN\""));
        for path in ["/services", "/safety"] {
            let (status, page) = session.get_text(path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(page.contains("正在建设中"), "{path} says what is coming");
        }
        let (status, page) = session.get_text("/indicators").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("经济指标"), "the indicators section is built");
        let (status, page) = session.get_text("/assessment").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("季度考核"), "the assessment section is built");
        let (status, missing) = session.get_text("/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(missing.contains("没有找到"));
        let (status, _) = session.get_text("/orgs/not-a-number").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_database_out_of_reach_is_a_503_to_retry_never_a_500() {
    each_backend(async |app| {
        let api = app.api_client("admin").await;
        let page = app.login("lf.staff").await;
        // As during a failover: every new statement fails to get a connection.
        app.store.close().await;
        let response = api
            .client
            .get(format!("{}/api/v1/projects", api.base))
            .bearer_auth(&api.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()["retry-after"], "5");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unavailable", "{body}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("请稍后重试"));
        let (status, html) = page.get_text("/projects").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(html.contains("请稍后重试"), "{html}");
    })
    .await;
}

/// Nothing with personal data or figures is kept in a cache; assets are.
/// Over HTTPS (a trusted proxy says so) browsers are told to stay on it.
#[tokio::test]
async fn answers_are_not_cached_and_https_is_kept() {
    let config = kfq_web::state::WebConfig {
        trust_proxy: true,
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(kfq_store::Backend::Sqlite, config).await;
    let api = app.api_client("yc.staff").await;
    let session = app.login("yc.staff").await;
    for path in ["/", "/projects", "/projects/export.xlsx?year=2024"] {
        let page = session.get(path).await;
        assert_eq!(page.headers()["cache-control"], "no-store", "{path}");
        assert!(!page.headers().contains_key("strict-transport-security"));
    }
    let (status, _) = api.get("/api/v1/projects").await;
    assert_eq!(status, StatusCode::OK);
    let answer = browser()
        .get(app.url("/api/v1/openapi.json"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["cache-control"], "no-store");
    assert_eq!(
        answer.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let asset = browser()
        .get(app.url("/static/app.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.headers()["cache-control"], "public, max-age=3600");
}

/// /metrics is for this machine's scraper, or for whoever holds its token.
#[tokio::test]
async fn metrics_are_not_public() {
    let app = crate::helpers::spawn_app(kfq_store::Backend::Sqlite).await;
    let proxied = browser()
        .get(app.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(proxied.status(), StatusCode::NOT_FOUND);

    let config = kfq_web::state::WebConfig {
        metrics_token: Some("scrape-secret-7".into()),
        ..Default::default()
    };
    let app = crate::helpers::spawn_app_with(kfq_store::Backend::Sqlite, config).await;
    let bare = browser().get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(
        bare.status(),
        StatusCode::NOT_FOUND,
        "the token is asked even locally"
    );
    let wrong = browser()
        .get(app.url("/metrics"))
        .bearer_auth("scrape-secret-8")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let scraped = browser()
        .get(app.url("/metrics"))
        .bearer_auth("scrape-secret-7")
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
}

/// An API write without a token is a 401 in JSON, not a forgery refusal.
#[tokio::test]
async fn an_api_write_without_a_token_is_unauthenticated() {
    let app = crate::helpers::spawn_app(kfq_store::Backend::Sqlite).await;
    let answer = browser()
        .post(app.url("/api/v1/projects"))
        .json(&serde_json::json!({ "name": "无令牌" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated", "{body}");
}
