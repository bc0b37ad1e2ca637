//! The API description is valid OpenAPI 3, covers every API route, and its
//! JSON bodies are the types the handlers read.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    browser, each_backend, field_errors, json_body_schema, openapi, spawn_app, typed,
};

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

/// The JSON bodies of every operation, as (method, path, body schema).
fn json_operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if let Some(schema) = json_body_schema(doc, method, path) {
                operations.push((method.to_ascii_uppercase(), path.clone(), schema));
            }
        }
    }
    operations
}

/// A body with every field of the schema, each of the type it says.
fn well_typed_body(schema: &Value) -> serde_json::Map<String, Value> {
    schema["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .map(|(name, property)| (name.clone(), typed(property, "1")))
                .collect()
        })
        .unwrap_or_default()
}

/// Every documented JSON body is the type the handler reads: a field it does
/// not have is refused with a 422 naming that field, before anything is done.
#[tokio::test]
async fn every_json_body_refuses_a_field_it_does_not_have() {
    each_backend(async |app| {
        let doc = openapi();
        let operations = json_operations(&doc);
        assert!(operations.len() > 30, "the API documents its JSON bodies");
        let admin = app.api_client("admin").await;
        // Path parameters are any id: the body is refused before one is looked up.
        let param = regex::Regex::new(r"\{[a-z_]+\}").unwrap();
        for (method, path, schema) in operations {
            let mut body = well_typed_body(&schema);
            body.insert("surplus_field".into(), json!("x"));
            let concrete = param.replace_all(&path, "1").into_owned();
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let (status, answer) = admin
                .send(method.clone(), &concrete, Some(&Value::Object(body)))
                .await;
            let what = format!("{:?} {method} {path}", app.backend);
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {answer}");
            let fields = answer["error"]["fields"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let named = fields
                .iter()
                .find(|f| f["field"] == "surplus_field")
                .unwrap_or_else(|| panic!("{what} does not name the field: {answer}"));
            assert_eq!(named["key"], "error.field.unknown", "{what}");
            assert_ne!(
                named["message"], named["key"],
                "{what}: the message is in Chinese"
            );
        }
    })
    .await;
}

/// A value of the wrong JSON type is a field error naming the field, in
/// Chinese, together with any other; nothing is written.
#[tokio::test]
async fn a_value_of_the_wrong_type_is_a_field_error() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (status, body) = admin
            .post(
                "/api/v1/projects",
                &json!({"zone_id": "abc", "name": ["甲"], "category": "industrial",
                    "nature": "new", "total_investment": {"wan": 1}}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let mut errors = field_errors(&body);
        errors.sort();
        assert_eq!(
            errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
            ["name", "total_investment", "zone_id"]
        );
        assert!(
            errors.contains(&("zone_id".into(), "请填写整数。".into())),
            "{errors:?}"
        );

        let (_, ledger) = admin
            .get(&format!(
                "/api/v1/projects?zone_id={zone}&year=2024&month=12"
            ))
            .await;
        let id = &ledger["page"]["items"][0]["id"];
        let (_, project) = admin.get(&format!("/api/v1/projects/{id}")).await;
        let (status, body) = admin
            .put(
                &format!("/api/v1/projects/{}", project["id"]),
                &json!({"zone_id": zone, "name": project["name"], "category": "industrial",
                    "nature": "new", "total_investment": 100, "version": []}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(field_errors(&body)[0].0, "version");
        let (_, same) = admin
            .get(&format!("/api/v1/projects/{}", project["id"]))
            .await;
        assert_eq!(same, project, "nothing was written");
    })
    .await;
}

/// Subscriptions take the event codes as a JSON list, as documented (a list
/// used to be read as none).
#[tokio::test]
async fn subscriptions_take_a_list_of_events() {
    each_backend(async |app| {
        let api = app.api_client("yc.admin").await;
        let (_, offered) = api.get("/api/v1/notifications/subscriptions").await;
        let codes: Vec<Value> = offered["available"]
            .as_array()
            .unwrap()
            .iter()
            .take(2)
            .map(|pair| pair[0].clone())
            .collect();
        let (status, set) = api
            .put(
                "/api/v1/notifications/subscriptions",
                &json!({ "events": codes }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{set}");
        let mut chosen: Vec<Value> = set["events"].as_array().unwrap().clone();
        let mut asked = codes;
        chosen.sort_by_key(Value::to_string);
        asked.sort_by_key(Value::to_string);
        assert_eq!(chosen, asked);
    })
    .await;
}

/// Schema names are global in the document: two types of one name (a
/// module's `CalendarDay` and the working-day calendar's) would silently
/// describe one with the other's fields.
#[test]
fn every_schema_name_is_taken_once() {
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for name in ["web", "app", "store", "domain", "attraction"] {
        sources(&crates.join(name).join("src"), &mut files);
    }
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !(line.contains("derive(") && line.contains("ToSchema")) {
                continue;
            }
            // The item the derive stands on, past its other attributes and docs.
            let item = lines[n + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !(l.starts_with("#[") || l.starts_with("///") || l.starts_with("//")));
            let Some(item) = item else { continue };
            let name = item
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub(super) ")
                .trim_start_matches("pub ")
                .split_whitespace()
                .nth(1)
                .map(|n| n.split(['<', '{', '(']).next().unwrap_or(n).to_owned());
            if let Some(name) = name {
                seen.entry(name)
                    .or_default()
                    .push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, at)| at.len() > 1).collect();
    assert!(seen.len() > 50, "the schemas were found: {}", seen.len());
    assert!(twice.is_empty(), "schema names taken twice: {twice:#?}");
}
