//! Input the database would refuse, or that makes no sense, is refused at the
//! edge with a 422 naming the field (#15 points 7 and 8): NUL, control and
//! bidi characters in every parameter of every route; names with nothing
//! visible; years outside 2000–2100; an import mapping's year and header row
//! out of range; a negative month without its reason; concurrent first
//! reports of one month. On both databases.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{admits, browser, each_backend, field_errors, Api, TestApp};

const ZONE: &str = "运城经济技术开发区";

/// Characters no text may carry: NUL, another C0 control, a C1 control and
/// a bidi override.
const FORBIDDEN: &[(&str, &str)] = &[
    ("\u{0}", "%00"),
    ("\u{1b}", "%1B"),
    ("\u{85}", "%C2%85"),
    ("\u{202E}", "%E2%80%AE"),
];

/// Requests sent and answers of 5xx, for the report a failing run prints.
#[derive(Default)]
struct Tally {
    sent: usize,
    server_errors: Vec<String>,
    not_named: Vec<String>,
}

impl Tally {
    fn record(&mut self, what: String, status: StatusCode, answer: &Value, field: Option<&str>) {
        self.sent += 1;
        if status.is_server_error() {
            self.server_errors
                .push(format!("{what}: {status} {answer}"));
            return;
        }
        if let Some(field) = field {
            let named = status == StatusCode::UNPROCESSABLE_ENTITY
                && answer["error"]["fields"].as_array().is_some_and(|fields| {
                    fields
                        .iter()
                        .any(|f| f["field"] == field && f["key"] == "error.control_chars")
                });
            if !named {
                self.not_named.push(format!("{what}: {status} {answer}"));
            }
        }
    }
}

/// The document the server serves.
async fn served_document(app: &TestApp) -> Value {
    let response = browser()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// `$ref` followed, once.
fn resolved(doc: &Value, schema: &Value) -> Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            doc["components"]["schemas"][name].clone()
        }
        None => schema.clone(),
    }
}

/// Whether a schema takes text (a string, or one of a oneOf that is one).
fn takes_text(doc: &Value, schema: &Value) -> bool {
    let schema = resolved(doc, schema);
    admits(&schema, "string")
        || ["oneOf", "anyOf"].iter().any(|k| {
            schema[k]
                .as_array()
                .is_some_and(|items| items.iter().any(|s| takes_text(doc, s)))
        })
}

/// A value the property's schema takes, with no text in it that matters.
fn plain(doc: &Value, property: &Value) -> Value {
    let property = resolved(doc, property);
    if admits(&property, "integer") || admits(&property, "number") {
        json!(1)
    } else if admits(&property, "boolean") {
        json!(false)
    } else if admits(&property, "array") {
        json!([])
    } else if admits(&property, "object") {
        json!({})
    } else {
        json!("1")
    }
}

/// The path with each `{param}` given `value`.
fn concrete(path: &str, value: &str) -> String {
    let param = regex::Regex::new(r"\{[a-z_]+\}").unwrap();
    param.replace_all(path, value).into_owned()
}

