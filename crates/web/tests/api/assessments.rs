//! 季考核 on a small fixed ledger in a fresh zone, every item checked against
//! figures worked by hand; a closed quarter stays frozen while the ledger
//! moves on; only the units above may set a unit's sheet.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, field_errors, Api, TestApp};

const CITY_OF: &str = "运城经济技术开发区";

struct Fixture {
    city: i64,
    zone: i64,
    economy: i64,
    attraction: i64,
    liaison: i64,
    p2: i64,
}

async fn ok(api: &Api, path: &str, body: Value) -> Value {
    let (status, answer) = api.post(path, &body).await;
    assert!(status.is_success(), "{path} {body}: {status} {answer}");
    answer
}

async fn project(
    api: &Api,
    zone: i64,
    name: &str,
    nature: &str,
    dept: i64,
    liaison: Option<i64>,
) -> (i64, i64) {
    let p = ok(
        api,
        "/api/v1/projects",
        json!({"zone_id": zone, "name": name, "category": "industrial", "nature": nature,
               "total_investment": "10000", "stage": "planning", "department_id": dept,
               "liaison_user_id": liaison}),
    )
    .await;
    (p["id"].as_i64().unwrap(), p["version"].as_i64().unwrap())
}

async fn stages(api: &Api, (id, mut version): (i64, i64), steps: &[(&str, &str)]) {
    for (stage, date) in steps {
        let body = ok(
            api,
            &format!("/api/v1/projects/{id}/stage"),
            json!({"stage": stage, "date": date, "version": version}),
        )
        .await;
        version = body["version"].as_i64().unwrap();
    }
}

async fn plan(api: &Api, id: i64, wan: &str, start: Option<&str>, production: Option<&str>) {
    ok(
        api,
        &format!("/api/v1/projects/{id}/plans"),
        json!({"year": 2025, "planned_investment": wan, "target_start": start,
               "target_production": production}),
    )
    .await;
}

async fn months(api: &Api, id: i64, amounts: &[(u32, &str)]) {
    for (month, amount) in amounts {
        ok(
            api,
            &format!("/api/v1/projects/{id}/investments"),
            json!({"year": 2025, "month": month, "amount": amount}),
        )
        .await;
    }
}

