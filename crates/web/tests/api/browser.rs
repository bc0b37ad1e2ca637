//! A real headless Chromium signs in and goes through the main pages, on a
//! desktop and a phone's width; any error on the browser console fails the test.
//! Needs Debian's `chromium` and `chromium-driver` (installed by `.ci/run`).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
// The driver is local and plain HTTP: no TLS stack is needed.
use hyper_util::client::legacy::connect::HttpConnector;
use kfq_demo::DEMO_PASSWORD;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<String> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(str::to_owned)
}

/// Chromedriver's log endpoint (a Selenium extension fantoccini does not wrap).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// Console messages at error level since the last call.
async fn console_errors(client: &Client) -> Vec<String> {
    let log = client.issue_cmd(BrowserLog).await.expect("browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn start_browser() -> Option<(Driver, Client)> {
    let Some(driver_path) = chromedriver() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromedriver is missing: .ci/run installs chromium and chromium-driver"
        );
        eprintln!("SKIPPED browser test: install chromium and chromium-driver to run it");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let profile = std::env::temp_dir().join(format!("kfq-chromium-{}-{port}", std::process::id()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", "--no-first-run", "--window-size=1280,900",
            format!("--user-data-dir={}", profile.display()),
        ]}),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..50 {
        if let Ok(client) = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return Some((driver, client));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .unwrap()
}

/// Fills the login form the browser is on and waits until it has left it.
async fn sign_in(client: &Client, username: &str) {
    client
        .find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(DEMO_PASSWORD)
        .await
        .unwrap();
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The login page has a heading too: wait for the navigation itself.
    for _ in 0..100 {
        if client.current_url().await.unwrap().path() != "/login" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.wait().for_element(Locator::Css("h1")).await.unwrap();
}

/// Opens `path` at a window `size`, signing `user` in on the login page it
/// leads to.
async fn open_signed_in(client: &Client, app: &TestApp, path: &str, user: &str, size: (u32, u32)) {
    client.set_window_size(size.0, size.1).await.unwrap();
    client.goto(&app.url(path)).await.unwrap();
    sign_in(client, user).await;
}

/// The demo app with the figures `kfq demo` seeds besides the ledger: every
/// zone's indicators of the months past, for the dashboards.
async fn spawn_app_with_indicators() -> TestApp {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    kfq_demo::seed_indicators(&app.store, &app.demo.zones, kfq_app::clock::today())
        .await
        .unwrap();
    app
}

/// Saves what the browser shows at a desktop's and a phone's width, when
/// KFQ_SCREENSHOT_DIR asks for pictures.
async fn pictures(client: &Client, name: &str) {
    let Some(dir) = std::env::var_os("KFQ_SCREENSHOT_DIR") else {
        return;
    };
    for (width, height, suffix) in [(1440, 900, ""), (390, 844, "-phone")] {
        client.set_window_size(width, height).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{name}{suffix}.png")),
            png,
        )
        .unwrap();
    }
    client.set_window_size(1440, 900).await.unwrap();
}