/// Every operation of the served document, each string query parameter and
/// each string field of its JSON or multipart body sent NUL, a control and
/// a bidi character, and its path parameters too: never a 5xx, and a query
/// parameter or body field is refused with a 422 naming it.
#[tokio::test]
async fn nul_and_controls_in_every_parameter_of_every_operation_are_refused() {
    each_backend(async |app| {
        let doc = served_document(&app).await;
        let admin = app.api_client("admin").await;
        let mut tally = Tally::default();
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let Ok(verb) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else {
                    continue;
                };
                if !matches!(
                    verb,
                    Method::GET | Method::POST | Method::PUT | Method::DELETE
                ) {
                    continue;
                }
                operations += 1;
                let at = concrete(path, "1");
                let params = operation["parameters"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                for (_, encoded) in FORBIDDEN {
                    // Path parameters.
                    if path.contains('{') {
                        let bad = concrete(path, encoded);
                        let (status, answer) = admin.send(verb.clone(), &bad, None).await;
                        tally.record(format!("{verb} {bad}"), status, &answer, None);
                    }
                    // Query parameters, one at a time.
                    for param in &params {
                        let name = param["name"].as_str().unwrap();
                        if param["in"] != "query" || !takes_text(&doc, &param["schema"]) {
                            continue;
                        }
                        let url = format!("{at}?{name}={encoded}");
                        let (status, answer) = admin.send(verb.clone(), &url, None).await;
                        tally.record(format!("{verb} {url}"), status, &answer, Some(name));
                    }
                }
                let content = &operation["requestBody"]["content"];
                let json_schema = resolved(&doc, &content["application/json"]["schema"]);
                if let Some(properties) = json_schema["properties"].as_object() {
                    let base: serde_json::Map<String, Value> = properties
                        .iter()
                        .map(|(name, p)| (name.clone(), plain(&doc, p)))
                        .collect();
                    for (name, property) in properties {
                        if !takes_text(&doc, property) {
                            continue;
                        }
                        for (raw, _) in FORBIDDEN {
                            let mut body = base.clone();
                            body.insert(name.clone(), json!(format!("甲{raw}乙")));
                            let (status, answer) = admin
                                .send(verb.clone(), &at, Some(&Value::Object(body)))
                                .await;
                            let what = format!("{verb} {path} {name}={raw:?}");
                            tally.record(what, status, &answer, Some(name));
                        }
                    }
                }
                let form_schema = resolved(&doc, &content["multipart/form-data"]["schema"]);
                if let Some(properties) = form_schema["properties"].as_object() {
                    for (name, property) in properties {
                        if !takes_text(&doc, property) || property["format"] == "binary" {
                            continue;
                        }
                        for (raw, _) in FORBIDDEN {
                            let form = reqwest::multipart::Form::new()
                                .text(name.clone(), format!("甲{raw}乙"))
                                .part(
                                    "file",
                                    reqwest::multipart::Part::bytes(b"a,b\n1,2\n".to_vec())
                                        .file_name("a.csv"),
                                );
                            let response = admin
                                .client
                                .request(verb.clone(), format!("{}{at}", admin.base))
                                .bearer_auth(&admin.token)
                                .multipart(form)
                                .send()
                                .await
                                .unwrap();
                            let status = response.status();
                            let answer: Value = response.json().await.unwrap_or(Value::Null);
                            let what = format!("{verb} {path} multipart {name}={raw:?}");
                            tally.record(what, status, &answer, Some(name));
                        }
                    }
                }
            }
        }
        eprintln!(
            "{:?}: {operations} operations, {} requests, {} answered 5xx, {} not named",
            app.backend,
            tally.sent,
            tally.server_errors.len(),
            tally.not_named.len()
        );
        assert!(operations > 60, "the document has its operations");
        assert!(tally.server_errors.is_empty(), "{:#?}", tally.server_errors);
        assert!(tally.not_named.is_empty(), "{:#?}", tally.not_named);
    })
    .await;
}

/// Every page and API route of the route table, signed in: a NUL in the
/// query string is a 422 (a page drawn with the message, or JSON naming the
/// parameter), never a 500; a form posted with NUL in a field is never a 5xx.
#[tokio::test]
async fn nul_in_the_query_of_every_route_is_a_422() {
    each_backend(async |app| {
        let session = app.login("admin").await;
        let mut sent = 0;
        let mut wrong = Vec::new();
        for route in kfq_web::route_table() {
            if route.path.contains("logout") || route.path.contains("/static/") {
                continue;
            }
            let path = concrete(route.path, "1");
            let url = session.url(&format!("{path}?q=%00&year=2024"));
            let request = session.client.request(route.method.clone(), url);
            let request = if route.method == Method::GET {
                request
            } else {
                request.header("X-CSRF-Token", &session.csrf)
            };
            let response = request.send().await.unwrap();
            sent += 1;
            let status = response.status();
            let is_json = response
                .headers()
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or_default().contains("json"));
            let text = response.text().await.unwrap();
            let named = if is_json {
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                field_errors(&body).iter().any(|(f, _)| f == "q")
            } else {
                text.contains("含有不可见的控制字符")
            };
            if status != StatusCode::UNPROCESSABLE_ENTITY || !named {
                wrong.push(format!("{} {}: {status}", route.method, route.path));
            }
            if route.method == Method::POST && !route.is_api() {
                let response = session
                    .post_form(&path, &[("name", "甲\u{0}"), ("note", "\u{0}")])
                    .await;
                sent += 1;
                if response.status().is_server_error() {
                    wrong.push(format!("form {}: {}", route.path, response.status()));
                }
            }
        }
        eprintln!("{:?}: {sent} requests to the route table", app.backend);
        assert!(wrong.is_empty(), "{wrong:#?}");
    })
    .await;
}