/// The ledger of `assessment::tests` (see there), built through the API in a
/// new zone under 运城市 with two departments and one liaison leader (张三,
/// on P1 and P3).
async fn fixture(app: &TestApp, admin: &Api) -> Fixture {
    let city = app.zone(CITY_OF).parent_id.unwrap();
    let zone = ok(
        admin,
        "/api/v1/orgs",
        json!({"kind": "zone", "parent_id": city, "name": "考核测试开发区", "code": "KH-TEST-1",
               "zone_level": "provincial", "zone_type": "economic"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let mut depts = Vec::new();
    for name in ["经发局", "招商局"] {
        let d = ok(
            admin,
            "/api/v1/orgs",
            json!({"kind": "department", "parent_id": zone, "name": name}),
        )
        .await;
        depts.push(d["id"].as_i64().unwrap());
    }
    let (economy, attraction) = (depts[0], depts[1]);
    let liaison = ok(
        admin,
        "/api/v1/users",
        json!({"username": "kh.zhangsan", "display_name": "张三", "role": "liaison",
               "org_unit_id": zone, "password": "kfq-test-2026"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    let p1 = project(admin, zone, "考核甲项目", "new", economy, Some(liaison)).await;
    plan(admin, p1.0, "1200", Some("2025-03-15"), Some("2025-12-01")).await;
    months(
        admin,
        p1.0,
        &[
            (1, "100"),
            (2, "100"),
            (3, "100"),
            (4, "100"),
            (5, "100"),
            (6, "100"),
        ],
    )
    .await;
    stages(
        admin,
        p1,
        &[("signed", "2025-01-10"), ("started", "2025-04-02")],
    )
    .await;

    let p2 = project(admin, zone, "考核乙项目", "new", economy, None).await;
    plan(admin, p2.0, "900", Some("2025-05-01"), Some("2025-06-15")).await;
    months(admin, p2.0, &[(1, "100"), (2, "100"), (6, "33")]).await;
    stages(admin, p2, &[("signed", "2025-02-01")]).await;

    let p3 = project(
        admin,
        zone,
        "考核丙项目",
        "continuing",
        attraction,
        Some(liaison),
    )
    .await;
    plan(admin, p3.0, "0", None, Some("2025-06-01")).await;
    stages(
        admin,
        p3,
        &[
            ("signed", "2025-01-05"),
            ("started", "2025-02-01"),
            ("producing", "2025-05-20"),
        ],
    )
    .await;
    for (deadline, resolved, dept) in [
        ("2025-05-31", Some("2025-05-30"), None),
        ("2025-06-10", Some("2025-06-20"), Some(economy)),
        ("2025-07-15", None, None),
    ] {
        let b = ok(
            admin,
            &format!("/api/v1/projects/{}/blockers", p3.0),
            json!({"factor": "land", "description": format!("用地问题{deadline}"), "raised_on": "2025-01-05",
                   "deadline": deadline, "department_id": dept}),
        )
        .await;
        if let Some(on) = resolved {
            let (status, body) = admin
                .put(
                    &format!("/api/v1/blockers/{}", b["id"]),
                    &json!({"factor": "land", "description": b["description"], "raised_on": "2025-01-05",
                            "deadline": deadline, "department_id": dept, "status": "resolved",
                            "resolution": "已解决", "resolved_on": on, "version": b["version"]}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }

    let p4 = project(admin, zone, "考核丁项目", "new", attraction, None).await;
    plan(admin, p4.0, "0", Some("2025-01-10"), None).await;
    stages(
        admin,
        p4,
        &[("signed", "2024-11-01"), ("started", "2024-12-20")],
    )
    .await;

    Fixture {
        city,
        zone,
        economy,
        attraction,
        liaison,
        p2: p2.0,
    }
}

async fn quarter(api: &Api, org: i64, q: u32) -> Value {
    let (status, body) = api
        .get(&format!(
            "/api/v1/assessments?org_id={org}&year=2025&quarter={q}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn subject<'a>(report: &'a Value, table: &str, id: i64) -> &'a Value {
    report["results"][table]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subject"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {table}: {report}"))
}

/// (numerator, denominator, rate in tenths or null, points in hundredths, no task)
fn items(score: &Value) -> Vec<(i64, i64, Value, i64, bool)> {
    score["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["numerator"].as_i64().unwrap(),
                i["denominator"].as_i64().unwrap(),
                i["rate_tenths"].clone(),
                i["points_hundredths"].as_i64().unwrap(),
                i["no_task"].as_bool().unwrap(),
            )
        })
        .collect()
}

const WAN: i64 = 10_000;

#[tokio::test]
async fn quarters_are_scored_ranked_frozen_and_summed() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let f = fixture(&app, &admin).await;

        // The zone's departments and leader, Q2 2025 (序时进度 50%).
        let q2 = quarter(&admin, f.zone, 2).await;
        assert!(q2["results"]["zones"].as_array().unwrap().is_empty());
        let economy = subject(&q2, "departments", f.economy);
        assert_eq!(
            items(economy),
            [
                // 833 of 2,100 万元 = 39.7%; 40 × (12·833)/(6·2,100) = 31.73.
                (833 * WAN, 2_100 * WAN, json!(397), 3_173, false),
                (1, 2, json!(500), 1_000, false),
                (0, 1, json!(0), 0, false),
                // B2 is charged to 经发局, resolved after its deadline.
                (0, 1, json!(0), 0, false),
            ]
        );
        assert_eq!((economy["total_hundredths"].as_i64(), economy["rank"].as_i64()), (Some(4_173), Some(2)));
        let attraction = subject(&q2, "departments", f.attraction);
        assert_eq!(
            items(attraction),
            [
                // No plan: no task, no points; the other 60 count as 100
                // (33.33 each, the hundredth left over to the first).
                (0, 0, Value::Null, 0, true),
                (1, 1, json!(1000), 3_334, false),
                (1, 1, json!(1000), 3_333, false),
                (1, 1, json!(1000), 3_333, false),
            ]
        );
        assert_eq!((attraction["total_hundredths"].as_i64(), attraction["rank"].as_i64()), (Some(10_000), Some(1)));
        let zhang = subject(&q2, "liaisons", f.liaison);
        assert_eq!(
            items(zhang),
            [
                (600 * WAN, 1_200 * WAN, json!(500), 4_000, false),
                (1, 1, json!(1000), 2_000, false),
                (1, 1, json!(1000), 2_000, false),
                (1, 2, json!(500), 1_000, false),
            ]
        );
        assert_eq!(zhang["total_hundredths"], 9_000);

        // The city ranks its zones; ours scores 31.73 + 13.33 + 10 + 10.
        let city_q2 = quarter(&admin, f.city, 2).await;
        let ours = subject(&city_q2, "zones", f.zone);
        assert_eq!(
            items(ours),
            [
                (833 * WAN, 2_100 * WAN, json!(397), 3_173, false),
                (2, 3, json!(667), 1_333, false),
                (1, 2, json!(500), 1_000, false),
                (1, 2, json!(500), 1_000, false),
            ]
        );
        assert_eq!(ours["total_hundredths"], 6_506);
        let ranks: Vec<i64> = city_q2["results"]["zones"].as_array().unwrap().iter().map(|s| s["rank"].as_i64().unwrap()).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]) && ranks[0] == 1, "{ranks:?}");
        // The breakdown names the projects and blockers behind each item.
        let (status, b) = admin
            .get(&format!("/api/v1/assessments/breakdown?org_id={}&year=2025&quarter=2&table=zones&subject_id={}", f.city, f.zone))
            .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let basis: Vec<usize> = b["score"]["items"].as_array().unwrap().iter().map(|i| i["basis"].as_array().unwrap().len()).collect();
        assert_eq!(basis, [2, 3, 2, 2]);
        assert!(b["score"]["items"][3]["basis"].as_array().unwrap().iter().all(|x| x["blocker_id"].is_i64()));

        // Q3 before any edit: 序时进度 75%, B3 now due and open.
        let q3 = quarter(&admin, f.city, 3).await;
        assert_eq!(subject(&q3, "zones", f.zone)["total_hundredths"], 2_116 + 1_333 + 1_000 + 667);

        // The province closes Q2 for the city; a second close is refused,
        // so is closing a quarter that has not ended.
        let duban = app.api_client("sheng.duban").await;
        let (status, closed) = duban
            .post("/api/v1/assessments/close", &json!({"org_id": f.city, "year": 2025, "quarter": 2}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{closed}");
        assert_eq!(closed["closing"]["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(closed["closing"]["differs_now"], false);
        let (status, again) = duban
            .post("/api/v1/assessments/close", &json!({"org_id": f.city, "year": 2025, "quarter": 2}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&again), [("quarter".to_string(), "本季度已关闭，得分已冻结。".to_string())]);
        let (status, open) = duban
            .post("/api/v1/assessments/close", &json!({"org_id": f.city, "year": 2100, "quarter": 4}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{open}");

        // May and July reported late: 300 and 500 万元 more on P2.
        months(&admin, f.p2, &[(5, "300"), (7, "500")]).await;
        let frozen = quarter(&admin, f.city, 2).await;
        assert_eq!(subject(&frozen, "zones", f.zone), ours, "a closed quarter stays as frozen");
        assert_eq!(frozen["closing"]["differs_now"], true);
        assert_eq!(frozen["closing"]["intact"], true);
        // Open quarters move: 1,633 of 2,100 (77.8%) is ahead of 75%: full 40.
        let q3 = quarter(&admin, f.city, 3).await;
        assert_eq!(subject(&q3, "zones", f.zone)["total_hundredths"], 4_000 + 1_333 + 1_000 + 667);
        // The zone's own Q2 was not closed: it moves too (经发局 plan item).
        let zone_q2 = quarter(&admin, f.zone, 2).await;
        assert_ne!(subject(&zone_q2, "departments", f.economy)["items"][0]["points_hundredths"], 3_173);

        // 年兑现: Q1 has no production or blocker due, so its 38.10 + 10 of
        // the 60 that apply count as (48.10 × 100/60 =) 80.17; Q2 frozen;
        // Q3; Q4 31.10+13.33+6.67+6.67.
        let (status, year) = admin.get(&format!("/api/v1/assessments/year?org_id={}&year=2025", f.city)).await;
        assert_eq!(status, StatusCode::OK, "{year}");
        assert_eq!(year["quarters"], json!(["open", "closed", "open", "open"]));
        let line = year["zones"].as_array().unwrap().iter().find(|l| l["subject"]["id"] == f.zone).unwrap();
        assert_eq!(line["quarters"], json!([8_017, 6_506, 7_000, 5_777]));
        assert_eq!(line["total_hundredths"], 8_017 + 6_506 + 7_000 + 5_777);

        // The pages and the workbook.
        let session = app.login("admin").await;
        let (status, html) = session.get_text(&format!("/assessment?org_id={}&year=2025&quarter=2", f.zone)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("经发局") && html.contains("张三") && html.contains("关闭本季度"), "{html}");
        let (status, html) = session.get_text(&format!("/assessment?org_id={}&year=2025&quarter=2", f.city)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("65.06") && html.contains(closed["closing"]["sha256"].as_str().unwrap()));
        let (status, html) = session
            .get_text(&format!("/assessment/breakdown?org_id={}&year=2025&quarter=2&table=departments&subject_id={}", f.zone, f.economy))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("考核乙项目") && html.contains("问题#"), "{html}");
        // Outcomes read as sentences: B2 closed after its deadline, P1 and
        // P2 (with May reported late) on their half-year share, P2 not
        // producing by its date.
        for verdict in ["逾期办结", "达到序时进度", "逾期未投产"] {
            assert!(html.contains(verdict), "{verdict}: {html}");
        }
        let (status, html) = session.get_text(&format!("/assessment/year?org_id={}&year=2025", f.city)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("273.00"), "year total on the page");
        let xlsx = session.get(&format!("/assessment/ranking.xlsx?org_id={}&year=2025&quarter=2", f.city)).await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        assert!(xlsx.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    })
    .await;
}

#[tokio::test]
async fn sheets_are_set_from_above_and_inherited() {
    each_backend(async |app| {
        let zone = app.zone(CITY_OF).id;
        let city = app.zone(CITY_OF).parent_id.unwrap();
        let weights = |org: i64, version: i64, w: [u32; 4]| {
            json!({"org_id": org, "year": 2024, "plan_completion": w[0], "start_rate": w[1],
                   "production_rate": w[2], "blocker_closure": w[3], "version": version})
        };
        // A zone may not set its city's sheet (the city lies outside its scope),
        // nor may zone staff set their own zone's.
        let zone_admin = app.api_client("yc.admin").await;
        let (status, _) = zone_admin
            .put(
                "/api/v1/assessments/sheet",
                &weights(city, 0, [50, 20, 10, 20]),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = zone_admin
            .post(
                "/api/v1/assessments/close",
                &json!({"org_id": city, "year": 2024, "quarter": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let staff = app.api_client("yc.staff").await;
        let (status, _) = staff
            .put(
                "/api/v1/assessments/sheet",
                &weights(zone, 0, [50, 20, 10, 20]),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The province sets it; weights must add up to 100.
        let duban = app.api_client("sheng.duban").await;
        let (status, body) = duban
            .put(
                "/api/v1/assessments/sheet",
                &weights(city, 0, [50, 20, 10, 10]),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&body),
            [("items".to_string(), "各项分值合计应为100分。".to_string())]
        );
        let (status, sheet) = duban
            .put(
                "/api/v1/assessments/sheet",
                &weights(city, 0, [50, 20, 10, 20]),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{sheet}");
        assert_eq!(
            (sheet["own"].as_bool(), sheet["version"].as_i64()),
            (Some(true), Some(1))
        );
        let (status, _) = duban
            .put(
                "/api/v1/assessments/sheet",
                &weights(city, 0, [40, 20, 20, 20]),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version");

        // The zone inherits it, and scores with it.
        let (status, inherited) = zone_admin
            .get(&format!(
                "/api/v1/assessments/sheet?org_id={zone}&year=2024"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(inherited["own"], false);
        let w: Vec<i64> = inherited["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["weight"].as_i64().unwrap())
            .collect();
        assert_eq!(w, [50, 20, 10, 20]);
        let (_, report) = zone_admin
            .get(&format!(
                "/api/v1/assessments?org_id={zone}&year=2024&quarter=4"
            ))
            .await;
        assert_eq!(report["results"]["sheet"]["items"][0]["weight"], 50);

        // The zone sets its own sheet for its departments and leaders.
        let (status, own) = zone_admin
            .put(
                "/api/v1/assessments/sheet",
                &weights(zone, 0, [100, 0, 0, 0]),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{own}");
        let (_, report) = zone_admin
            .get(&format!(
                "/api/v1/assessments?org_id={zone}&year=2024&quarter=4"
            ))
            .await;
        assert_eq!(
            report["results"]["sheet"]["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // Someone outside sees nothing of it.
        let outsider = app.api_client("lf.staff").await;
        let (status, _) = outsider
            .get(&format!(
                "/api/v1/assessments?org_id={zone}&year=2024&quarter=4"
            ))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}
