//! Starting the application and talking to it like a browser or a script.

use kfq_demo::{Demo, DEMO_PASSWORD};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{Backend, Store};
use kfq_web::WebConfig;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub store: Store,
    pub demo: Demo,
    pub backend: Backend,
    _db: Option<TestDb>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, WebConfig::default()).await
}

pub async fn spawn_app_with(backend: Backend, config: WebConfig) -> TestApp {
    let db = TestDb::new(backend).await;
    let mut app = spawn_app_on(&db.url, backend, config).await;
    app._db = Some(db);
    app
}

impl TestApp {
    /// The database's address, for a test that must reach under the app.
    pub fn db_url(&self) -> String {
        let url = &self._db.as_ref().expect("an app on its own database").url;
        match self.backend {
            Backend::Sqlite => format!("sqlite://{url}"),
            Backend::Postgres => url.clone(),
        }
    }
}

/// An app on a database the caller made (an empty one: it is seeded here).
pub async fn spawn_app_on(url: &str, backend: Backend, config: WebConfig) -> TestApp {
    let store = Store::connect(url).await.expect("connect");
    spawn_app_on_store(store, backend, config).await
}

/// An app on a store opened by the test (with replicas, say), seeded.
pub async fn spawn_app_on_store(store: Store, backend: Backend, config: WebConfig) -> TestApp {
    store.migrate().await.expect("migrate");
    let demo = kfq_demo::seed(&store).await.expect("demo data");
    let today = kfq_app::clock::today();
    kfq_demo::seed_ledger(&store, &demo.zones, kfq_demo::LedgerSize::Tiny, today)
        .await
        .expect("demo ledger");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let served = store.clone();
    tokio::spawn(async move {
        kfq_web::serve(listener, served, config, async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
    });
    TestApp {
        address,
        store,
        demo,
        backend,
        _db: None,
        shutdown: Some(tx),
    }
}

/// Runs a test against a fresh app on every configured backend.
pub async fn each_backend(test: impl AsyncFn(TestApp)) {
    for backend in backends() {
        test(spawn_app(backend).await).await;
    }
}

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).expect("page carries a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A signed-in user of the app.
pub struct Session {
    pub client: Client,
    pub base: String,
    pub csrf: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Submits the login form as a browser does.
    pub async fn try_login(&self, client: &Client, username: &str, password: &str) -> Response {
        let page = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_from(&page);
        client
            .post(self.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str) -> Session {
        let client = browser();
        let response = self.try_login(&client, username, DEMO_PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login of {username}"
        );
        let home = client.get(self.url("/")).send().await.unwrap();
        assert_eq!(home.status(), StatusCode::OK);
        let csrf = csrf_from(&home.text().await.unwrap());
        Session {
            client,
            base: self.address.clone(),
            csrf,
        }
    }

    /// A script's client with a personal API token of `username`.
    pub async fn api_client(&self, username: &str) -> Api {
        let session = self.login(username).await;
        let created = session
            .post_json(
                "/api/v1/me/tokens",
                &serde_json::json!({ "name": "测试脚本" }),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let token = created.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Api {
            client: Client::new(),
            base: self.address.clone(),
            token,
        }
    }

    pub fn zone(&self, name: &str) -> &kfq_store::OrgUnit {
        self.demo
            .zones
            .iter()
            .find(|z| z.name == name)
            .expect("a demo zone")
    }
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        (response.status(), response.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token, as the page's form would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut form: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Calls the JSON API with the session cookie, as a page script would.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .header("X-CSRF-Token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

/// A script using a personal API token.
pub struct Api {
    pub client: Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }
}

/// The field errors of a 422 answer, as (field, message).
pub fn field_errors(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap().to_owned(),
                        f["message"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A valid credit code not used by the demo (serials from 9_000_000 up).
pub fn fresh_credit_code(n: usize) -> String {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let base = format!("91141000MA{:07}", 9_000_000 + n);
    ALPHABET
        .chars()
        .map(|c| format!("{base}{c}"))
        .find(|code| kfq_domain::CreditCode::parse(code).is_ok())
        .unwrap()
}

/// The API description as JSON.
pub fn openapi() -> Value {
    serde_json::to_value(kfq_web::openapi::document()).unwrap()
}

/// The schema of an operation's JSON request body, its `$ref` followed.
pub fn json_body_schema(doc: &Value, method: &str, path: &str) -> Option<Value> {
    let schema = doc["paths"][path][method.to_ascii_lowercase()]["requestBody"]["content"]
        ["application/json"]["schema"]
        .clone();
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            Some(doc["components"]["schemas"][name].clone())
        }
        None if schema.is_null() => None,
        None => Some(schema),
    }
}

/// Whether a property's schema admits `kind` ("integer", "boolean", "string", …).
pub fn admits(property: &Value, kind: &str) -> bool {
    match &property["type"] {
        Value::String(t) => t == kind,
        Value::Array(types) => types.iter().any(|t| t == kind),
        _ => false,
    }
}

/// `text` as the property's schema types it, as a script would send it.
pub fn typed(property: &Value, text: &str) -> Value {
    if admits(property, "integer") {
        text.parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(text))
    } else if admits(property, "boolean") {
        Value::Bool(matches!(text, "on" | "true" | "1" | "yes"))
    } else {
        Value::from(text)
    }
}
