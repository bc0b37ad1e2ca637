//! The API description is valid OpenAPI 3 and covers every API route.

use reqwest::StatusCode;

use crate::helpers::{browser, spawn_app};

#[tokio::test]
async fn every_api_route_is_described() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let response = browser()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let doc = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(doc.openapi.starts_with("3."));
    let paths = doc.paths.clone().unwrap_or_default();
    let mut missing = Vec::new();
    for route in kfq_web::route_table() {
        if !route.is_api() || route.path == "/api/v1/openapi.json" {
            continue;
        }
        let described = paths
            .get(route.path)
            .is_some_and(|item| match route.method.as_str() {
                "GET" => item.get.is_some(),
                "POST" => item.post.is_some(),
                "PUT" => item.put.is_some(),
                "DELETE" => item.delete.is_some(),
                _ => false,
            });
        if !described {
            missing.push(format!("{} {}", route.method, route.path));
        }
    }
    assert!(missing.is_empty(), "not in openapi.json: {missing:#?}");
}