/// The login name and a label of the pages with NUL: refused, not a 500.
#[tokio::test]
async fn a_nul_login_name_is_refused() {
    each_backend(async |app| {
        let client = browser();
        let page = client.get(app.url("/login")).send().await.unwrap();
        let csrf = crate::helpers::csrf_from(&page.text().await.unwrap());
        let response = client
            .post(app.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "admin\u{0}"),
                ("password", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

/// A new project's body with `name`.
fn project(app: &TestApp, name: &str) -> Value {
    json!({ "zone_id": app.zone(ZONE).id, "name": name, "category": "industrial",
        "nature": "new", "total_investment": "5000" })
}

/// Names of nothing visible (zero-width characters, white space) or with a
/// bidi control are refused, by the API and by the page, which keeps the
/// user's typing.
#[tokio::test]
async fn names_must_show_something_and_hold_no_bidi_controls() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        for name in ["\u{200B}\u{200C}\u{200D}", "\u{FEFF} \u{3000}\u{200B}"] {
            let (status, body) = api.post("/api/v1/projects", &project(&app, name)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {body}");
            assert_eq!(
                field_errors(&body),
                [(
                    "name".to_string(),
                    "须包含可见的文字，不能只有空白或零宽字符。".to_string()
                )]
            );
        }
        for name in ["项目\u{202E}甲乙", "\u{2066}项目"] {
            let (status, body) = api.post("/api/v1/projects", &project(&app, name)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {body}");
            assert_eq!(field_errors(&body)[0].0, "name");
        }
        let (status, body) = api
            .post("/api/v1/projects", &project(&app, "\u{200B}可见的项目"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");

        // The page: the form again, 422, with the address as typed.
        let session = app.login("yc.staff").await;
        let response = session
            .post_form(
                "/enterprises",
                &[
                    ("zone_id", &app.zone(ZONE).id.to_string()),
                    ("name", "\u{200B}\u{200B}"),
                    ("credit_code", ""),
                    ("address", "解放路一号"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("须包含可见的文字"), "{page}");
        assert!(page.contains("解放路一号"), "the typing is kept");
    })
    .await;
}

/// Years outside 2000–2100 in a query, a form or a body are a 422 naming
/// the year, never ignored.
#[tokio::test]
async fn years_outside_2000_to_2100_are_refused_everywhere() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let (status, p) = api
            .post("/api/v1/projects", &project(&app, "年份检查项目"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let id = &p["id"];
        for year in ["-5", "99999", "1999", "2101", "2147483647"] {
            for url in [
                format!("/api/v1/projects?zone_id={zone}&year={year}"),
                format!("/api/v1/projects/fast-path?year={year}"),
                format!("/api/v1/assessments?year={year}"),
            ] {
                let (status, body) = api.get(&url).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
                assert_eq!(field_errors(&body)[0].0, "year", "{url}: {body}");
            }
            let number: i64 = year.parse().unwrap();
            for (list, body) in [
                (
                    "investments",
                    json!({ "year": number, "month": 3, "amount": "10" }),
                ),
                (
                    "plans",
                    json!({ "year": number, "planned_investment": "10" }),
                ),
            ] {
                let url = format!("/api/v1/projects/{id}/{list}");
                let (status, answer) = api.post(&url, &body).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {answer}");
                assert_eq!(field_errors(&answer)[0].0, "year");
            }
        }
        let session = app.login("yc.staff").await;
        for year in ["-5", "99999"] {
            let (status, page) = session
                .get_text(&format!("/projects/{id}?year={year}"))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
            assert!(page.contains("年份不正确"));
        }
        let (_, months) = api.get(&format!("/api/v1/projects/{id}/investments")).await;
        assert_eq!(months, json!([]), "nothing was written");
    })
    .await;
}

/// An exported ledger, as a workbook to import.
async fn exported(api: &Api, zone: i64) -> Vec<u8> {
    let response = api
        .client
        .get(format!("{}/projects/export.xlsx?zone_id={zone}", api.base))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap().to_vec()
}

async fn import(
    api: &Api,
    zone: i64,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new()
        .text("zone_id", zone.to_string())
        .text("commit", "true")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("台账.xlsx"),
        );
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    let response = api
        .client
        .post(format!("{}/api/v1/ledger-imports", api.base))
        .bearer_auth(&api.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// An import's year (chosen or the mapping's) outside 2000–2100 and a
/// header row outside the sheet are refused at once, and nothing is
/// committed.
#[tokio::test]
async fn an_import_mapping_out_of_range_is_refused_and_commits_nothing() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let bytes = exported(&api, zone).await;
        let (_, before) = api
            .get(&format!("/api/v1/projects?zone_id={zone}&year=2024"))
            .await;
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("mapping", r#"{"year": 2147483647}"#)], "mapping"),
            (&[("year", "2147483647")], "year"),
            (&[("year", "-5")], "year"),
            (&[("month", "13")], "month"),
            (
                &[(
                    "mapping",
                    r#"{"headers": [{"row": 4294967295, "rows": 1}]}"#,
                )],
                "mapping",
            ),
            (
                &[("mapping", r#"{"headers": [{"row": 50000, "rows": 1}]}"#)],
                "mapping",
            ),
            (
                &[("mapping", r#"{"headers": [{"row": 2, "rows": 9}]}"#)],
                "mapping",
            ),
        ];
        for (fields, field) in cases {
            let started = std::time::Instant::now();
            let (status, body) = import(&api, zone, &bytes, fields).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fields:?}: {body}"
            );
            assert_eq!(field_errors(&body)[0].0, *field, "{fields:?}: {body}");
            assert!(
                started.elapsed() < std::time::Duration::from_secs(3),
                "{fields:?} took {:?}",
                started.elapsed()
            );
        }
        let (_, after) = api
            .get(&format!("/api/v1/projects?zone_id={zone}&year=2024"))
            .await;
        assert_eq!(before, after, "nothing was committed");
        let (_, imports) = api
            .get(&format!("/api/v1/ledger-imports?zone_id={zone}"))
            .await;
        assert!(
            !imports.to_string().contains("2147483647"),
            "no import of that year: {imports}"
        );
    })
    .await;
}

/// A negative month is a correction and says why: without a note it is
/// refused (API and page), with one it is stored with it.
#[tokio::test]
async fn a_negative_month_needs_its_reason() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (status, p) = api
            .post("/api/v1/projects", &project(&app, "负数月报项目"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let months = format!("/api/v1/projects/{}/investments", p["id"]);
        for note in [json!(null), json!(""), json!("  ")] {
            let (status, body) = api
                .post(
                    &months,
                    &json!({ "year": 2025, "month": 5, "amount": "-20", "note": note }),
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(
                field_errors(&body),
                [(
                    "note".to_string(),
                    "金额为负数时须填写更正原因（说明）。".to_string()
                )]
            );
        }
        let session = app.login("yc.staff").await;
        let response = session
            .post_form(
                &format!("/projects/{}/investments", p["id"]),
                &[
                    ("year", "2025"),
                    ("month", "5"),
                    ("amount", "-20"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let (_, none) = api.get(&months).await;
        assert_eq!(none, json!([]), "nothing stored without a reason");

        let (status, stored) = api
            .post(
                &months,
                &json!({ "year": 2025, "month": 5, "amount": "-20", "note": "4月多报，核减" }),
            )
            .await;
        assert!(status.is_success(), "{stored}");
        assert_eq!(stored["amount"], -200_000);
        assert_eq!(stored["note"], "4月多报，核减");
    })
    .await;
}

/// Two first reports of the same month at once: one is stored, the other
/// is a 409 or a 422 naming the month, never a 500 (the unique index
/// `project_investments_month` passes the store's one mapping).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_first_reports_of_a_month_at_once_are_never_a_500() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (status, p) = api
            .post("/api/v1/projects", &project(&app, "同时首报项目"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        let months = format!("/api/v1/projects/{}/investments", p["id"]);
        for month in 1..=6 {
            let first = json!({ "year": 2025, "month": month, "amount": "10" });
            let second = json!({ "year": 2025, "month": month, "amount": "20" });
            let (a, b) = tokio::join!(api.post(&months, &first), api.post(&months, &second));
            let mut stored = 0;
            for (status, body) in [a, b] {
                if status.is_success() {
                    stored += 1;
                } else if status == StatusCode::UNPROCESSABLE_ENTITY {
                    assert_eq!(field_errors(&body)[0].0, "month", "{body}");
                } else {
                    assert_eq!(status, StatusCode::CONFLICT, "{body}");
                }
            }
            assert_eq!(stored, 1, "month {month}: one report stored");
        }
        let (_, now) = api.get(&months).await;
        assert_eq!(now.as_array().unwrap().len(), 6);
    })
    .await;
}