/// A zone's clerk brings this month's workbook and a bulletin, as on their
/// first day: the preview says what each column becomes and the reading of
/// the bulletin shows which ledger project each of its projects is.
#[tokio::test]
async fn a_clerk_previews_a_ledger_workbook_and_reads_a_bulletin() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    open_signed_in(&client, &app, "/projects/import", "yc.staff", (1440, 900)).await;

    let dir = std::env::temp_dir().join(format!("kfq-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("6月台账.csv");
    std::fs::write(
        &file,
        "2024年1-6月运城经济技术开发区重点项目推进台账\n单位：万元\n\
         序号,项目名称,总投资,2024年计划投资,计划开工时间,1-6月累计完成投资,开工以来累计完成投资,形象进度\n\
         1,预览测试储能电池项目,50000,12000,2024.3,3000,9000,主体钢结构吊装\n\
         2,预览测试物流园项目,23000,5000,2024.9,0,0,正在办理环评手续\n",
    )
    .unwrap();
    client
        .find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    client
        .find(Locator::Css("form.form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("[data-testid=import-summary]"))
        .await
        .unwrap();
    let page = client.source().await.unwrap();
    assert!(
        page.contains("台账截至日期：<strong>2024-06-30</strong>"),
        "{page}"
    );
    assert!(page.contains("2024年度计划的目标开工日期（计划，不作为阶段依据）"));
    assert!(page.contains("据进展情况“钢结构”推定为“开工”"), "{page}");
    pictures(&client, "ledger-import-preview").await;

    client.goto(&app.url("/bulletins")).await.unwrap();
    client
        .find(Locator::Css("input[name=title]"))
        .await
        .unwrap()
        .send_keys("开发区工作通讯2024年第6期")
        .await
        .unwrap();
    client
        .find(Locator::Css("textarea[name=text]"))
        .await
        .unwrap()
        .send_keys(
            "运城经济技术开发区\n大运新能源乘用车项目加快建设\n\
             本刊讯 近日，大运新能源乘用车提升改造项目完成投资3.2亿元，总装车间主体封顶。（张三）",
        )
        .await
        .unwrap();
    client
        .find(Locator::Css("form.form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    if client
        .wait()
        .for_element(Locator::Css("section.card"))
        .await
        .is_err()
    {
        panic!("no project read: {}", client.source().await.unwrap());
    }
    pictures(&client, "bulletin-reading").await;
    let matched = text_of(&client, "section.card h3").await;
    assert!(matched.contains("大运"), "{matched}");
    let evidence = text_of(&client, "p.match").await;
    assert!(!evidence.is_empty(), "the match says why");
    let errors = console_errors(&client).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    client.close().await.unwrap();
    std::fs::remove_dir_all(&dir).ok();
}

/// The id of the element that has the keyboard.
async fn focused(client: &Client) -> String {
    client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A zone's clerk reports last month for five projects on the batch page:
/// two typed with Enter moving down, three pasted as a column from Excel,
/// the total following; saved at once, the home page's count of projects
/// not reported drops by five and the month's bulletin holds the figures.
#[tokio::test]
async fn a_clerk_types_a_month_down_the_column_and_pastes_the_rest() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    let api = app.api_client("yc.staff").await;
    let zone = app.zone("运城经济技术开发区").id;
    let mut ids = Vec::new();
    for n in ["甲", "乙", "丙", "丁", "戊"] {
        let (status, body) = api
            .post(
                "/api/v1/projects",
                &json!({"zone_id": zone, "name": format!("填报测试{n}项目"), "category": "industrial",
                        "nature": "new", "total_investment": "50000", "stage": "started"}),
            )
            .await;
        assert_eq!(status.as_u16(), 201, "{body}");
        ids.push(body["id"].as_i64().unwrap());
    }
    let (year, month) = kfq_app::ledger::monthly::default_month(kfq_app::clock::today());
    let tile = |page: &str| -> i64 {
        let label = format!("{month}月未填报的项目");
        let before = &page[..page.find(&label).expect("the home page's tile")];
        let value = before.rsplit("<span class=\"value\">").next().unwrap();
        value.split('<').next().unwrap().trim().parse().unwrap()
    };
    open_signed_in(&client, &app, "/", "yc.staff", (1440, 900)).await;
    let missing_before = tile(&client.source().await.unwrap());

    client
        .goto(&app.url("/projects/monthly?missing=1"))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("form[data-month-sheet]"))
        .await
        .unwrap();
    let cell = |id: i64| format!("#amount_{id}");
    client
        .find(Locator::Css(&cell(ids[0])))
        .await
        .unwrap()
        .send_keys("1,000\u{E007}")
        .await
        .unwrap();
    assert_eq!(
        focused(&client).await,
        format!("amount_{}", ids[1]),
        "Enter moves down"
    );
    client
        .find(Locator::Css(&cell(ids[1])))
        .await
        .unwrap()
        .send_keys("250.5\u{E007}")
        .await
        .unwrap();
    // Excel puts a copied column on the clipboard as lines.
    let third = client.find(Locator::Css(&cell(ids[2]))).await.unwrap();
    client
        .execute(
            "const data = new DataTransfer(); data.setData('text', '300\\r\\n400\\r\\n500\\r\\n');
             arguments[0].dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));",
            vec![serde_json::to_value(&third).unwrap()],
        )
        .await
        .unwrap();
    for (id, want) in [(ids[3], "400"), (ids[4], "500")] {
        let value = client
            .find(Locator::Css(&cell(id)))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(value.as_deref(), Some(want));
    }
    let total = text_of(&client, "[data-month-total]").await;
    let total: f64 = total.parse().unwrap();
    assert!(total >= 2450.5, "the total follows the column: {total}");
    pictures(&client, "monthly-sheet").await;
    client
        .find(Locator::Css("form[data-month-sheet] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css(".notice, .alert"))
        .await
        .unwrap();
    client.goto(&app.url("/")).await.unwrap();
    let missing_after = tile(&client.source().await.unwrap());
    assert_eq!(missing_after, missing_before - 5);

    // The month's bulletin counts them.
    let (_, trace) = api
        .get(&format!(
            "/api/v1/monthly-bulletins/trace?org_id={zone}&period={year}-{month:02}&figure=all"
        ))
        .await;
    let lines = trace["lines"].as_array().expect("trace lines");
    let ytd = |id: i64| {
        lines
            .iter()
            .find(|l| l["project_id"] == id)
            .map(|l| l["ytd"].as_i64().unwrap())
    };
    assert_eq!(ytd(ids[0]), Some(10_000_000), "{trace}");
    assert_eq!(ytd(ids[4]), Some(5_000_000));
    let errors = console_errors(&client).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_person_signs_in_and_walks_the_main_pages() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };

    client.goto(&app.url("/orgs")).await.unwrap();
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/login"),
        "visitors land on the login page"
    );
    sign_in(&client, "yc.admin").await;
    assert_eq!(
        client.current_url().await.unwrap().path(),
        "/orgs",
        "back where they wanted to go"
    );
    assert_eq!(text_of(&client, "h1").await, "组织机构");

    let pages = [
        ("/", "欢迎"),
        ("/enterprises", "企业"),
        ("/users", "用户"),
        ("/audit", "操作记录"),
        ("/account", "我的账户"),
        ("/projects", "重点项目台账"),
        ("/projects/wall", "挂图作战"),
        ("/bulletins", "导入简报"),
        ("/calendar", "工作日历"),
        ("/indicators", "经济指标"),
    ];
    for (path, heading) in pages {
        client.goto(&app.url(path)).await.unwrap();
        let h1 = text_of(&client, "h1").await;
        assert!(h1.contains(heading), "{path}: {h1}");
    }
    // A project page with its milestones, Gantt and investment chart.
    client.goto(&app.url("/projects?q=大运")).await.unwrap();
    client
        .find(Locator::LinkText("大运高端智能新能源乘用车提升改造项目"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Id("milestones"))
        .await
        .unwrap();
    if let Some(dir) = std::env::var_os("KFQ_SCREENSHOT_DIR") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join("project.png"), png).unwrap();
    }
    // Follow links as a person would: into a zone, then its history.
    client.goto(&app.url("/orgs?kind=zone")).await.unwrap();
    client
        .find(Locator::LinkText("运城经济技术开发区"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::LinkText("修改记录"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(text_of(&client, "h1").await.contains("运城经济技术开发区"));

    // Add a department through the form.
    client.goto(&app.url("/orgs/new")).await.unwrap();
    client
        .find(Locator::Css("input[name=name]"))
        .await
        .unwrap()
        .send_keys("数据中心")
        .await
        .unwrap();
    client
        .find(Locator::Css("form.form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .unwrap();
    assert!(text_of(&client, "h1").await.contains("数据中心"));

    if let Some(dir) = std::env::var_os("KFQ_SCREENSHOT_DIR") {
        // Pictures of the desktop pages, for people reviewing a change.
        for (name, path) in [
            ("orgs", "/orgs"),
            ("enterprise-form", "/enterprises/new"),
            ("home", "/"),
            ("ledger", "/projects"),
            ("wall", "/projects/wall"),
            ("audit", "/audit"),
        ] {
            client.goto(&app.url(path)).await.unwrap();
            let png = client.screenshot().await.unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }
    let errors = console_errors(&client).await;
    assert!(errors.is_empty(), "console errors on desktop: {errors:#?}");

    // A phone's width: the menu folds away and opens on a tap.
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&app.url("/")).await.unwrap();
    let nav = client.find(Locator::Id("nav")).await.unwrap();
    assert!(
        !nav.is_displayed().await.unwrap(),
        "the menu is folded on a phone"
    );
    client
        .find(Locator::Css(".menu-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(nav.is_displayed().await.unwrap(), "the menu opens on a tap");
    if let Some(dir) = std::env::var_os("KFQ_SCREENSHOT_DIR") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join("home-phone.png"), png).unwrap();
    }
    let errors: Vec<String> = console_errors(&client).await;
    assert!(errors.is_empty(), "console errors on a phone: {errors:#?}");
    let _: Value = client.issue_cmd(BrowserLog).await.unwrap();
    client.close().await.unwrap();
}

/// A clerk reports a month, corrects it, adds a blocker and moves the
/// milestones, then opens the project's 修改记录 from its page: each change
/// reads in words, on a desktop and on a phone.
#[tokio::test]
async fn a_clerk_reads_a_projects_history() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    let api = app.api_client("yc.staff").await;
    let (_, ledger) = api.get("/api/v1/projects?q=大运").await;
    let id = ledger["page"]["items"][0]["id"]
        .as_i64()
        .expect("the demo project");
    let (_, month) = api
        .post(
            &format!("/api/v1/projects/{id}/investments"),
            &json!({ "year": 2024, "month": 11, "amount": "2600" }),
        )
        .await;
    let (_, _) = api
        .post(
            &format!("/api/v1/projects/{id}/investments"),
            &json!({ "year": 2024, "month": 11, "amount": "2850.5", "version": month["version"] }),
        )
        .await;
    let (_, _) = api
        .post(
            &format!("/api/v1/projects/{id}/blockers"),
            &json!({ "factor": "gas", "description": "天然气管道接入手续待办", "raised_on": "2024-11-04", "deadline": "2024-12-15" }),
        )
        .await;
    let (_, _) = api
        .post(
            &format!("/api/v1/projects/{id}/schedule"),
            &json!({ "target_key": "production", "target_date": "2025-06-30" }),
        )
        .await;

    client
        .goto(&app.url(&format!("/projects/{id}")))
        .await
        .unwrap();
    sign_in(&client, "yc.staff").await;
    client
        .wait()
        .for_element(Locator::LinkText("修改记录"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("ol.history"))
        .await
        .unwrap();
    assert!(text_of(&client, "h1").await.contains("大运"));
    let list = text_of(&client, "ol.history").await;
    for shown in [
        "修改月度投资",
        "2024年11月",
        "2600 万元",
        "2850.5 万元",
        "新建困难问题",
        "气：天然气管道接入手续待办",
        "修改节点计划",
        "投产",
    ] {
        assert!(list.contains(shown), "{shown:?} in {list}");
    }
    assert!(!list.contains("amount") && !list.contains('{'), "{list}");
    pictures(&client, "project-history").await;
    if let Some(dir) = std::env::var_os("KFQ_SCREENSHOT_DIR") {
        // The whole list, for people reviewing a change.
        client.set_window_size(1440, 3200).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(
            std::path::Path::new(&dir).join("project-history-long.png"),
            png,
        )
        .unwrap();
        client.set_window_size(1440, 900).await.unwrap();
    }
    let errors = console_errors(&client).await;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_at_the_forms_own_address() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    open_signed_in(&client, &app, "/", "yc.staff", (1440, 900)).await;
    client.goto(&app.url("/projects/new")).await.unwrap();
    let type_into = async |name: &str, text: &str| {
        client
            .find(Locator::Css(&format!("form [name={name}]")))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    };
    type_into("name", "表单保留测试项目").await;
    type_into("total_investment", "十二亿").await;
    let registered_on = client
        .find(Locator::Css("form [name=registered_on]"))
        .await
        .unwrap();
    assert_eq!(
        registered_on.attr("type").await.unwrap().as_deref(),
        Some("date"),
        "days are picked from a calendar"
    );
    client
        .find(Locator::Css("form.form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css(".field-error"))
        .await
        .unwrap();
    let url = client.current_url().await.unwrap();
    assert_eq!(
        url.path(),
        "/projects/new",
        "no POST address in the address bar"
    );
    let value = |name: &'static str| {
        let client = &client;
        async move {
            client
                .find(Locator::Css(&format!("form [name={name}]")))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value("name").await, "表单保留测试项目");
    assert_eq!(
        value("total_investment").await,
        "十二亿",
        "the typing is kept"
    );
    let focused_name = client
        .execute("return document.activeElement.name;", vec![])
        .await
        .unwrap();
    assert_eq!(
        focused_name, "total_investment",
        "the first error has the cursor"
    );
    let label = text_of(&client, "label:has([aria-invalid=true])").await;
    assert!(
        label.contains("总投资"),
        "the error sits under its label: {label}"
    );
    pictures(&client, "form-refused").await;
    client.close().await.unwrap();
}

/// A province supervisor opens the indicator board and the monthly report:
/// the charts are drawn by ECharts (tooltips, legends, links on bars) inside
/// the page's security policy, and the server's SVG stays for print.
#[tokio::test]
async fn a_supervisor_explores_the_dashboards_charts() {
    let app = spawn_app_with_indicators().await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    client.goto(&app.url("/login")).await.unwrap();
    sign_in(&client, "sheng.duban").await;
    for (path, name) in [
        ("/indicators", "indicators-province"),
        ("/monthly-bulletins", "monthly-report-province"),
    ] {
        client.goto(&app.url(path)).await.unwrap();
        let drawn = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("figure.chart.live .chart-live canvas"))
            .await;
        assert!(drawn.is_ok(), "{path}: ECharts drew no chart");
        // The SVG is still in the page, for print and screen readers.
        assert!(client
            .find(Locator::Css("figure.chart.live .chart-svg svg"))
            .await
            .is_ok());
        // Labels follow the container: the chart is as wide as its figure.
        let widths: Value = client
            .execute(
                "var f = document.querySelector('figure.chart.live'); \
                 return [f.clientWidth, f.querySelector('canvas').clientWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (figure, canvas) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
        assert!(
            canvas > 0.8 * figure && canvas <= figure,
            "{path}: {widths}"
        );
        pictures(&client, name).await;
        if let Some(dir) = std::env::var_os("KFQ_SCREENSHOT_DIR") {
            let figures = client
                .find_all(Locator::Css("figure.chart.live"))
                .await
                .unwrap();
            for (i, figure) in figures.iter().enumerate() {
                let png = figure.screenshot().await.unwrap();
                let file = format!("{name}-chart{i}.png");
                std::fs::write(std::path::Path::new(&dir).join(file), png).unwrap();
            }
        }
    }
    let errors = console_errors(&client).await;
    assert!(
        errors.is_empty(),
        "console errors (a script or style refused?): {errors:#?}"
    );
    client.close().await.unwrap();
}

/// The main pages pass an automated accessibility check (axe-core, the npm
/// package the build installs, run in the browser): no serious or critical
/// violation of WCAG 2 A/AA, for a clerk and a supervisor.
#[tokio::test]
async fn the_main_pages_pass_an_accessibility_check() {
    let axe = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/node_modules/axe-core/axe.min.js"
    ))
    .expect("axe-core is installed with the build's npm packages");
    let app = spawn_app_with_indicators().await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    let project = app
        .store
        .ledger(
            &kfq_domain::Visibility::All,
            &kfq_store::LedgerFilter {
                name_contains: Some("大运".into()),
                ..Default::default()
            },
            0,
            1,
        )
        .await
        .unwrap()
        .page
        .items[0]
        .id;
    let mut found = Vec::new();
    for (user, pages) in [
        (
            "yc.staff",
            vec![
                "/".to_owned(),
                "/projects".into(),
                format!("/projects/{project}"),
                "/projects/monthly".into(),
                "/projects/plans".into(),
                "/projects/new".into(),
                "/dispatch".into(),
                "/indicators".into(),
                "/monthly-bulletins".into(),
                "/campaigns".into(),
                "/notifications".into(),
            ],
        ),
        (
            "sheng.duban",
            vec![
                "/".to_owned(),
                "/indicators".into(),
                "/monthly-bulletins".into(),
                "/assessment".into(),
            ],
        ),
    ] {
        client.goto(&app.url("/login")).await.unwrap();
        if client.current_url().await.unwrap().path() == "/login" {
            sign_in(&client, user).await;
        }
        for path in pages {
            client.goto(&app.url(&path)).await.unwrap();
            client.execute(&axe, vec![]).await.unwrap();
            let result = client
                .execute_async(
                    "var done = arguments[arguments.length - 1]; \
                     axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }) \
                       .then(function (r) { done(r.violations.filter(function (v) { \
                         return v.impact === 'serious' || v.impact === 'critical'; \
                       }).map(function (v) { \
                         return v.id + ' (' + v.impact + '): ' + v.help + ' — ' + \
                           v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(' | '); \
                       })); });",
                    vec![],
                )
                .await
                .unwrap();
            for v in result.as_array().unwrap() {
                found.push(format!("{user} {path}: {}", v.as_str().unwrap()));
            }
        }
        client
            .find(Locator::Css("form[action='/logout'] button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    assert!(
        found.is_empty(),
        "accessibility violations:\n{}",
        found.join("\n")
    );
    client.close().await.unwrap();
}

/// A liaison leader on a phone (390 px): 我的项目 as cards, the ledger's
/// filters and secondary actions folded away, no page scrolls sideways.
#[tokio::test]
async fn a_liaison_leader_reads_on_a_phone() {
    let app = spawn_app(kfq_store::Backend::Sqlite).await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    open_signed_in(&client, &app, "/login", "yc.baolian", (390, 844)).await;
    let wide =
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;";
    for path in [
        "/",
        "/projects",
        "/projects?sort=ytd&dir=desc",
        "/dispatch",
        "/notifications",
    ] {
        client.goto(&app.url(path)).await.unwrap();
        let over: Value = client.execute(wide, vec![]).await.unwrap();
        assert!(
            over.as_f64().unwrap() <= 0.0,
            "{path} scrolls sideways by {over} px"
        );
    }
    // 我的项目: one card per project, each value beside its heading.
    client.goto(&app.url("/")).await.unwrap();
    let card: Value = client
        .execute(
            "var row = document.querySelector('table.stack tbody tr'); \
             var cell = row.querySelector('td.num[data-label]'); \
             return [getComputedStyle(row).display, getComputedStyle(cell, '::before').content];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(card[0], "grid", "{card}");
    assert_ne!(card[1], "none", "{card}");
    pictures(&client, "home-liaison").await;
    client.set_window_size(390, 844).await.unwrap();
    // The ledger: filters folded until asked for; a set filter stays open.
    client.goto(&app.url("/projects")).await.unwrap();
    let folded: Value = client
        .execute(
            "return Array.from(document.querySelectorAll('details.fold')).map(function (d) { return d.open; });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        folded,
        json!([false, false]),
        "filters and more actions fold on a phone"
    );
    client
        .find(Locator::Css("details.fold > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(client
        .find(Locator::Css("details.fold input[name=q]"))
        .await
        .unwrap()
        .is_displayed()
        .await
        .unwrap());
    pictures(&client, "ledger-liaison").await;
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&app.url("/projects?q=%E9%A1%B9%E7%9B%AE"))
        .await
        .unwrap();
    let open: Value = client
        .execute(
            "return document.querySelector('details.fold').open;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(open, true, "a filter in use stays in sight");
    let errors = console_errors(&client).await;
    assert!(errors.is_empty(), "{errors:#?}");
    client.close().await.unwrap();
}

/// Every role's daily pages, opened at a desktop's and at a phone's width:
/// each names itself, none scrolls sideways, none trips the page's script,
/// and a phone reading the ledger or the dispatch sheet sees cards, not a
/// table wider than the screen. Pictures of each when KFQ_SCREENSHOT_DIR asks.
#[tokio::test]
async fn every_role_reads_its_pages_on_a_desk_and_a_phone() {
    let app = spawn_app_with_indicators().await;
    let Some((_driver, client)) = start_browser().await else {
        return;
    };
    let project = app
        .api_client("yc.staff")
        .await
        .get("/api/v1/projects?q=大运")
        .await
        .1["page"]["items"][0]["id"]
        .as_i64()
        .expect("the demo project");
    let project = format!("/projects/{project}");
    // (user, role in the pictures' names, [(page, name)])
    type Pages<'a> = Vec<(&'a str, &'a str)>;
    let roles: [(&str, &str, Pages); 5] = [
        (
            "yc.staff",
            "clerk",
            vec![
                ("/", "home"),
                ("/projects", "ledger"),
                (&project, "project"),
                ("/monthly-bulletins", "monthly-report"),
                ("/indicators", "indicators"),
                ("/dispatch", "dispatch"),
                ("/attraction", "attraction"),
                ("/attraction/investors", "investors"),
                ("/attraction/activities", "activities"),
                ("/attraction/calendar", "calendar"),
                ("/attraction/kpi", "attraction-board"),
                ("/attraction/chains", "chain-map"),
                ("/attraction/reports/weekly", "weekly-talks"),
            ],
        ),
        (
            "yc.baolian",
            "liaison",
            vec![
                ("/", "home"),
                ("/projects", "ledger"),
                ("/dispatch", "dispatch"),
            ],
        ),
        (
            "yc.admin",
            "zone-admin",
            vec![("/", "home"), ("/dispatch", "dispatch")],
        ),
        (
            "sheng.duban",
            "province",
            vec![
                ("/", "home"),
                ("/projects", "ledger"),
                ("/indicators", "indicators"),
                ("/monthly-bulletins", "monthly-report"),
                ("/assessment", "assessment"),
                ("/attraction", "attraction"),
                ("/attraction/kpi", "attraction-board"),
                ("/attraction/first-talks", "first-talks"),
                ("/attraction/reports/monthly", "attraction-monthly"),
            ],
        ),
        ("yc.qiye", "enterprise", vec![("/", "home")]),
    ];
    let wide =
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;";
    let shots = std::env::var_os("KFQ_SCREENSHOT_DIR");
    for (user, role, pages) in roles {
        client.goto(&app.url("/login")).await.unwrap();
        client.delete_all_cookies().await.unwrap();
        open_signed_in(&client, &app, "/login", user, (1440, 900)).await;
        for (path, name) in pages {
            for (width, height, suffix) in [(1440, 900, ""), (390, 844, "-phone")] {
                client.set_window_size(width, height).await.unwrap();
                client.goto(&app.url(path)).await.unwrap();
                // Taken first, to see what a failed check saw.
                if let Some(dir) = &shots {
                    let png = client.screenshot().await.unwrap();
                    std::fs::write(
                        std::path::Path::new(dir).join(format!("role-{role}-{name}{suffix}.png")),
                        png,
                    )
                    .unwrap();
                }
                let title = client.title().await.unwrap();
                // "项目台账 · 开发区…": the page first, then the application.
                assert!(
                    title
                        .split(" · ")
                        .next()
                        .is_some_and(|page| !page.trim().is_empty()),
                    "{user} {path}: title {title:?}"
                );
                let heading = text_of(&client, "h1").await;
                assert!(!heading.is_empty(), "{user} {path}: no heading");
                let over: Value = client.execute(wide, vec![]).await.unwrap();
                if over.as_f64().unwrap() > 0.0 {
                    // Name the elements that stick out, to say what to fix.
                    let culprits: Value = client
                        .execute(
                            "var w = document.documentElement.clientWidth; \
                             return Array.from(document.querySelectorAll('main *'))\
                             .filter(function (e) { if (e.getBoundingClientRect().right <= w + 0.5) return false; \
                               for (var a = e.parentElement; a && a.tagName !== 'BODY'; a = a.parentElement) \
                                 if (getComputedStyle(a).overflowX !== 'visible') return false; \
                               return true; })\
                             .slice(0, 8).map(function (e) { return e.tagName + '.' + e.className + ' ' + \
                             Math.round(e.getBoundingClientRect().right); });",
                            vec![],
                        )
                        .await
                        .unwrap();
                    panic!("{user} {path} at {width} px scrolls sideways by {over} px: {culprits}");
                }
                if width == 1440 && path == "/projects" {
                    // On a desk the filters stand side by side, not a column.
                    let tops: Value = client
                        .execute(
                            "return Array.from(document.querySelectorAll('details.fold .fold-body > label')).slice(0, 2)\
                             .map(function (l) { var r = l.getBoundingClientRect(); return [r.top, r.bottom]; });",
                            vec![],
                        )
                        .await
                        .unwrap();
                    let edge = |n: usize, m: usize| tops[n][m].as_f64().unwrap();
                    assert!(
                        edge(1, 0) < edge(0, 1),
                        "{user}: the ledger's filters in a row: {tops}"
                    );
                }
                if width == 390 {
                    // A table of records on a phone is a pile of cards.
                    let tables: Value = client
                        .execute(
                            "return Array.from(document.querySelectorAll('main table.stack tbody tr')).slice(0, 3)\
                             .map(function (r) { return getComputedStyle(r).display; });",
                            vec![],
                        )
                        .await
                        .unwrap();
                    for display in tables.as_array().unwrap() {
                        assert_ne!(display, "table-row", "{user} {path}");
                    }
                }
            }
        }
        let errors = console_errors(&client).await;
        assert!(errors.is_empty(), "{user}: {errors:#?}");
    }
    client.close().await.unwrap();
}
