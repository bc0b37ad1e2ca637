use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::each_backend;

const ZONE: &str = "运城经济技术开发区";

/// The board cell of the zone's 工业投资.
fn investment_cell(board: &Value) -> &Value {
    let index = board["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["code"] == "industrial_investment")
        .unwrap();
    &board["cells"][index]
}

#[tokio::test]
async fn a_zone_reports_figures_the_province_sets_targets_and_lagging_turns_red_until_made_up() {
    each_backend(async |app| {
        let zone = app.zone(ZONE).id;
        let supervisor = app.api_client("sheng.duban").await;
        let staff = app.api_client("yc.staff").await;

        // The province sets the year's target: 100 亿元, growth 8%.
        let targets = json!({"zone_id": zone, "year": 2026,
            "annual_industrial_investment": "100", "growth_industrial_investment": "8"});
        let (status, _) = staff.put("/api/v1/indicator-targets", &targets).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a zone does not set its own targets");
        let (status, set) = supervisor.put("/api/v1/indicator-targets", &targets).await;
        assert_eq!(status, StatusCode::OK, "{set}");

        // June: 30 亿元 of 100 against 50% elapsed; last June 25.
        for (period, value) in [("2025-06", "25"), ("2026-06", "30")] {
            let (status, body) = staff
                .put(
                    "/api/v1/indicator-values",
                    &json!({"zone_id": zone, "period": period, "value_industrial_investment": value}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let (_, board) = staff
            .get(&format!("/api/v1/indicator-board?org_id={zone}&period=2026-06"))
            .await;
        let cell = investment_cell(&board);
        assert_eq!(cell["value"], "30.00");
        assert_eq!(cell["progress"]["completion_tenths"], 300);
        assert_eq!(cell["progress"]["elapsed_tenths"], 500);
        assert_eq!(cell["progress"]["growth_tenths"], 200, "30 over 25 is +20.0%");
        assert_eq!(cell["level"], "red");
        assert_eq!(cell["flags"][0]["key"], "warning.behind_pace");

        // July: 50 of 100 against 58.3%: 8.3 points behind is yellow on its
        // own, but a red is only lifted once the shortfall is made up.
        staff
            .put(
                "/api/v1/indicator-values",
                &json!({"zone_id": zone, "period": "2026-07", "value_industrial_investment": "50"}),
            )
            .await;
        let (_, board) = staff
            .get(&format!("/api/v1/indicator-board?org_id={zone}&period=2026-07"))
            .await;
        let cell = investment_cell(&board);
        assert_eq!(cell["flags"][0]["level"], "yellow");
        assert_eq!(cell["level"], "red");
        assert_eq!(cell["held"], true);
        // Made up in August: 70 of 100 against 66.7%.
        staff
            .put(
                "/api/v1/indicator-values",
                &json!({"zone_id": zone, "period": "2026-08", "value_industrial_investment": "70"}),
            )
            .await;
        let (_, board) = staff
            .get(&format!("/api/v1/indicator-board?org_id={zone}&period=2026-08"))
            .await;
        let cell = investment_cell(&board);
        assert_eq!(cell["level"], "green");
        let history: Vec<&str> = cell["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["change"].as_str().unwrap())
            .collect();
        assert_eq!(history.last(), Some(&"recovered"), "{history:?}");

        // A correction keeps the first report as a revision.
        staff
            .put(
                "/api/v1/indicator-values",
                &json!({"zone_id": zone, "period": "2026-06", "value_industrial_investment": "31.5"}),
            )
            .await;
        let (_, values) = staff
            .get(&format!("/api/v1/indicator-values?zone_id={zone}&indicator=industrial_investment&from=2026-06&to=2026-06"))
            .await;
        assert_eq!(values[0]["value"], 315_000);
        assert_eq!(values[0]["revision"], 2);
        // The board read before the correction is not served again.
        let (_, board) = staff
            .get(&format!(
                "/api/v1/indicator-board?org_id={zone}&period=2026-06"
            ))
            .await;
        assert_eq!(investment_cell(&board)["value"], "31.50");
        // Each month's figure stands where it belongs in the trend, the
        // correction included.
        let (_, board) = staff
            .get(&format!(
                "/api/v1/indicator-board?org_id={zone}&period=2026-08"
            ))
            .await;
        let trend = investment_cell(&board)["trend"].as_array().unwrap().clone();
        assert_eq!(trend.len(), 24);
        assert_eq!(trend[21..], [json!(315_000), json!(500_000), json!(700_000)]);

        // Another zone's staff cannot report for this one.
        let other = app.api_client("lf.staff").await;
        let (status, _) = other
            .put(
                "/api/v1/indicator-values",
                &json!({"zone_id": zone, "period": "2026-06", "value_industrial_investment": "1"}),
            )
            .await;
        assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{status}");

        // The province's board: the zone ranks, the total waits for every zone.
        let (_, board) = supervisor
            .get("/api/v1/indicator-board?period=2026-08")
            .await;
        let zones = board["zones"].as_array().unwrap();
        assert!(zones.len() > 10);
        let index = board["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .position(|i| i["code"] == "industrial_investment")
            .unwrap();
        assert_eq!(board["totals"][index]["missing"], "rollup.missing");
        let per_zone = board["indicators"].as_array().unwrap().len();
        let row = zones.iter().position(|z| z[0] == zone).unwrap();
        assert_eq!(board["cells"][row * per_zone + index]["rank"], 1);

        // The pages read the same.
        let session = app.login("sheng.duban").await;
        let (status, page) = session.get_text("/indicators/warnings?period=2026-07").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(ZONE) && page.contains("落后序时进度"), "{page}");
        let (_, page) = session.get_text("/indicators?period=2026-08&indicator=industrial_investment").await;
        assert!(page.contains("<svg") && page.contains("indicator-matrix"));
        // The unit picker holds the way up and one level down: the
        // province's cities, not every zone (the matrix links to those).
        let picker = |page: &str| {
            let from = page.find("<select name=\"org_id\">").expect("a unit picker");
            let to = from + page[from..].find("</select>").unwrap();
            page[from..to].to_owned()
        };
        let units = picker(&page);
        assert!(units.contains("山西省") && units.contains("运城市"), "{units}");
        assert!(!units.contains(ZONE), "{units}");
        let city = app.zone(ZONE).parent_id.expect("a zone under its city");
        let (_, page) = session.get_text(&format!("/indicators?org_id={city}&period=2026-08")).await;
        let units = picker(&page);
        assert!(units.contains("山西省") && units.contains("运城市") && units.contains(ZONE), "{units}");
        assert!(!units.contains("太原市"), "another city is one level up: {units}");
        let (_, page) = app.login("yc.staff").await.get_text("/indicators?period=2026-08").await;
        let units = picker(&page);
        assert!(units.contains(ZONE) && !units.contains("运城市"), "above the zone's view: {units}");
        let (_, home) = session.get_text("/").await;
        assert!(home.contains("指标红色预警") && home.contains("/indicators/warnings?org_id="));
    })
    .await;
}

#[tokio::test]
async fn only_administrators_add_indicators_and_bad_figures_are_refused_in_chinese() {
    each_backend(async |app| {
        let admin = app.api_client("admin").await;
        let staff = app.api_client("yc.staff").await;
        let indicator = json!({"code": "rd_spending", "name": "研发投入", "unit": "yi_yuan",
            "kind": "cumulative", "roll_up": "sum"});
        let (status, _) = staff.post("/api/v1/indicators", &indicator).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, created) = admin.post("/api/v1/indicators", &indicator).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let (status, _) = admin.post("/api/v1/indicators", &indicator).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the code is taken");

        // The warning rules are the administrator's to set.
        let rules = json!({"pace_points": 30, "growth_points": 5, "report_day": 15,
            "january_with_february": true});
        let (status, _) = staff.put("/api/v1/indicator-rules", &rules).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, set) = admin.put("/api/v1/indicator-rules", &rules).await;
        assert_eq!(status, StatusCode::OK, "{set}");
        assert_eq!(set["pace_points"], 30);
        let (status, _) = admin
            .put(
                "/api/v1/indicator-rules",
                &json!({"pace_points": 30, "growth_points": 5, "report_day": 40}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no 40th of a month");
        let (_, held) = staff.get("/api/v1/indicator-rules").await;
        assert_eq!(held["report_day"], 15);

        let zone = app.zone(ZONE).id;
        let (status, body) = staff
            .put(
                "/api/v1/indicator-values",
                &json!({"zone_id": zone, "period": "2026-06", "value_industrial_investment": "约三十亿"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = crate::helpers::field_errors(&body);
        assert_eq!(fields[0].0, "value_industrial_investment");
        assert!(fields[0].1.contains("请填写数字"), "{fields:?}");
    })
    .await;
}

#[tokio::test]
async fn the_stored_standard_set_is_the_catalogue_of_the_indicator_rules() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let (status, stored) = api.get("/api/v1/indicators").await;
        assert_eq!(status, StatusCode::OK);
        let stored: Vec<(String, String, String, String, String, String)> = stored
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["standard"] == 1)
            .map(|i| {
                let s = |k: &str| i[k].as_str().unwrap().to_owned();
                (
                    s("code"),
                    s("name"),
                    s("unit"),
                    s("kind"),
                    s("roll_up"),
                    s("direction"),
                )
            })
            .collect();
        let expected: Vec<_> = kfq_indicators::standard_catalogue()
            .into_iter()
            .map(|d| {
                (
                    d.code,
                    d.name,
                    d.unit.code().to_owned(),
                    d.kind.code().to_owned(),
                    d.roll_up.code().to_owned(),
                    d.direction.code().to_owned(),
                )
            })
            .collect();
        assert_eq!(stored, expected);
    })
    .await;
}

#[tokio::test]
async fn the_citys_statistics_table_fills_the_zones_figures_in_one_go() {
    each_backend(async |app| {
        let supervisor = app.api_client("sheng.duban").await;
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../workbook/fixtures/indicators_gbk.csv"
        ))
        .unwrap();
        let send = |commit: bool| {
            let form = reqwest::multipart::Form::new()
                .text("commit", commit.to_string())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes.clone()).file_name("1-2月指标.csv"),
                );
            supervisor
                .client
                .post(format!("{}/api/v1/indicator-values/import", supervisor.base))
                .bearer_auth(&supervisor.token)
                .multipart(form)
                .send()
        };
        let dry: Value = send(false).await.unwrap().json().await.unwrap();
        assert_eq!(dry["period"], "2024-02", "from the title 2024年1-2月");
        let zone = app.zone(ZONE).id;
        let ours = dry["zones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|z| z["zone_id"] == zone)
            .expect("运城经开区 is 运城经济技术开发区");
        let figure = |code: &str| {
            ours["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f[0] == code)
                .map(|f| f[1].as_str().unwrap().to_owned())
        };
        assert_eq!(figure("industrial_investment").as_deref(), Some("12.536"), "125,360 万元 in 亿元");
        assert_eq!(figure("tax_revenue").as_deref(), Some("3456.7"));
        assert_eq!(dry["recorded"], Value::Null, "a dry run records nothing");
        let (_, values) = supervisor
            .get(&format!("/api/v1/indicator-values?zone_id={zone}&from=2024-02&to=2024-02"))
            .await;
        assert_eq!(values.as_array().unwrap().len(), 0);

        let done = send(true).await.unwrap();
        assert_eq!(done.status(), StatusCode::CREATED);
        let (_, values) = supervisor
            .get(&format!("/api/v1/indicator-values?zone_id={zone}&indicator=industrial_investment&from=2024-02&to=2024-02"))
            .await;
        assert_eq!(values[0]["value"], 125_360, "12.536 亿元 in ten-thousandths");
        assert_eq!(values[0]["source"], "import");
    })
    .await;
}
