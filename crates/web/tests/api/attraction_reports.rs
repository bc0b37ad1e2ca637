//! 招商引资 reports through the API and the files: the weekly 在谈 report
//! with what each week moved, the monthly 通报 against targets, and the
//! ledger sent upward in its two sheets — the same figures everywhere.

use calamine::Reader;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, fresh_credit_code, Api};

async fn lead(api: &Api, zone: i64, name: &str, wan: &str, registered: &str) -> Value {
    let (status, investor) = api
        .post(
            "/api/v1/attraction/investors",
            &json!({"zone_id": zone, "name": format!("{name}控股有限公司"), "origin": "out_of_province",
                    "origin_place": "江苏省"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{investor}");
    let (status, lead) = api
        .post(
            "/api/v1/attraction/leads",
            &json!({"zone_id": zone, "name": format!("{name}项目"), "investor_id": investor["id"],
                    "investment": wan, "source": "visit_out", "registered_on": registered}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{lead}");
    lead
}

async fn step(api: &Api, lead: &Value, mut body: Value) -> Value {
    body["version"] = lead["version"].clone();
    let (status, moved) = api
        .post(
            &format!("/api/v1/attraction/leads/{}/stage", lead["id"]),
            &body,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    moved
}

fn sheet_cells(bytes: &[u8], sheet: &str) -> Vec<String> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    book.worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet}: {e}"))
        .rows()
        .flatten()
        .map(|c| c.to_string())
        .collect()
}

#[tokio::test]
async fn the_weekly_report_shows_each_project_in_talks_with_its_week_and_next_step() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        // In talks since March: a large project and a small one.
        let big = lead(&api, zone, "周报大型储能", "80000", "2026-03-02").await;
        let big = step(&api, &big, json!({"stage": "assessing", "on": "2026-03-05"})).await;
        step(&api, &big, json!({"stage": "negotiating", "on": "2026-03-20"})).await;
        let small = lead(&api, zone, "周报小型配套", "3000", "2026-03-02").await;
        step(&api, &small, json!({"stage": "assessing", "on": "2026-03-05"})).await;
        // The week of 2026-11-16: a visit on the large one, a new lead, a signing.
        let (status, visit) = api
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "visit_out", "title": "赴南京拜访储能企业",
                        "on_date": "2026-11-18", "outcome": "企业同意来区考察", "leads": [big["id"]],
                        "next_step": "报送项目建议书", "next_due": "2026-12-09"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{visit}");
        // A visit the week before is not this week's.
        api.post(
            "/api/v1/attraction/activities",
            &json!({"zone_id": zone, "kind": "talks", "title": "上周洽谈", "on_date": "2026-11-10",
                    "leads": [big["id"]]}),
        )
        .await;
        lead(&api, zone, "周报新线索", "5000", "2026-11-19").await;
        let signing = lead(&api, zone, "周报签约", "20000", "2026-06-01").await;
        let mut s = step(&api, &signing, json!({"stage": "assessing", "on": "2026-06-05"})).await;
        s = step(&api, &s, json!({"stage": "negotiating", "on": "2026-07-01"})).await;
        step(
            &api,
            &s,
            json!({"stage": "signed", "on": "2026-11-20", "signed_on": "2026-11-20",
                   "signed_amount": "21000", "agreement": "formal", "agreement_docs": "投资合同"}),
        )
        .await;

        let (status, week) = api
            .get(&format!(
                "/api/v1/attraction/reports/weekly?org_id={zone}&week=2026-11-19"
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{week}");
        assert_eq!(week["from"], "2026-11-16");
        assert_eq!(week["to"], "2026-11-22");
        let talks = week["talks"].as_array().unwrap();
        let names: Vec<&str> = talks
            .iter()
            .map(|t| t["lead"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["周报大型储能项目", "周报小型配套项目"], "largest first");
        assert_eq!(talks[0]["week"].as_array().unwrap().len(), 1);
        assert_eq!(talks[0]["week"][0]["title"], "赴南京拜访储能企业");
        assert_eq!(talks[0]["next_step"], "报送项目建议书");
        assert_eq!(talks[0]["next_due"], "2026-12-09");
        assert!(talks[1]["week"].as_array().unwrap().is_empty());
        assert_eq!(week["talks_investment"], 830_000_000i64);
        assert_eq!(week["new_leads"][0]["name"], "周报新线索项目");
        assert_eq!(week["signed"][0]["name"], "周报签约项目");
        assert_eq!(week["activities"], 1);

        // 安庆's report of the large ones only: at least 5亿.
        let (_, large) = api
            .get(&format!(
                "/api/v1/attraction/reports/weekly?org_id={zone}&week=2026-11-19&min=50000"
            ))
            .await;
        assert_eq!(large["talks"].as_array().unwrap().len(), 1);
        // A threshold that is not money is named.
        let (status, _) = api
            .get(&format!(
                "/api/v1/attraction/reports/weekly?org_id={zone}&min=五亿"
            ))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // The files say the same.
        let session = app.login("yc.staff").await;
        let docx = session
            .get(&format!(
                "/attraction/reports/weekly/docx?org_id={zone}&week=2026-11-19"
            ))
            .await;
        assert_eq!(docx.status(), StatusCode::OK);
        let read = kfq_docx::read_back(&docx.bytes().await.unwrap()).unwrap();
        let text: String = read.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
        assert!(
            text.contains("本周在谈项目2个，计划总投资8.30亿元；新增线索1个；新签约项目1个，签约额2.10亿元；开展招商活动1次。"),
            "{text}"
        );
        assert!(text.contains("运城经济技术开发区周报签约项目（2.10亿元）"), "{text}");
        let row = &read.tables[0][1];
        assert_eq!(row[1], "周报大型储能项目");
        assert_eq!(row[3], "8.00");
        assert!(row[5].contains("11月18日 外出招商：赴南京拜访储能企业（企业同意来区考察）"), "{row:?}");
        assert_eq!(row[6], "报送项目建议书（12-09前）");
        let xlsx = session
            .get(&format!(
                "/attraction/reports/weekly/xlsx?org_id={zone}&week=2026-11-19"
            ))
            .await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        let cells = sheet_cells(&xlsx.bytes().await.unwrap(), "在谈项目周报");
        assert!(cells.contains(&"周报小型配套项目".to_owned()), "{cells:?}");
        let (status, page) = session
            .get_text(&format!(
                "/attraction/reports/weekly?org_id={zone}&week=2026-11-19"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("赴南京拜访储能企业") && page.contains("本周无对接活动"));

        // The ledger sent upward: talks and signings apart, totals summed.
        let ledger = session.get("/attraction/export.xlsx").await;
        assert_eq!(ledger.status(), StatusCode::OK);
        let bytes = ledger.bytes().await.unwrap();
        let talks = sheet_cells(&bytes, "在谈项目");
        assert!(talks.contains(&"周报大型储能项目".to_owned()));
        assert!(talks.contains(&"省外·江苏省".to_owned()), "{talks:?}");
        assert!(!talks.contains(&"周报签约项目".to_owned()));
        let signed = sheet_cells(&bytes, "签约项目");
        assert!(signed.contains(&"周报签约项目".to_owned()), "{signed:?}");
        assert!(signed.contains(&"2026-11-20".to_owned()));
        assert!(signed.contains(&"21000".to_owned()), "{signed:?}");
        // Narrowed like the pipeline.
        let one = session
            .get("/attraction/export.xlsx?q=%E5%A4%A7%E5%9E%8B")
            .await;
        let talks = sheet_cells(&one.bytes().await.unwrap(), "在谈项目");
        assert!(talks.contains(&"周报大型储能项目".to_owned()));
        assert!(!talks.contains(&"周报小型配套项目".to_owned()));

        // Another zone's staff get nothing of this zone's report.
        let lf = app.api_client("lf.staff").await;
        let (status, _) = lf
            .get(&format!("/api/v1/attraction/reports/weekly?org_id={zone}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_monthly_bulletin_counts_the_year_against_targets_and_lists_the_months_signings() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let signing = lead(&api, zone, "月报签约", "150000", "2026-05-06").await;
        let mut s = step(&api, &signing, json!({"stage": "assessing", "on": "2026-05-10"})).await;
        s = step(&api, &s, json!({"stage": "negotiating", "on": "2026-06-01"})).await;
        s = step(
            &api,
            &s,
            json!({"stage": "signed", "on": "2026-10-12", "signed_on": "2026-10-12",
                   "signed_amount": "150000", "agreement": "formal", "agreement_docs": "投资合同"}),
        )
        .await;
        step(
            &api,
            &s,
            json!({"stage": "started", "on": "2026-10-30", "enterprise_name": "运城月报新能源有限公司",
                   "enterprise_credit_code": fresh_credit_code(81), "started_on": "2026-10-30"}),
        )
        .await;

        let (status, month) = api
            .get(&format!(
                "/api/v1/attraction/reports/monthly?org_id={zone}&month=2026-10"
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{month}");
        assert_eq!(month["month"], "2026-10");
        assert_eq!(month["board"]["on"], "2026-10-31");
        assert_eq!(month["signed"][0]["name"], "月报签约项目");
        assert_eq!(month["started"][0]["name"], "月报签约项目");
        let (_, november) = api
            .get(&format!(
                "/api/v1/attraction/reports/monthly?org_id={zone}&month=2026-11"
            ))
            .await;
        assert!(november["signed"].as_array().unwrap().is_empty());
        assert!(november["board"]["kpis"]["signed"].as_i64().unwrap() >= 1);
        let (status, _) = api
            .get(&format!(
                "/api/v1/attraction/reports/monthly?org_id={zone}&month=2026-13"
            ))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // The province's 通报: its zones ranked, against its targets.
        let sheng = app.api_client("sheng.duban").await;
        let (_, me) = sheng.get("/api/v1/me").await;
        let province = me["org_unit_id"].as_i64().unwrap();
        let (status, targets) = sheng
            .get(&format!("/api/v1/attraction/targets/{province}?year=2026"))
            .await;
        assert_eq!(status, StatusCode::OK, "{targets}");
        let (status, set) = sheng
            .put(
                &format!("/api/v1/attraction/targets/{province}"),
                &json!({"year": 2026, "signed_amount": "1000000", "version": targets["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{set}");
        let session = app.login("sheng.duban").await;
        let docx = session
            .get(&format!(
                "/attraction/reports/monthly/docx?org_id={province}&month=2026-10"
            ))
            .await;
        assert_eq!(docx.status(), StatusCode::OK);
        let read = kfq_docx::read_back(&docx.bytes().await.unwrap()).unwrap();
        let text: String = read.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
        // 15亿 of a 100亿 target by October: 15.0% against 83.3%.
        assert!(
            text.contains("签约额完成年度目标的15.0%，序时进度83.3%，红灯。"),
            "{text}"
        );
        assert!(text.contains("签约额未达到序时进度"), "{text}");
        assert!(text.contains("1-10月，山西省签约项目1个，签约额15.00亿元"), "{text}");
        let ranking = &read.tables[0];
        assert_eq!(ranking[1][1], "运城经济技术开发区");
        assert_eq!(ranking[1][3], "15.00");
        let signed = &read.tables[1];
        assert!(signed.iter().any(|row| row.contains(&"月报签约项目".to_owned())));
        let xlsx = session
            .get(&format!(
                "/attraction/reports/monthly/xlsx?org_id={province}&month=2026-10"
            ))
            .await;
        let cells = sheet_cells(&xlsx.bytes().await.unwrap(), "本月签约项目");
        assert!(cells.contains(&"月报签约项目".to_owned()), "{cells:?}");
        let (status, page) = session
            .get_text(&format!(
                "/attraction/reports/monthly?org_id={province}&month=2026-10"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("月报签约项目") && page.contains("红灯"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn a_bulletins_figures_are_set_beside_the_pipelines_and_a_target_beside_the_target() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        // The pipeline: two signings this year, 15.2亿 in all, 8.6亿 from outside.
        for (name, wan, place) in [("简报核对甲", "86000", "江苏省"), ("简报核对乙", "66000", "山西省")] {
            let origin = if place == "山西省" { "in_province" } else { "out_of_province" };
            let (_, investor) = api
                .post(
                    "/api/v1/attraction/investors",
                    &json!({"zone_id": zone, "name": format!("{name}有限公司"), "origin": origin,
                            "origin_place": place}),
                )
                .await;
            let (_, lead) = api
                .post(
                    "/api/v1/attraction/leads",
                    &json!({"zone_id": zone, "name": format!("{name}项目"), "investor_id": investor["id"],
                            "investment": wan, "source": "visit_out", "registered_on": "2026-03-02"}),
                )
                .await;
            let lead = step(&api, &lead, json!({"stage": "negotiating", "on": "2026-04-01"})).await;
            let signed = step(
                &api,
                &lead,
                json!({"stage": "signed", "on": "2026-06-01", "signed_on": "2026-06-01",
                       "signed_amount": wan, "agreement": "formal", "agreement_docs": "合同"}),
            )
            .await;
            if place == "江苏省" {
                let (status, _) = api
                    .put(
                        &format!("/api/v1/attraction/leads/{}/funds", signed["id"]),
                        &json!({"month": "2026-07", "origin": "out_of_province", "amount": "3000",
                                "version": signed["version"]}),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK);
            }
        }
        let text = "运城经济技术开发区招商引资工作取得新进展\n\
            本刊讯 2026年10月31日，记者从运城经济技术开发区获悉，1-10月，运城经济技术开发区新签约项目3个，\
            签约额15.2亿元，其中省外签约额8.6亿元，到位资金3562万元。力争全年签约额达到50亿元以上。";
        let (status, read) = api
            .post(
                "/api/v1/bulletins",
                &json!({"zone_id": zone, "title": "招商简报", "text": text}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{read}");
        let figures: Vec<(String, String, i64, Option<i64>, bool)> = read["attraction"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["figure"].as_str().unwrap().to_owned(),
                    f["modality"].as_str().unwrap().to_owned(),
                    f["published"].as_i64().unwrap(),
                    f["kfq"].as_i64(),
                    f["differs"].as_bool().unwrap(),
                )
            })
            .collect();
        let s = |x: &str| x.to_owned();
        assert_eq!(
            figures,
            [
                // 3 published, 2 in the pipeline: to reconcile.
                (s("signed"), s("reported"), 3, Some(2), true),
                (s("signed_amount"), s("reported"), 1_520_000_000, Some(1_520_000_000), false),
                (s("out_of_province_amount"), s("reported"), 860_000_000, Some(860_000_000), false),
                // 3562万 published, 3000万 on record.
                (s("funds"), s("reported"), 35_620_000, Some(30_000_000), true),
                // A target is not a fact: no target set, nothing to compare.
                (s("signed_amount"), s("target"), 5_000_000_000, None, false),
            ]
        );
        let session = app.login("yc.staff").await;
        let id = read["bulletin"]["id"].as_i64().unwrap();
        let (_, page) = session.get_text(&format!("/bulletins/{id}")).await;
        assert!(page.contains("招商引资数据核对") && page.contains("不一致，请核实"), "{page}");
    })
    .await;
}
