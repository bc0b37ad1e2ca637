//! 月通报 through HTTP: a small zone whose every figure is worked out by hand,
//! the Word and Excel files read back, the figures unchanged by later edits
//! at the same cut-off, and an issued bulletin frozen with its file.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, Api, Session, TestApp};

struct Zone {
    id: i64,
    projects: Vec<i64>,
    blocker: i64,
}

async fn post_ok(api: &Api, path: &str, body: Value) -> Value {
    let (status, reply) = api.post(path, &body).await;
    assert!(status.is_success(), "{path}: {status} {reply}");
    reply
}

/// A file the signed-in user downloads, which must be there.
async fn file_of(session: &Session, path: &str) -> Vec<u8> {
    let response = session.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.unwrap().to_vec()
}

/// Advances a project through dated stages.
async fn stages(api: &Api, id: i64, steps: &[(&str, &str)]) {
    for (stage, date) in steps {
        let (_, project) = api.get(&format!("/api/v1/projects/{id}")).await;
        post_ok(
            api,
            &format!("/api/v1/projects/{id}/stage"),
            json!({"stage": stage, "date": date, "version": project["version"]}),
        )
        .await;
    }
}

/// A new zone with two departments, a liaison leader and four projects:
/// - P1 测试光伏电站: industrial, 12亿, 经发部, 王包联; signed 2024-01-08, started
///   2024-06-05; plan 12,000万; 1,000 a month Jan–Jun; a land blocker due 06-20.
/// - P2 测试物流园: infrastructure, 5亿, 经发部; signed 01-02, started 03-01,
///   producing 06-18; plan 8,000; 2,000 in Jan and Feb.
/// - P3 测试新材料: industrial, 3亿, 招商局, 王包联; signed 2023-11-01; plan
///   10,000; 1,000 in Jan.
/// - P4 测试停建项目: social, 0.5亿; signed 2024-02-01, cancelled 04-01; 500 in March.
async fn small_zone(app: &TestApp, admin: &Api) -> Zone {
    let city = app.zone("运城经济技术开发区").parent_id.unwrap();
    let zone = post_ok(
        admin,
        "/api/v1/orgs",
        json!({"kind": "zone", "parent_id": city, "name": "通报测试开发区", "code": "TB-1",
               "zone_level": "provincial", "zone_type": "economic"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let mut departments = Vec::new();
    for name in ["经发部", "招商局"] {
        let d = post_ok(
            admin,
            "/api/v1/orgs",
            json!({"kind": "department", "parent_id": zone, "name": name}),
        )
        .await;
        departments.push(d["id"].as_i64().unwrap());
    }
    let liaison = post_ok(
        admin,
        "/api/v1/users",
        json!({"username": "tb.wang", "display_name": "王包联", "role": "liaison",
               "org_unit_id": zone, "password": "tongbao-2024-x"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let specs = [
        (
            "测试光伏电站",
            "industrial",
            "120000",
            Some(departments[0]),
            Some(liaison),
        ),
        (
            "测试物流园",
            "infrastructure",
            "50000",
            Some(departments[0]),
            None,
        ),
        (
            "测试新材料",
            "industrial",
            "30000",
            Some(departments[1]),
            Some(liaison),
        ),
        ("测试停建项目", "social", "5000", None, None),
    ];
    let mut projects = Vec::new();
    for (name, category, total, department, liaison) in specs {
        let p = post_ok(
            admin,
            "/api/v1/projects",
            json!({"zone_id": zone, "name": name, "category": category, "nature": "new",
                   "total_investment": total, "stage": "planning",
                   "department_id": department, "liaison_user_id": liaison}),
        )
        .await;
        projects.push(p["id"].as_i64().unwrap());
    }
    let [p1, p2, p3, p4] = projects[..] else {
        unreachable!()
    };
    stages(
        admin,
        p1,
        &[("signed", "2024-01-08"), ("started", "2024-06-05")],
    )
    .await;
    stages(
        admin,
        p2,
        &[
            ("signed", "2024-01-02"),
            ("started", "2024-03-01"),
            ("producing", "2024-06-18"),
        ],
    )
    .await;
    stages(admin, p3, &[("signed", "2023-11-01")]).await;
    stages(
        admin,
        p4,
        &[("signed", "2024-02-01"), ("cancelled", "2024-04-01")],
    )
    .await;
    for (p, plan) in [(p1, "12000"), (p2, "8000"), (p3, "10000")] {
        post_ok(
            admin,
            &format!("/api/v1/projects/{p}/plans"),
            json!({"year": 2024, "planned_investment": plan}),
        )
        .await;
    }
    let months: &[(i64, u32, &str)] = &[
        (p1, 1, "1000"),
        (p1, 2, "1000"),
        (p1, 3, "1000"),
        (p1, 4, "1000"),
        (p1, 5, "1000"),
        (p1, 6, "1000"),
        (p2, 1, "2000"),
        (p2, 2, "2000"),
        (p3, 1, "1000"),
        (p4, 3, "500"),
    ];
    for (p, month, amount) in months {
        post_ok(
            admin,
            &format!("/api/v1/projects/{p}/investments"),
            json!({"year": 2024, "month": month, "amount": amount}),
        )
        .await;
    }
    let blocker = post_ok(
        admin,
        &format!("/api/v1/projects/{p1}/blockers"),
        json!({"factor": "land", "description": "用地指标未落实", "raised_on": "2024-05-01",
               "deadline": "2024-06-20", "department_id": departments[1]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    Zone {
        id: zone,
        projects,
        blocker,
    }
}

fn ids(flow: &Value) -> Vec<i64> {
    flow["project_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

fn ranking(lines: &Value) -> Vec<(i64, String, Option<i64>)> {
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["rank"].as_i64().unwrap(),
                l["unit"]["name"].as_str().unwrap().to_owned(),
                l["totals"]["completion_tenths"].as_i64(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_zone_bulletin_is_right_traceable_repeatable_and_frozen_once_issued() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let zone = small_zone(&app, &admin).await;
        let [p1, p2, p3, p4] = zone.projects[..] else {
            unreachable!()
        };
        let query = format!("org_id={}&period=2024-06", zone.id);
        let (status, june) = admin.get(&format!("/api/v1/monthly-bulletins?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{june}");
        assert_eq!(june["title"], "通报测试开发区2024年6月重点项目推进情况通报");
        let f = &june["figures"];
        let o = &f["overall"];
        // P4 is cancelled: left out, and said so. 12 + 5 + 3 亿; plans
        // 30,000万; 1–6月 11,000万; June 1,000万.
        assert_eq!(o["projects"], 3);
        assert_eq!(o["total_investment"], 2_000_000_000_i64);
        assert_eq!(o["planned"], 300_000_000_i64);
        assert_eq!(o["ytd"], 110_000_000_i64);
        assert_eq!(o["month"], 10_000_000_i64);
        assert_eq!(o["completion_tenths"], 367, "11,000 / 30,000 = 36.7%");
        assert_eq!(o["gap_tenths"], -133, "序时进度 50.0%");
        assert_eq!(f["left_out"]["cancelled"], 1);
        assert_eq!(f["left_out"]["totals"]["ytd"], 5_000_000, "P4's March, said beside");
        assert_eq!(f["elapsed_tenths"], 500);
        let stage = |code: &str| {
            f["by_stage"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["stage"] == code)
                .map(|l| l["totals"]["projects"].as_i64().unwrap())
        };
        assert_eq!(stage("started"), Some(1));
        assert_eq!(stage("producing"), Some(1));
        assert_eq!(stage("signed"), Some(1));
        assert_eq!(stage("cancelled"), None);
        assert_eq!(stage("planning"), Some(0));
        assert_eq!(stage("suspended"), None);
        let social = &f["by_category"][2];
        assert_eq!(social["category"], "social");
        assert_eq!(social["totals"]["ytd"], 0, "P4 (social) left out");
        assert_eq!(ids(&f["new_starts"]), vec![p1]);
        assert_eq!(ids(&f["new_production"]), vec![p2]);
        assert_eq!(ids(&f["signed_in_year"]), vec![p1, p2], "P3 signed in 2023, P4 cancelled");
        assert_eq!(ids(&f["started_in_year"]), vec![p1, p2]);
        assert_eq!(ids(&f["producing_in_year"]), vec![p2]);
        assert_eq!(ids(&f["fast_path"]), vec![p2]);
        assert_eq!(f["zones"], json!([]), "one zone: no zone ranking");
        assert_eq!(
            ranking(&f["departments"]),
            vec![
                (1, "经发部".into(), Some(500)),
                (2, "招商局".into(), Some(100)),
            ]
        );
        // 王包联: (6,000 + 1,000) / 22,000 = 31.8%; the rest 4,000 / 8,000 = 50.0%.
        // The rest stand apart as 未分配, never ranked.
        assert_eq!(ranking(&f["liaisons"]), vec![(1, "王包联".into(), Some(318))]);
        assert_eq!(f["liaisons_unassigned"]["unit"]["name"], "未分配");
        assert_eq!(f["liaisons_unassigned"]["totals"]["completion_tenths"], 500);
        // June 30: P1 red (land blocker overdue), P2 green, P3 red (40 points
        // behind), P4 cancelled.
        assert_eq!(f["rag"], json!({"red": 2, "yellow": 0, "green": 1}));
        let red: Vec<_> = f["red"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["project_id"].as_i64().unwrap(), r["reasons"][0]["key"].clone()))
            .collect();
        assert_eq!(
            red,
            vec![
                (p1, json!("rag.blocker_overdue")),
                (p3, json!("rag.investment_behind"))
            ]
        );
        assert_eq!(f["overdue_blockers"], 1);
        assert_eq!(f["overdue_by_factor"][0]["factor"], "land");

        // Each figure's trace lists the projects and months behind it.
        let as_of = june["as_of"].as_i64().unwrap();
        let trace = |figure: &'static str| {
            let admin = &admin;
            let query = query.clone();
            async move {
                let (status, body) = admin
                    .get(&format!(
                        "/api/v1/monthly-bulletins/trace?{query}&as_of={as_of}&figure={figure}"
                    ))
                    .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                body
            }
        };
        let all = trace("all").await;
        assert_eq!(all["lines"].as_array().unwrap().len(), 3);
        let left_out = trace("left_out").await;
        assert_eq!(left_out["lines"][0]["project_id"], p4);
        assert_eq!(all["ytd"], o["ytd"]);
        assert_eq!(all["planned"], o["planned"]);
        let p1_line = &all["lines"][0];
        assert_eq!(p1_line["months"], json!([10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000, 10_000_000]));
        let dept = f["departments"][0]["trace"].as_str().unwrap().to_owned();
        let (_, by_dept) = admin
            .get(&format!("/api/v1/monthly-bulletins/trace?{query}&as_of={as_of}&figure={dept}"))
            .await;
        assert_eq!(by_dept["ytd"], 100_000_000, "经发部: P1 6,000 + P2 4,000");
        assert_eq!(trace("rag:red").await["lines"].as_array().unwrap().len(), 2);
        assert_eq!(trace("overdue:land").await["lines"][0]["project_id"], p1);
        let session = app.login("admin").await;
        let (status, page) = session.get_text(&format!("/monthly-bulletins?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("36.7%") && page.contains("低于序时进度13.3个百分点"), "{page}");
        assert!(page.contains("另有取消项目1个"), "{page}");
        assert!(page.contains("figure=new_starts"), "totals link to their projects");
        assert!(page.contains("<svg"), "charts");
        let (status, page) = session
            .get_text(&format!("/monthly-bulletins/trace?{query}&as_of={as_of}&figure=all"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("测试光伏电站") && page.contains("11000.00"), "{page}");

        // The Word file: title, numbered sections, tables in 亿元 and percent.
        let docx_bytes = file_of(
            &session,
            &format!("/monthly-bulletins/bulletin.docx?{query}&as_of={as_of}"),
        )
        .await;
        let read = kfq_docx::read_back(&docx_bytes).unwrap();
        let text: String = read.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
        for expected in [
            // Too long for one line: broken after the unit's name.
            "通报测试开发区\n2024年6月重点项目推进情况通报",
            "一、总体情况",
            "二、分项情况",
            "三、存在问题",
            "四、下步工作",
            "1-6月累计完成投资1.10亿元，占年度计划的36.7%，低于序时进度13.3个百分点",
            "另有取消项目1个，总投资0.50亿元、1-6月完成投资0.05亿元，未计入",
            "本月新开工项目1个、新投产项目1个",
            "其中当年签约、当年开工、当年投产项目1个",
            "红色预警项目2个",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        let totals_row = read.tables[0].last().unwrap();
        assert_eq!(totals_row, &["合计", "3", "20.00", "3.00", "1.10", "36.7%"]);
        let departments = read
            .tables
            .iter()
            .find(|t| t[0].iter().any(|c| c == "责任部门"))
            .unwrap();
        assert_eq!(departments[1], ["1", "经发部", "2", "2.00", "1.00", "50.0%", "0.0"]);
        // The Excel file holds the same tables.
        let xlsx = session
            .get(&format!("/monthly-bulletins/bulletin.xlsx?{query}&as_of={as_of}"))
            .await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        let bytes = xlsx.bytes().await.unwrap().to_vec();
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        assert!(names.contains(&"分阶段".to_string()) && names.contains(&"红色预警项目".to_string()), "{names:?}");
        let stages_sheet = book.worksheet_range("分阶段").unwrap();
        let rows: Vec<Vec<String>> = stages_sheet
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        let total = rows.iter().find(|r| r[0] == "合计").unwrap();
        assert_eq!(total[1..5], ["3", "20", "3", "1.1"]);
        let red_sheet = book.worksheet_range("红色预警项目").unwrap();
        assert_eq!(red_sheet.rows().count(), 3 + 2, "title, unit, header and two projects");

        // The ledger moves on: June corrected, July reported, a plan raised,
        // P3 starts in July, the blocker resolved, a new project entered.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let (_, months) = admin.get(&format!("/api/v1/projects/{p1}/investments")).await;
        let june_p1 = months.as_array().unwrap().iter().find(|m| m["month"] == 6).unwrap().clone();
        post_ok(
            &admin,
            &format!("/api/v1/projects/{p1}/investments"),
            json!({"year": 2024, "month": 6, "amount": "3000", "version": june_p1["version"]}),
        )
        .await;
        post_ok(
            &admin,
            &format!("/api/v1/projects/{p1}/investments"),
            json!({"year": 2024, "month": 7, "amount": "900"}),
        )
        .await;
        let (_, plans) = admin.get(&format!("/api/v1/projects/{p3}/plans")).await;
        let plan = plans.as_array().unwrap().iter().find(|p| p["year"] == 2024).unwrap().clone();
        post_ok(
            &admin,
            &format!("/api/v1/projects/{p3}/plans"),
            json!({"year": 2024, "planned_investment": "20000", "version": plan["version"]}),
        )
        .await;
        stages(&admin, p3, &[("started", "2024-07-10")]).await;
        let (_, blockers) = admin.get(&format!("/api/v1/projects/{p1}/blockers")).await;
        let b = &blockers[0];
        assert_eq!(b["id"], zone.blocker);
        let (status, _) = admin
            .put(
                &format!("/api/v1/blockers/{}", zone.blocker),
                &json!({"factor": "land", "description": b["description"], "raised_on": "2024-05-01",
                        "status": "resolved", "resolution": "指标已调剂", "resolved_on": "2024-06-25",
                        "version": b["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let late = post_ok(
            &admin,
            "/api/v1/projects",
            json!({"zone_id": zone.id, "name": "补录项目", "category": "industrial", "nature": "new",
                   "total_investment": "8000", "stage": "planning"}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        stages(&admin, late, &[("signed", "2024-03-01")]).await;

        // At the same cut-off the bulletin is what it was, to the byte.
        let (_, again) = admin
            .get(&format!("/api/v1/monthly-bulletins?{query}&as_of={as_of}"))
            .await;
        for (key, value) in june["figures"].as_object().unwrap() {
            assert_eq!(&again["figures"][key], value, "{key}");
        }
        let docx_again = file_of(&session, &format!("/monthly-bulletins/bulletin.docx?{query}&as_of={as_of}")).await;
        assert_eq!(
            kfq_docx::read_back(&docx_again).unwrap().tables,
            read.tables,
            "the Word tables too"
        );
        // Now, the corrections show: June 3,000 for P1, P3's plan 20,000, the
        // late project (P4 still left out); the blocker resolved in June.
        let (_, now) = admin.get(&format!("/api/v1/monthly-bulletins?{query}")).await;
        let n = &now["figures"]["overall"];
        assert_eq!(n["projects"], 4);
        assert_eq!(n["ytd"], 130_000_000_i64);
        assert_eq!(n["planned"], 400_000_000_i64);
        assert_eq!(now["figures"]["overdue_blockers"], 0);
        assert_eq!(ids(&now["figures"]["new_starts"]), vec![p1], "P3's July start is not June's");

        // Issuing freezes it: the page defaults to the issue's cut-off and
        // the file comes back as issued, with its hash.
        let (status, issued) = admin
            .post(
                "/api/v1/monthly-bulletins/issue",
                &json!({"org_id": zone.id, "period": "2024-06", "as_of": as_of}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{issued}");
        assert_eq!(issued["as_of"], as_of);
        let (status, twice) = admin
            .post(
                "/api/v1/monthly-bulletins/issue",
                &json!({"org_id": zone.id, "period": "2024-06"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{twice}");
        let (_, shown) = admin.get(&format!("/api/v1/monthly-bulletins?{query}")).await;
        assert_eq!(shown["as_of"], as_of);
        assert_eq!(shown["figures"], june["figures"]);
        let file = file_of(&session, &format!("/monthly-bulletins/issued.docx?{query}")).await;
        use sha2::Digest;
        assert_eq!(hex::encode(sha2::Sha256::digest(&file)), issued["sha256"].as_str().unwrap());
        let (_, page) = session.get_text(&format!("/monthly-bulletins?{query}")).await;
        assert!(page.contains("已签发") && page.contains("与签发稿一致"), "{page}");
        let (status, _) = admin
            .post(
                "/api/v1/monthly-bulletins/issue",
                &json!({"org_id": zone.id, "period": chrono::Utc::now().format("%Y-%m").to_string()}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a running month is not issued");
    })
    .await;
}

#[tokio::test]
async fn bulletins_stay_within_the_users_scope() {
    each_backend(async |app| {
        let yc = app.zone("运城经济技术开发区").id;
        let lf = app.api_client("lf.staff").await;
        let (status, _) = lf
            .get(&format!(
                "/api/v1/monthly-bulletins?org_id={yc}&period=2024-06"
            ))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = lf
            .post(
                "/api/v1/monthly-bulletins/issue",
                &json!({"org_id": yc, "period": "2024-06"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // A zone's own bulletin by default; a province supervisor sees zones ranked.
        let (status, own) = lf.get("/api/v1/monthly-bulletins?period=2024-06").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(own["org_name"], "临汾经济开发区");
        let province = app.api_client("sheng.duban").await;
        let (status, all) = province
            .get("/api/v1/monthly-bulletins?period=2024-06")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(all["figures"]["zones"].as_array().unwrap().len() > 1);
        // A province ranks its zones, not 106 departments by bare name.
        assert_eq!(all["figures"]["departments"], serde_json::json!([]));
        assert_eq!(all["figures"]["liaisons"], serde_json::json!([]));
        let session = app.login("sheng.duban").await;
        let (_, page) = session.get_text("/monthly-bulletins?period=2024-06").await;
        assert!(
            page.contains("开发区排名") && !page.contains("责任部门排名"),
            "{page}"
        );
        let docx = file_of(&session, "/monthly-bulletins/bulletin.docx?period=2024-06").await;
        let read = kfq_docx::read_back(&docx).unwrap();
        let text: String = read.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
        assert!(!text.contains("未分配"), "{text}");
        let (status, bad) = province
            .get("/api/v1/monthly-bulletins?period=2024-13")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let enterprise = app.api_client("yc.qiye").await;
        let (status, _) = enterprise.get("/api/v1/monthly-bulletins").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

/// Saves a file for `scripts/render-bulletin.sh` when `KFQ_RENDER_DIR` names
/// a directory; nothing otherwise.
fn keep_for_rendering(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("KFQ_RENDER_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

fn texts_in<'a>(read: &'a kfq_docx::ReadDocument, style: &str) -> Vec<&'a str> {
    read.texts_in(style)
}

#[tokio::test]
async fn issuing_asks_for_confirmation_and_keeps_the_words_typed() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let zone = small_zone(&app, &admin).await;
        let query = format!("org_id={}&period=2024-06", zone.id);
        let (_, june) = admin.get(&format!("/api/v1/monthly-bulletins?{query}")).await;
        let as_of = june["as_of"].as_i64().unwrap().to_string();
        let session = app.login("admin").await;

        // The page proposes the words: the zone's departments as 主送, the
        // unit above as 抄送, a 导语 and 下步工作 drawn from the figures.
        let (status, page) = session.get_text(&format!("/monthly-bulletins?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        keep_for_rendering("page-issue.html", page.as_bytes());
        let city = app.zone("运城经济技术开发区").parent_id.unwrap();
        let (_, city) = admin.get(&format!("/api/v1/orgs/{city}")).await;
        let city_name = city["name"].as_str().unwrap();
        for expected in [
            "name=\"addressee\"",
            "管委会各部门，各有关单位</textarea>",
            &format!("{city_name}</textarea>"),
            "现将2024年6月全区重点项目推进情况通报如下。",
            "（一）加快投资进度。全区年度计划投资完成率36.7%",
            "formaction=\"/monthly-bulletins/preview.docx\"",
        ] {
            assert!(page.contains(expected), "{expected} in {page}");
        }

        let words = [
            ("org_id", zone.id.to_string()),
            ("period", "2024-06".to_string()),
            ("as_of", as_of.clone()),
            ("addressee", "经发部、招商局：".to_string()),
            ("lead", "六月是全年投资的关键月。".to_string()),
            ("next_steps", "（一）盯紧光伏电站用地。\r\n\r\n（二）月底前完成新材料项目开工。".to_string()),
            ("copy_to", "运城市商务局".to_string()),
        ];
        let form = |extra: &[(&'static str, &'static str)]| {
            let mut fields: Vec<(&str, &str)> =
                words.iter().map(|(k, v)| (*k, v.as_str())).collect();
            fields.extend_from_slice(extra);
            fields
        };
        let issued_now = async || {
            let (_, shown) = admin.get(&format!("/api/v1/monthly-bulletins?{query}")).await;
            !shown["issued"].is_null()
        };

        // The preview holds the words typed; nothing is kept.
        let preview = session.post_form("/monthly-bulletins/preview.docx", &form(&[])).await;
        assert_eq!(preview.status(), StatusCode::OK);
        let read = kfq_docx::read_back(&preview.bytes().await.unwrap()).unwrap();
        assert_eq!(texts_in(&read, "Addressee"), ["经发部、招商局："]);
        assert!(!issued_now().await);

        // The issue button answers with what will be frozen; nothing yet is.
        let response = session.post_form("/monthly-bulletins/issue", &form(&[])).await;
        assert_eq!(response.status(), StatusCode::OK);
        let confirm = response.text().await.unwrap();
        keep_for_rendering("page-confirm.html", confirm.as_bytes());
        for expected in [
            "确认签发月通报",
            "通报测试开发区",
            "2024年6月",
            "重点项目3个，1-6月完成投资1.10亿元，完成率36.7%",
            "不能撤销",
            "name=\"confirm\" value=\"1\"",
            "六月是全年投资的关键月。</textarea>",
        ] {
            assert!(confirm.contains(expected), "{expected} in {confirm}");
        }
        assert!(!issued_now().await, "not issued without the confirmation");

        // 返回修改 brings the page back with the words as typed.
        let response = session.post_form("/monthly-bulletins/issue", &form(&[("back", "1")])).await;
        assert_eq!(response.status(), StatusCode::OK);
        let back = response.text().await.unwrap();
        assert!(back.contains("六月是全年投资的关键月。</textarea>"), "{back}");
        assert!(!issued_now().await);

        // Refused words come back with the reason and the typing, never a 500.
        let mut blank: Vec<(&str, &str)> = form(&[("confirm", "1")]);
        blank.retain(|(k, _)| *k != "addressee");
        blank.push(("addressee", "  "));
        let response = session.post_form("/monthly-bulletins/issue", &blank).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused = response.text().await.unwrap();
        assert!(refused.contains("请填写主送机关。"), "{refused}");
        assert!(refused.contains("六月是全年投资的关键月。</textarea>"), "{refused}");
        let long = "很".repeat(1001);
        let (status, body) = admin
            .post(
                "/api/v1/monthly-bulletins/issue",
                &json!({"org_id": zone.id, "period": "2024-06", "lead": long}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("导语不能超过1000字"), "{body}");
        assert!(!issued_now().await);

        // Confirmed, it is issued with the words, and the file holds them exactly.
        let response = session.post_form("/monthly-bulletins/issue", &form(&[("confirm", "1")])).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, shown) = admin.get(&format!("/api/v1/monthly-bulletins?{query}")).await;
        let issued = &shown["issued"];
        assert_eq!(issued["addressee"], "经发部、招商局：");
        assert_eq!(issued["lead"], "六月是全年投资的关键月。");
        assert_eq!(issued["next_steps"], "（一）盯紧光伏电站用地。\n\n（二）月底前完成新材料项目开工。");
        assert_eq!(issued["copy_to"], "运城市商务局");
        let file = file_of(&session, &format!("/monthly-bulletins/issued.docx?{query}")).await;
        keep_for_rendering("bulletin-issued.docx", &file);
        let read = kfq_docx::read_back(&file).unwrap();
        assert_eq!(texts_in(&read, "Masthead"), ["通报测试开发区重点项目通报"]);
        assert_eq!(texts_in(&read, "IssueNumber"), ["2024年第6期"]);
        let imprint = texts_in(&read, "Imprint");
        assert!(imprint[0].starts_with("通报测试开发区\t") && imprint[0].ends_with('日'), "{imprint:?}");
        assert_eq!(texts_in(&read, "RedRule"), [""]);
        assert_eq!(texts_in(&read, "Addressee"), ["经发部、招商局："]);
        assert_eq!(texts_in(&read, "CopyTo"), ["抄送：运城市商务局。"]);
        let printed = texts_in(&read, "PrintedBy");
        assert!(printed[0].starts_with("通报测试开发区\t") && printed[0].ends_with("日印发"), "{printed:?}");
        let body: Vec<&str> = texts_in(&read, "Normal");
        assert_eq!(body[0], "六月是全年投资的关键月。", "the 导语 opens the text");
        let next = read
            .paragraphs
            .iter()
            .position(|(_, t)| t == "四、下步工作")
            .unwrap();
        assert_eq!(
            read.paragraphs[next + 1..next + 3]
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>(),
            ["（一）盯紧光伏电站用地。", "（二）月底前完成新材料项目开工。"]
        );
        assert_eq!(read.paragraphs[next + 3].0, "CopyTo", "the 版记 follows");
        // The page shows the words kept, and the preview of the issued month
        // is the issued file's text.
        let (_, page) = session.get_text(&format!("/monthly-bulletins?{query}")).await;
        assert!(page.contains("data-testid=\"issued-words\"") && page.contains("盯紧光伏电站用地"), "{page}");
        assert!(!page.contains("data-testid=\"issue-form\""), "{page}");
        let again = file_of(&session, &format!("/monthly-bulletins/bulletin.docx?{query}")).await;
        assert_eq!(kfq_docx::read_back(&again).unwrap().paragraphs, read.paragraphs);
        let xlsx = file_of(&session, &format!("/monthly-bulletins/bulletin.xlsx?{query}")).await;
        keep_for_rendering("bulletin.xlsx", &xlsx);
        // Each sheet prints on A4 one page wide, within its print area, the
        // title merged across the table; the narrow tables stand portrait.
        let workbook = kfq_docx::read_part(&xlsx, "xl/workbook.xml").unwrap();
        assert!(workbook.contains("_xlnm.Print_Area"), "{workbook}");
        let sheet = kfq_docx::read_part(&xlsx, "xl/worksheets/sheet1.xml").unwrap();
        for expected in [
            r#"<mergeCell ref="A1:F1"/>"#,
            r#"<pageSetUpPr fitToPage="1"/>"#,
            r#"paperSize="9""#,
            r#"fitToHeight="0""#,
            r#"orientation="portrait""#,
        ] {
            assert!(sheet.contains(expected), "{expected} in {sheet}");
        }

        // The API takes the same words; one left out keeps the proposal.
        let (status, may) = admin
            .post(
                "/api/v1/monthly-bulletins/issue",
                &json!({"org_id": zone.id, "period": "2024-05", "copy_to": "", "next_steps": "（一）只此一段。"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{may}");
        assert_eq!(may["copy_to"], "");
        assert_eq!(may["addressee"], "管委会各部门，各有关单位");
        let file = file_of(&session, &format!("/monthly-bulletins/issued.docx?org_id={}&period=2024-05", zone.id)).await;
        let read = kfq_docx::read_back(&file).unwrap();
        assert!(texts_in(&read, "CopyTo").is_empty(), "no 抄送 line");
        assert_eq!(texts_in(&read, "Addressee"), ["管委会各部门，各有关单位："]);
        assert_eq!(texts_in(&read, "IssueNumber"), ["2024年第5期"]);
        assert_eq!(read.paragraphs.iter().filter(|(_, t)| t == "（一）只此一段。").count(), 1);
        let trail = app.store.audit_verify().await.unwrap();
        assert!(trail.broken.is_none());
    })
    .await;
}

#[tokio::test]
async fn empty_tables_are_said_in_one_sentence() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let city = app.zone("运城经济技术开发区").parent_id.unwrap();
        let zone = post_ok(
            &admin,
            "/api/v1/orgs",
            json!({"kind": "zone", "parent_id": city, "name": "空白测试开发区", "code": "TB-2",
                   "zone_level": "provincial", "zone_type": "economic"}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let query = format!("org_id={zone}&period=2024-06");
        let session = app.login("admin").await;
        let file = file_of(
            &session,
            &format!("/monthly-bulletins/bulletin.docx?{query}"),
        )
        .await;
        keep_for_rendering("bulletin-empty.docx", &file);
        let read = kfq_docx::read_back(&file).unwrap();
        let body = texts_in(&read, "Normal");
        for sentence in [
            "本月无可排名的责任部门。",
            "本月无可排名的包联领导。",
            "本月无新开工项目。",
            "本月无新投产项目。",
            "本年无当年签约、当年开工、当年投产项目。",
            "本月无红色预警项目。",
            "本月无逾期问题。",
        ] {
            assert!(body.contains(&sentence), "{sentence} in {body:?}");
        }
        // Only the tables by stage and by category remain, numbered 1 and 2.
        assert_eq!(read.tables.len(), 2);
        assert_eq!(
            texts_in(&read, "TableCaption"),
            ["表1 项目分阶段情况", "表2 项目分类别情况"]
        );
        let (status, page) = session
            .get_text(&format!("/monthly-bulletins?{query}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        keep_for_rendering("page-empty.html", page.as_bytes());
        for sentence in [
            "本月无红色预警项目。",
            "本月无逾期问题。",
            "本月无可排名的责任部门。",
        ] {
            assert!(page.contains(sentence), "{sentence} in {page}");
        }
        assert!(!page.contains("data-testid=\"red\"") && !page.contains("data-testid=\"factors\""));
        // The workbook's empty sheets say so under their header, not a bare header.
        let xlsx = file_of(
            &session,
            &format!("/monthly-bulletins/bulletin.xlsx?{query}"),
        )
        .await;
        keep_for_rendering("bulletin-empty.xlsx", &xlsx);
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
        for (sheet, sentence) in [
            ("红色预警项目", "本月无红色预警项目。"),
            ("逾期问题", "本月无逾期问题。"),
            ("部门排名", "本月无可排名的责任部门。"),
            ("包联领导排名", "本月无可排名的包联领导。"),
        ] {
            let range = book.worksheet_range(sheet).unwrap();
            assert_eq!(
                range.get_value((3, 0)).map(ToString::to_string).as_deref(),
                Some(sentence),
                "{sheet}"
            );
        }
    })
    .await;
}
