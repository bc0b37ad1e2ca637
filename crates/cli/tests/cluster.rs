//! Two `kfq` instances on one PostgreSQL database behind HAProxy
//! (scripts/cluster.sh), loaded by a hundred editors for a minute; then the
//! instance holding the background lease is killed. Ignored by default (it
//! takes two minutes and needs HAProxy and KFQ_TEST_PG):
//! scripts/cluster-tests.sh runs it.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

const EDITORS: usize = 100;
const LOAD: Duration = Duration::from_secs(60);
const PASSWORD: &str = "kfq-demo-2026";
/// Accounts that may edit the zone's ledger; many editors share one, each
/// with a session of its own.
const ACCOUNTS: [&str; 3] = ["yc.staff", "yc.admin", "admin"];
/// Projects every editor edits, so that editors race for the same versions.
const SHARED: usize = 10;

struct Cluster {
    dir: std::path::PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .status();
    }
}

fn script() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/cluster.sh")
}

/// A signed-in browser: cookies kept, redirects not followed.
struct Editor {
    client: Client,
    base: String,
    csrf: String,
}

fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).expect("a CSRF token") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// What the editors saw, for the checks after the load.
#[derive(Default)]
struct Seen {
    statuses: BTreeMap<u16, usize>,
    server_errors: Vec<String>,
    /// Per session: how many successes, and the instances that answered them.
    instances: Vec<(usize, BTreeSet<String>)>,
    /// Per shared project: every acknowledged edit (version, total
    /// investment in 万元).
    edits: BTreeMap<i64, Vec<(i64, i64)>>,
    /// Acknowledged monthly figures: (project, month) → amount in 万元.
    months: BTreeMap<(i64, u32), i64>,
    imports: usize,
}

impl Editor {
    async fn login(base: &str, username: &str) -> Editor {
        let client = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = client
            .get(format!("{base}/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let signed_in = client
            .post(format!("{base}/login"))
            .form(&[
                ("_csrf", csrf_from(&page).as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            signed_in.status(),
            StatusCode::SEE_OTHER,
            "login {username}"
        );
        let home = client.get(format!("{base}/")).send().await.unwrap();
        assert_eq!(home.status(), StatusCode::OK);
        let csrf = csrf_from(&home.text().await.unwrap());
        Editor {
            client,
            base: base.to_owned(),
            csrf,
        }
    }

    /// Sends a request; notes its status and which instance answered.
    async fn send(
        &self,
        seen: &Mutex<Seen>,
        session: usize,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> (StatusCode, Value) {
        let response = request
            .header("X-CSRF-Token", &self.csrf)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let instance = response
            .headers()
            .get("x-served-by")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body: Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null);
        let mut seen = seen.lock().unwrap();
        *seen.statuses.entry(status.as_u16()).or_default() += 1;
        if status.is_server_error() {
            seen.server_errors.push(format!("{what}: {status} {body}"));
        }
        if status.is_success() {
            let (count, instances) = &mut seen.instances[session];
            *count += 1;
            instances.insert(instance);
        }
        (status, body)
    }

    /// A read outside the load: its status and body.
    async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.request(Method::GET, path).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }
}

/// One editor's minute: edits of the shared projects (racing the others),
/// monthly figures of its own project, now and then a small ledger import
/// (dry run, or committed) and a fresh sign-in.
async fn edit(
    base: String,
    n: usize,
    zone: i64,
    shared: Vec<i64>,
    own: i64,
    seen: Arc<Mutex<Seen>>,
    until: Instant,
) {
    let mut step = 0usize;
    let mut session = {
        let mut s = seen.lock().unwrap();
        s.instances.push(Default::default());
        s.instances.len() - 1
    };
    let mut editor = Editor::login(&base, ACCOUNTS[n % ACCOUNTS.len()]).await;
    while Instant::now() < until {
        step += 1;
        let project = shared[(n + step) % shared.len()];
        let path = format!("/api/v1/projects/{project}");
        let (status, current) = editor
            .send(&seen, session, editor.request(Method::GET, &path), "read")
            .await;
        if status == StatusCode::OK {
            let amount = i64::try_from(10_000 + n * 1_000 + step).unwrap();
            let body = json!({
                "zone_id": zone, "name": current["name"], "category": "industrial",
                "nature": "new", "total_investment": amount.to_string(), "version": current["version"],
            });
            let (status, saved) = editor
                .send(
                    &seen,
                    session,
                    editor.request(Method::PUT, &path).json(&body),
                    "edit",
                )
                .await;
            if status == StatusCode::OK {
                let version = saved["version"].as_i64().unwrap();
                seen.lock()
                    .unwrap()
                    .edits
                    .entry(project)
                    .or_default()
                    .push((version, amount));
            } else {
                assert_eq!(status, StatusCode::CONFLICT, "an edit: {saved}");
            }
        }
        // The month's figure of the editor's own project: first reports.
        let month = u32::try_from(step % 12).unwrap() + 1;
        if step <= 12 {
            let amount = i64::try_from(100 + n + step).unwrap();
            let (status, body) = editor
                .send(
                    &seen,
                    session,
                    editor
                        .request(Method::POST, &format!("/api/v1/projects/{own}/investments"))
                        .json(
                            &json!({ "year": 2025, "month": month, "amount": amount.to_string() }),
                        ),
                    "monthly figure",
                )
                .await;
            assert!(
                status.is_success(),
                "a first monthly figure: {status} {body}"
            );
            seen.lock().unwrap().months.insert((own, month), amount);
        }
        if step.is_multiple_of(15) {
            let name = format!("并发导入项目{n}-{step}");
            let csv = format!(
                "序号,项目名称,建设单位,项目类别,总投资,开工时间\n1,{name},导入测试公司{n},产业类,5000,2024.3\n"
            );
            let mut form = reqwest::multipart::Form::new()
                .text("zone_id", zone.to_string())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("台账.csv"),
                );
            // Every other import is committed; the rest are dry runs.
            if step.is_multiple_of(30) {
                form = form.text("commit", "1");
            }
            let (status, body) = editor
                .send(
                    &seen,
                    session,
                    editor
                        .request(Method::POST, "/api/v1/ledger-imports")
                        .multipart(form),
                    "import",
                )
                .await;
            assert!(status.is_success(), "an import: {status} {body}");
            seen.lock().unwrap().imports += 1;
        }
        if step.is_multiple_of(20) {
            editor = Editor::login(&base, ACCOUNTS[n % ACCOUNTS.len()]).await;
            session = {
                let mut s = seen.lock().unwrap();
                s.instances.push(Default::default());
                s.instances.len() - 1
            };
        }
    }
}

fn kfq(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kfq"))
        .args(args)
        .output()
        .expect("kfq runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs HAProxy and KFQ_TEST_PG (scripts/cluster-tests.sh)"]
async fn two_instances_behind_haproxy_take_a_hundred_editors_and_hand_over_the_lease() {
    let admin_url = std::env::var("KFQ_TEST_PG").expect("KFQ_TEST_PG");
    let db = format!("kfq_cluster_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base_url, _) = admin_url.rsplit_once('/').unwrap();
    let url = format!("{base_url}/{db}");

    let dir = std::env::temp_dir().join(format!("kfq-cluster-{}", std::process::id()));
    let started = Command::new("bash")
        .arg(script())
        .args(["start", dir.to_str().unwrap(), &url, "18300"])
        .env("KFQ_BIN", env!("CARGO_BIN_EXE_kfq"))
        .output()
        .unwrap();
    let cluster = Cluster { dir: dir.clone() };
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let base = String::from_utf8(started.stdout).unwrap().trim().to_owned();

    // The set-up: the zone, its shared projects, one project per editor.
    let setup = Editor::login(&base, "admin").await;
    let (_, zones) = setup
        .get_json("/api/v1/orgs?kind=zone&q=运城经济技术开发区")
        .await;
    let zone = zones["items"][0]["id"].as_i64().expect("the demo zone");
    let seen = Arc::new(Mutex::new(Seen::default()));
    seen.lock().unwrap().instances.push(Default::default());
    let mut projects = Vec::new();
    for k in 0..SHARED + EDITORS {
        let (status, body) = setup
            .send(
                &seen,
                0,
                setup
                    .request(Method::POST, "/api/v1/projects")
                    .json(&json!({
                    "zone_id": zone, "name": format!("双实例测试项目{k}"), "category": "industrial",
                    "nature": "new", "total_investment": "1000" })),
                "setup",
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        projects.push(body["id"].as_i64().unwrap());
    }
    let shared = projects[..SHARED].to_vec();

    // A hundred editors for a minute, spread by HAProxy over both instances.
    let until = Instant::now() + LOAD;
    let editors: Vec<_> = (0..EDITORS)
        .map(|n| {
            tokio::spawn(edit(
                base.clone(),
                n,
                zone,
                shared.clone(),
                projects[SHARED + n],
                seen.clone(),
                until,
            ))
        })
        .collect();
    for editor in editors {
        editor.await.expect("an editor's minute");
    }
    let seen = Arc::into_inner(seen).unwrap().into_inner().unwrap();
    let requests: usize = seen.statuses.values().sum();
    eprintln!(
        "cluster: {requests} requests in {LOAD:?} from {EDITORS} editors; statuses {:?}; {} imports",
        seen.statuses, seen.imports
    );
    assert!(
        seen.server_errors.is_empty(),
        "server errors: {:?}",
        seen.server_errors
    );
    // Round robin over a hundred clients: a session of twenty requests that
    // met only one instance would be a one-in-500,000 chance, unless sessions
    // only work on the instance that made them.
    let busy: Vec<&BTreeSet<String>> = seen
        .instances
        .iter()
        .filter(|(count, _)| *count >= 20)
        .map(|(_, instances)| instances)
        .collect();
    assert!(
        busy.len() * 2 >= seen.instances.len(),
        "most sessions made twenty requests: {} of {}",
        busy.len(),
        seen.instances.len()
    );
    let on_one = busy.iter().filter(|i| i.len() < 2).count();
    assert_eq!(
        on_one,
        0,
        "sessions of twenty requests or more served by one instance only: {on_one} of {}",
        busy.len()
    );

    // No lost update: each shared project holds its last acknowledged edit,
    // and every acknowledged version is distinct.
    for (project, edits) in &seen.edits {
        let versions: BTreeSet<i64> = edits.iter().map(|(v, _)| *v).collect();
        assert_eq!(
            versions.len(),
            edits.len(),
            "two edits acknowledged as one version"
        );
        let (last_version, last_amount) = edits.iter().max_by_key(|(v, _)| *v).unwrap();
        let (_, stored) = setup.get_json(&format!("/api/v1/projects/{project}")).await;
        assert_eq!(stored["version"].as_i64(), Some(*last_version), "{stored}");
        assert_eq!(
            stored["total_investment"].as_i64(),
            Some(last_amount * 10_000),
            "project {project} holds its last acknowledged edit"
        );
    }
    for ((project, month), amount) in &seen.months {
        let (_, months) = setup
            .get_json(&format!("/api/v1/projects/{project}/investments"))
            .await;
        let found = months.as_array().unwrap().iter().any(|m| {
            m["year"] == 2025
                && m["month"].as_u64() == Some(u64::from(*month))
                && m["amount"].as_i64() == Some(amount * 10_000)
        });
        assert!(
            found,
            "project {project} month {month} = {amount}: {months}"
        );
    }
    let verified = kfq(&["audit", "verify", "--database", &url]);
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );

    // The instance holding the background lease dies; the other takes it over.
    let holder = || async {
        let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query_scalar::<_, String>("SELECT holder FROM leases WHERE name = 'background'")
            .fetch_optional(&mut db)
            .await
            .unwrap()
    };
    let first = holder().await.expect("an instance holds the lease");
    let pid_of = |name: &str| std::fs::read_to_string(dir.join(format!("{name}.pid"))).unwrap();
    let (dead, alive) = if first.contains(&format!("-{}-", pid_of("a").trim())) {
        ("a", "b")
    } else {
        ("b", "a")
    };
    assert!(
        first.contains(&format!("-{}-", pid_of(dead).trim())),
        "{first}"
    );
    let killed = Instant::now();
    Command::new("kill")
        .args(["-9", pid_of(dead).trim()])
        .status()
        .unwrap();
    let taken = loop {
        let now = holder().await.unwrap_or_default();
        if now.contains(&format!("-{}-", pid_of(alive).trim())) {
            break killed.elapsed();
        }
        assert!(
            killed.elapsed() < Duration::from_secs(60),
            "the lease is still {now} a minute after its holder died"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    eprintln!("cluster: instance {dead} killed; {alive} took the lease after {taken:?}");
    // HAProxy sends everyone to the living instance meanwhile.
    for _ in 0..5 {
        let (status, _) = setup
            .get_json(&format!("/api/v1/projects/{}", shared[0]))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    drop(cluster);
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}
