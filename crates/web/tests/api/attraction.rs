//! 招商引资 through the API and the pages: a zone's investor and lead taken
//! from first contact to production, each stage asking for its facts in
//! Chinese and nothing stored when refused; who sees and works which leads.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, field_errors, fresh_credit_code, Api, TestApp};

async fn investor(api: &Api, zone: i64, name: &str) -> i64 {
    let (status, body) = api
        .post(
            "/api/v1/attraction/investors",
            &json!({"zone_id": zone, "name": name, "origin": "out_of_province", "origin_place": "江苏省",
                    "industry": "节能装备", "chain_leader": true,
                    "contacts": [{"name": "缪经理", "post": "投资部总监", "phone": "13900001111"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn lead(api: &Api, zone: i64, investor: i64, name: &str) -> Value {
    let (status, body) = api
        .post(
            "/api/v1/attraction/leads",
            &json!({"zone_id": zone, "name": name, "investor_id": investor, "investment": "150000",
                    "source": "visit_out", "referrer": "市商务局", "registered_on": "2026-03-02"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn step(api: &Api, lead: &Value, body: Value) -> (StatusCode, Value) {
    let mut body = body;
    body["version"] = lead["version"].clone();
    api.post(
        &format!("/api/v1/attraction/leads/{}/stage", lead["id"]),
        &body,
    )
    .await
}

fn yuncheng(app: &TestApp) -> i64 {
    app.zone("运城经济技术开发区").id
}

#[tokio::test]
async fn a_lead_goes_from_first_contact_to_production_asking_each_stage_for_its_facts() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor = investor(&api, zone, "双良集团有限公司").await;
        let mut current = lead(&api, zone, investor, "双良长输供热项目").await;
        assert_eq!(current["stage"], "clue");
        assert_eq!(current["investment"], 1_500_000_000i64, "15亿 kept in yuan");
        assert_eq!(current["investor_name"], "双良集团有限公司");

        for to in ["assessing", "negotiating"] {
            let (status, moved) = step(&api, &current, json!({"stage": to, "on": "2026-03-10"})).await;
            assert_eq!(status, StatusCode::OK, "{moved}");
            current = moved;
        }
        // 签约 without its facts: every missing one named, nothing stored.
        let (status, refused) = step(&api, &current, json!({"stage": "signed", "on": "2026-03-18"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&refused),
            [
                ("signed_on".to_string(), "签约须填写签约日期。".to_string()),
                ("signed_amount".to_string(), "签约须填写签约额。".to_string()),
                ("agreement".to_string(), "签约须选择协议类型（框架协议或正式合同）。".to_string()),
            ]
        );
        let (_, unchanged) = api.get(&format!("/api/v1/attraction/leads/{}", current["id"])).await;
        assert_eq!(unchanged["stage"], "negotiating");
        assert_eq!(unchanged["version"], current["version"]);

        let (status, signed) = step(
            &api,
            &current,
            json!({"stage": "signed", "on": "2026-03-18", "signed_on": "2026-03-18",
                   "signed_amount": "150000", "agreement": "formal", "agreement_docs": "双方正式投资合同"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{signed}");
        assert_eq!(signed["signed_amount"], 1_500_000_000i64);
        // Signed: no way back but 终止.
        let (status, back) = step(&api, &signed, json!({"stage": "negotiating", "on": "2026-03-19"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_errors(&back)[0].1.contains("不能退回"), "{back}");
        // 开工 straight from 签约 needs the registered enterprise and the date.
        let (status, refused) = step(&api, &signed, json!({"stage": "started", "on": "2026-05-06"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["enterprise_credit_code", "started_on"]);
        let code = fresh_credit_code(41);
        let (status, started) = step(
            &api,
            &signed,
            json!({"stage": "started", "on": "2026-05-06", "enterprise_name": "运城双良热能有限公司",
                   "enterprise_credit_code": code, "started_on": "2026-05-06"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{started}");
        let (status, producing) = step(
            &api,
            &started,
            json!({"stage": "producing", "on": "2026-11-20", "produced_on": "2026-11-20", "note": "一期投产"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{producing}");
        // A stale version is a conflict, not a second move.
        let (status, _) = step(&api, &started, json!({"stage": "terminated", "terminated_reason": "x"})).await;
        assert_eq!(status, StatusCode::CONFLICT);

        let (_, stages) = api
            .get(&format!("/api/v1/attraction/leads/{}/stages", current["id"]))
            .await;
        let moves: Vec<(&str, &str)> = stages["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["to_stage"].as_str().unwrap(), h["on_date"].as_str().unwrap()))
            .collect();
        assert_eq!(
            moves,
            [
                ("clue", "2026-03-02"),
                ("assessing", "2026-03-10"),
                ("negotiating", "2026-03-10"),
                ("signed", "2026-03-18"),
                ("started", "2026-05-06"),
                ("producing", "2026-11-20"),
            ]
        );
        // Every change on the audit chain of the zone.
        let (_, audit) = api.get("/api/v1/audit").await;
        let lead_changes = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["entity"] == "lead" && e["entity_id"] == current["id"])
            .count();
        assert_eq!(lead_changes, 6, "created and five moves");

        // The pipeline counts it at 投产 with its intended investment.
        let (status, pipeline) = api.get(&format!("/api/v1/attraction/leads?zone_id={zone}")).await;
        assert_eq!(status, StatusCode::OK, "{pipeline}");
        let producing = pipeline["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "producing")
            .unwrap()
            .clone();
        assert_eq!(producing["leads"], 1);
        assert_eq!(producing["investment"], 1_500_000_000i64);
        assert_eq!(pipeline["page"]["total"], 1);
    })
    .await;
}

#[tokio::test]
async fn a_terminated_lead_keeps_its_reason_and_resumes_where_it_left() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor = investor(&api, zone, "中科尚昇（山西）科技有限公司").await;
        let first = lead(&api, zone, investor, "氢能装备项目").await;
        let (_, talks) = step(&api, &first, json!({"stage": "negotiating", "on": "2026-03-05"})).await;
        let (status, refused) = step(&api, &talks, json!({"stage": "terminated", "on": "2026-03-06"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].1, "终止须填写原因。");
        let (status, ended) = step(
            &api,
            &talks,
            json!({"stage": "terminated", "on": "2026-03-06", "terminated_reason": "企业投资方向调整"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{ended}");
        assert_eq!(ended["left_at"], "negotiating");
        let (status, _) = step(&api, &ended, json!({"stage": "clue", "on": "2026-04-01"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, resumed) = step(&api, &ended, json!({"stage": "negotiating", "on": "2026-04-01"})).await;
        assert_eq!(status, StatusCode::OK, "{resumed}");
        assert_eq!(resumed["left_at"], Value::Null);
        assert_eq!(resumed["last_touch_on"], "2026-04-01");
    })
    .await;
}

#[tokio::test]
async fn each_sees_and_works_only_the_leads_the_rules_give_them() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor = investor(&staff, zone, "安徽凯撒新能源有限公司").await;
        let zone_lead = lead(&staff, zone, investor, "储能电池项目").await;

        // Department staff: only what they own or work on.
        let dept = app.api_client("yc.zhaoshang").await;
        let (_, seen) = dept.get("/api/v1/attraction/leads").await;
        assert_eq!(seen["page"]["total"], 0, "{seen}");
        let (status, _) = dept.get(&format!("/api/v1/attraction/leads/{}", zone_lead["id"])).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let own = lead(&dept, zone, investor, "电池回收项目").await;
        assert_eq!(own["owner_name"], "运城经开区招商局", "the registering person owns it");
        let (_, seen) = dept.get("/api/v1/attraction/leads").await;
        assert_eq!(seen["page"]["total"], 1);
        let (status, moved) = step(&dept, &own, json!({"stage": "assessing", "on": "2026-03-03"})).await;
        assert_eq!(status, StatusCode::OK, "{moved}");

        // The liaison leader reads the zone's pipeline, works none of it.
        let liaison = app.api_client("yc.baolian").await;
        let (_, seen) = liaison.get("/api/v1/attraction/leads").await;
        assert_eq!(seen["page"]["total"], 2);
        let (status, _) = step(&liaison, &zone_lead, json!({"stage": "assessing", "on": "2026-03-03"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Another zone sees nothing of it; the province sees both, writes none.
        let linfen = app.api_client("lf.staff").await;
        let (_, seen) = linfen.get("/api/v1/attraction/leads").await;
        assert_eq!(seen["page"]["total"], 0);
        let (status, _) = linfen.get(&format!("/api/v1/attraction/investors/{investor}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // A zone out of sight is no choice at all, as on the form.
        let (status, refused) = linfen
            .post(
                "/api/v1/attraction/leads",
                &json!({"zone_id": zone, "name": "越界", "investor_id": investor, "investment": "1", "source": "fair"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].0, "zone_id");
        let province = app.api_client("sheng.duban").await;
        let (_, seen) = province.get("/api/v1/attraction/leads").await;
        assert_eq!(seen["page"]["total"], 2);
        let (status, _) = step(&province, &zone_lead, json!({"stage": "assessing", "on": "2026-03-03"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // An enterprise account sees none of it.
        let enterprise = app.api_client(kfq_demo::ENTERPRISE_LOGIN.0).await;
        let (_, seen) = enterprise.get("/api/v1/attraction/leads").await;
        assert_eq!(seen["page"]["total"], 0);
        let (_, seen) = enterprise.get("/api/v1/attraction/investors").await;
        assert_eq!(seen["total"], 0);
    })
    .await;
}

#[tokio::test]
async fn investors_are_checked_and_a_credit_code_is_registered_once_per_zone() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let (status, errors) = api
            .post(
                "/api/v1/attraction/investors",
                &json!({"zone_id": zone, "name": "", "origin": "mars", "credit_code": "12345",
                        "contacts": [{"name": "李", "phone": "123"}]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = field_errors(&errors).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            ["name", "credit_code", "origin", "contacts[0].phone"],
            "{errors}"
        );
        let code = fresh_credit_code(42);
        let body = json!({"zone_id": zone, "name": "百泰生物药业有限公司", "origin": "in_province",
                          "credit_code": code});
        let (status, created) = api.post("/api/v1/attraction/investors", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        // Even said to be another company, its credit code is taken.
        let mut again = body.clone();
        again["confirm_new"] = json!(true);
        let (status, again) = api.post("/api/v1/attraction/investors", &again).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&again)[0].1,
            "本开发区已登记该统一社会信用代码的客商。"
        );
        // Another zone may know the same company.
        let linfen = app.api_client("lf.staff").await;
        let other = json!({"zone_id": app.zone("临汾经济开发区").id, "name": "百泰生物药业有限公司",
                           "origin": "in_province", "credit_code": code});
        let (status, _) = linfen.post("/api/v1/attraction/investors", &other).await;
        assert_eq!(status, StatusCode::CREATED);
        // Edited at its version; a stale one is a conflict.
        let mut edit = body.clone();
        edit["version"] = created["version"].clone();
        edit["industry"] = json!("生物医药");
        let (status, edited) = api
            .put(
                &format!("/api/v1/attraction/investors/{}", created["id"]),
                &edit,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["industry"], "生物医药");
        let (status, _) = api
            .put(
                &format!("/api/v1/attraction/investors/{}", created["id"]),
                &edit,
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn the_pages_show_the_funnel_and_a_refused_move_keeps_what_was_typed() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor = investor(&api, zone, "山阴煤矸石综合利用有限公司").await;
        let created = lead(&api, zone, investor, "煤矸石综合利用项目").await;
        let session = app.login("yc.staff").await;
        let (status, page) = session.get_text("/attraction").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("煤矸石综合利用项目") && page.contains("线索"),
            "{page}"
        );
        assert!(page.contains("15.00"), "the funnel's 线索 in 亿元: {page}");
        let (status, page) = session.get_text("/attraction?stage=signed").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("煤矸石综合利用项目") && page.contains("没有符合条件的记录"));
        let (status, _) = session.get_text("/attraction?stage=flying").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let id = created["id"].as_i64().unwrap();
        let (status, page) = session.get_text(&format!("/attraction/leads/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("变更阶段") && page.contains("阶段记录"));
        let version = created["version"].to_string();
        let response = session
            .post_form(
                &format!("/attraction/leads/{id}/stage"),
                &[
                    ("version", &version),
                    ("stage", "signed"),
                    ("on", "2026-03-20"),
                    ("signed_amount", "12万"),
                    ("agreement_docs", "框架协议文本"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("value=\"框架协议文本\""),
            "what was typed is kept"
        );
        assert!(page.contains("aria-invalid=\"true\""));
        // The new investor's form asks whether a lookalike is another company;
        // an edit does not.
        let (_, form) = session.get_text("/attraction/investors/new").await;
        assert!(form.contains("name=\"confirm_new\""), "{form}");
        let (_, form) = session
            .get_text(&format!("/attraction/investors/{investor}/edit"))
            .await;
        assert!(form.contains("name=\"version\"") && !form.contains("name=\"confirm_new\""));
        let (status, page) = session.get_text("/attraction/investors").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("山阴煤矸石综合利用有限公司") && page.contains("省外（江苏省）"));

        // The enterprise account is offered no way in.
        let enterprise = app.login(kfq_demo::ENTERPRISE_LOGIN.0).await;
        let (status, _) = enterprise.get_text("/attraction/leads/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn duplicate_investors_are_found_by_name_or_code_and_merged_with_their_leads() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let keep = investor(&api, zone, "双良集团有限公司").await;
        let code = fresh_credit_code(43);
        let mut body = json!({"zone_id": zone, "name": "双良集团（江苏）", "origin": "out_of_province",
                              "credit_code": code, "industry": "节能环保",
                              "contacts": [{"name": "马总", "post": "副总裁"}]});
        // A name that reads as one the zone has is refused until confirmed.
        let (status, refused) = api.post("/api/v1/attraction/investors", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].0, "name");
        assert!(field_errors(&refused)[0].1.contains("确认是另一家企业"));
        body["confirm_new"] = json!(true);
        let (status, twin) = api.post("/api/v1/attraction/investors", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{twin}");
        // Another company whose name only starts alike.
        investor(&api, zone, "双良节能系统股份有限公司").await;
        lead(&api, zone, keep, "长输供热项目").await;
        let moved = lead(&api, zone, twin["id"].as_i64().unwrap(), "园区供热项目").await;

        // Found by the name's key, not the lookalike that only starts alike.
        let (_, alike) = api
            .get(&format!("/api/v1/attraction/investors/{keep}/lookalikes"))
            .await;
        let names: Vec<&str> = alike
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["双良集团（江苏）"]);

        // Department staff may not merge; a stale version is a conflict.
        let (_, kept) = api
            .get(&format!("/api/v1/attraction/investors/{keep}"))
            .await;
        let dept = app.api_client("yc.zhaoshang").await;
        let body = json!({"from_id": twin["id"], "version": kept["version"]});
        let (status, _) = dept
            .post(&format!("/api/v1/attraction/investors/{keep}/merge"), &body)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = api
            .post(
                &format!("/api/v1/attraction/investors/{keep}/merge"),
                &json!({"from_id": twin["id"], "version": 99}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        let (status, merged) = api
            .post(&format!("/api/v1/attraction/investors/{keep}/merge"), &body)
            .await;
        assert_eq!(status, StatusCode::OK, "{merged}");
        assert_eq!(merged["leads"], 2);
        assert_eq!(
            merged["credit_code"],
            code.as_str(),
            "the code it lacked, taken over"
        );
        assert_eq!(merged["industry"], "节能装备", "what it had, kept");
        let contacts: Vec<&str> = merged["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(contacts, ["缪经理", "马总"]);
        let (status, _) = api
            .get(&format!("/api/v1/attraction/investors/{}", twin["id"]))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, lead_now) = api
            .get(&format!("/api/v1/attraction/leads/{}", moved["id"]))
            .await;
        assert_eq!(lead_now["investor_id"], keep);
        assert_eq!(lead_now["investor_name"], "双良集团有限公司");
        // The lead's history keeps where it came from: its move is audited.
        let (_, audit) = api.get("/api/v1/audit").await;
        let lead_moves = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["entity"] == "lead" && e["entity_id"] == moved["id"] && e["action"] == "update"
            })
            .count();
        assert_eq!(lead_moves, 1);
        // Nothing to merge now; another zone's investor is no choice.
        let (_, now) = api
            .get(&format!("/api/v1/attraction/investors/{keep}"))
            .await;
        let foreign = investor(
            &app.api_client("lf.staff").await,
            app.zone("临汾经济开发区").id,
            "双良集团",
        )
        .await;
        let (status, refused) = api
            .post(
                &format!("/api/v1/attraction/investors/{keep}/merge"),
                &json!({"from_id": foreign, "version": now["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(field_errors(&refused)[0].0, "from_id");

        // The page offers the merge beside each lookalike, and the form does it.
        let (_, third) = api
            .post(
                "/api/v1/attraction/investors",
                &json!({"zone_id": zone, "name": "双良集团股份有限公司", "origin": "in_province",
                        "confirm_new": true}),
            )
            .await;
        let third = third["id"].as_i64().unwrap();
        let session = app.login("yc.staff").await;
        let (_, page) = session
            .get_text(&format!("/attraction/investors/{keep}"))
            .await;
        assert!(
            page.contains("可能重复的客商") && page.contains("合并到本客商"),
            "{page}"
        );
        let (status, form) = session
            .get_text(&format!(
                "/attraction/investors/{keep}/merge?from_id={third}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("双良集团股份有限公司（0个招商项目）"),
            "{form}"
        );
        let (_, now) = api
            .get(&format!("/api/v1/attraction/investors/{keep}"))
            .await;
        let response = session
            .post_form(
                &format!("/attraction/investors/{keep}/merge"),
                &[
                    ("version", &now["version"].to_string()),
                    ("from_id", &third.to_string()),
                ],
            )
            .await;
        assert!(response.status().is_success() || response.status().is_redirection());
        let (status, _) = api
            .get(&format!("/api/v1/attraction/investors/{third}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// A lead of `wan` 万元 taken to 洽谈.
async fn lead_in_talks(api: &Api, zone: i64, investor: i64, name: &str, wan: &str) -> Value {
    let (status, created) = api
        .post(
            "/api/v1/attraction/leads",
            &json!({"zone_id": zone, "name": name, "investor_id": investor, "investment": wan,
                    "source": "chain", "registered_on": "2026-04-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, moved) = step(
        api,
        &created,
        json!({"stage": "negotiating", "on": "2026-04-08"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    moved
}

async fn claim(api: &Api, lead: &Value) -> (StatusCode, Value) {
    api.post(
        &format!("/api/v1/attraction/leads/{}/first-talk", lead["id"]),
        &json!({"version": lead["version"], "on": "2026-04-09"}),
    )
    .await
}

/// The count and 亿元 of the funnel's stage `stage` as `api` reads it.
async fn funnel(api: &Api, stage: &str) -> (i64, i64) {
    let (status, body) = api.get("/api/v1/attraction/leads").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let s = body["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == stage)
        .unwrap()
        .clone();
    (
        s["leads"].as_i64().unwrap(),
        s["investment"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_first_talk_holds_the_investor_across_the_province_and_counts_once() {
    each_backend(async |app| {
        let yc = app.api_client("yc.staff").await;
        let lf = app.api_client("lf.staff").await;
        let province = app.api_client("sheng.duban").await;
        let yc_zone = yuncheng(&app);
        let lf_zone = app.zone("临汾经济开发区").id;

        // 运城 talks with 双良 about a 30亿 project and registers it as 首谈.
        let yc_investor = investor(&yc, yc_zone, "双良集团有限公司").await;
        let small = lead_in_talks(&yc, yc_zone, yc_investor, "双良余热利用项目", "90000").await;
        let (status, refused) = claim(&yc, &small).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&refused),
            [(
                "investment".to_string(),
                "拟投资额未达到本省首谈门槛。".to_string()
            )]
        );
        let (status, clue) = yc
            .post(
                "/api/v1/attraction/leads",
                &json!({"zone_id": yc_zone, "name": "双良线索", "investor_id": yc_investor,
                        "investment": "200000", "source": "chain"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, refused) = claim(&yc, &clue).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].0, "stage");
        let held = lead_in_talks(&yc, yc_zone, yc_investor, "双良长输供热项目", "300000").await;
        let (status, claimed) = claim(&yc, &held).await;
        assert_eq!(status, StatusCode::OK, "{claimed}");
        assert_eq!(claimed["first_talk"], true);
        let (status, again) = claim(&yc, &claimed).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
        // Its other leads with 双良 cannot hold the investor a second time.
        let big = lead_in_talks(&yc, yc_zone, yc_investor, "双良二期项目", "150000").await;
        let (status, refused) = claim(&yc, &big).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(field_errors(&refused)[0].0, "first_talk");

        // 临汾 enters the same investor under another spelling: it sees that
        // 运城 holds it and since when, and nothing of 运城's lead.
        let lf_investor = investor(&lf, lf_zone, "双良集团（江苏）").await;
        let rival = lead_in_talks(&lf, lf_zone, lf_investor, "双良光伏项目", "250000").await;
        assert_eq!(rival["taken_by_zone"], "运城经济技术开发区", "{rival}");
        assert_eq!(rival["taken_on"], "2026-04-09");
        assert!(!rival.to_string().contains("双良长输供热项目"));
        let (status, refused) = claim(&lf, &rival).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&refused),
            [(
                "first_talk".to_string(),
                "该客商已由本省其他开发区（或本区其他项目）登记首谈。".to_string()
            )]
        );
        // 运城's own leads are not "taken" from itself.
        let (_, own) = yc
            .get(&format!("/api/v1/attraction/leads/{}", big["id"]))
            .await;
        assert_eq!(own["taken_by_zone"], Value::Null);

        // The province sees both, and counts the project once: 临汾's lead is
        // left out of its funnel, while 临汾's own funnel counts it.
        let (status, register) = province.get("/api/v1/attraction/first-talks").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(register["page"]["total"], 1);
        let entry = &register["page"]["items"][0];
        assert_eq!(entry["lead_name"], "双良长输供热项目");
        assert_eq!(entry["rivals"][0]["lead_name"], "双良光伏项目");
        assert_eq!(entry["rivals"][0]["zone_name"], "临汾经济开发区");
        let in_talks_wan = 90_000 + 300_000 + 150_000;
        assert_eq!(
            funnel(&province, "negotiating").await,
            (3, in_talks_wan * 10_000),
            "the province counts 运城's three, not 临汾's copy"
        );
        assert_eq!(funnel(&lf, "negotiating").await, (1, 2_500_000_000));
        let (_, listed) = province
            .get("/api/v1/attraction/leads?stage=negotiating")
            .await;
        assert_eq!(
            listed["page"]["total"], 4,
            "the list shows both zones' leads"
        );
        // The zone's register shows its own claim without the other zone's lead.
        let (_, yc_register) = yc.get("/api/v1/attraction/first-talks").await;
        assert_eq!(yc_register["page"]["items"][0]["rivals"], json!([]));

        // 运城 ends its talks: the investor is free and 临汾 may hold it.
        let (status, ended) = step(
            &yc,
            &claimed,
            json!({"stage": "terminated", "on": "2026-05-01", "terminated_reason": "企业转投他省"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{ended}");
        assert_eq!(ended["first_talk"], false);
        let (_, rival) = lf
            .get(&format!("/api/v1/attraction/leads/{}", rival["id"]))
            .await;
        assert_eq!(rival["taken_by_zone"], Value::Null);
        let (status, now_held) = claim(&lf, &rival).await;
        assert_eq!(status, StatusCode::OK, "{now_held}");
        // And lets it go again, at its version.
        let (status, _) = lf
            .send(
                reqwest::Method::DELETE,
                &format!(
                    "/api/v1/attraction/leads/{}/first-talk?version={}",
                    rival["id"], rival["version"]
                ),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version");
        let (status, released) = lf
            .send(
                reqwest::Method::DELETE,
                &format!(
                    "/api/v1/attraction/leads/{}/first-talk?version={}",
                    now_held["id"], now_held["version"]
                ),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{released}");
        assert_eq!(released["first_talk"], false);
        // Liaison leaders read leads but hold nothing.
        let liaison = app.api_client("yc.baolian").await;
        let (status, _) = claim(&liaison, &big).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn rules_come_from_the_province_unless_the_zone_sets_its_own() {
    each_backend(async |app| {
        let province = app.api_client("sheng.duban").await;
        let admin = app.api_client("yc.admin").await;
        let staff = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let (_, me) = province.get("/api/v1/me").await;
        let province_id = me["org_unit_id"].as_i64().expect("the supervisor's unit");

        let (status, fresh) = admin.get(&format!("/api/v1/attraction/rules/{zone}")).await;
        assert_eq!(status, StatusCode::OK, "{fresh}");
        assert_eq!(fresh["rules"]["version"], 0);
        assert_eq!(fresh["limits"]["follow_up_days"], 14);
        assert_eq!(fresh["first_talk_threshold"], 1_000_000_000i64);
        assert_eq!(fresh["may_set"], true);

        // The province lowers 首谈 to 5亿 and follows up monthly.
        let (status, set) = province
            .put(
                &format!("/api/v1/attraction/rules/{province_id}"),
                &json!({"version": 0, "first_talk_threshold": "50000", "follow_up_days": 30}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{set}");
        assert_eq!(set["rules"]["version"], 1);
        // The zone keeps a fortnight's limit of its own, and cannot set 首谈.
        let (status, refused) = admin
            .put(
                &format!("/api/v1/attraction/rules/{zone}"),
                &json!({"version": 0, "first_talk_threshold": "10000", "follow_up_days": 0}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["follow_up_days", "first_talk_threshold"]);
        let (status, zone_rules) = admin
            .put(
                &format!("/api/v1/attraction/rules/{zone}"),
                &json!({"version": 0, "follow_up_days": 7}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{zone_rules}");
        assert_eq!(zone_rules["limits"]["follow_up_days"], 7);
        assert_eq!(zone_rules["first_talk_threshold"], 500_000_000i64);
        let (status, _) = admin
            .put(
                &format!("/api/v1/attraction/rules/{zone}"),
                &json!({"version": 0, "follow_up_days": 10}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "the zone's rules were set meanwhile"
        );
        let (status, _) = staff
            .put(
                &format!("/api/v1/attraction/rules/{zone}"),
                &json!({"version": 1, "follow_up_days": 10}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "staff work by the rules, the administrator sets them"
        );
        // Another zone of the province works under the province's month.
        let lf_zone = app.zone("临汾经济开发区").id;
        let (_, lf) = province
            .get(&format!("/api/v1/attraction/rules/{lf_zone}"))
            .await;
        assert_eq!(lf["limits"]["follow_up_days"], 30);

        // A 6亿 lead now may hold its investor.
        let investor = investor(&staff, zone, "百泰生物药业有限公司").await;
        let lead = lead_in_talks(&staff, zone, investor, "生物制品产业化项目", "60000").await;
        let (status, held) = claim(&staff, &lead).await;
        assert_eq!(status, StatusCode::OK, "{held}");

        // The rules page: the form for who sets them, in force for who reads.
        let session = app.login("yc.admin").await;
        let (status, page) = session.get_text(&format!("/attraction/rules/{zone}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("name=\"follow_up_days\"") && page.contains("value=\"7\""),
            "{page}"
        );
        assert!(
            page.contains("留空沿用：30"),
            "the province's limit shows under the blank: {page}"
        );
        let reader = app.login("yc.staff").await;
        let (status, _) = reader.get_text("/attraction/rules").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "to the reader's own zone");
        let (status, page) = reader.get_text(&format!("/attraction/rules/{zone}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("7 天")
                && page.contains("5.00 亿元")
                && !page.contains("name=\"follow_up_days\""),
            "{page}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_lead_page_offers_first_talk_and_names_the_zone_that_holds_it() {
    each_backend(async |app| {
        let yc = app.api_client("yc.staff").await;
        let lf = app.api_client("lf.staff").await;
        let zone = yuncheng(&app);
        let yc_investor = investor(&yc, zone, "中科尚昇新能源汽车有限公司").await;
        let lead = lead_in_talks(&yc, zone, yc_investor, "新能源特种专用汽车项目", "120000").await;
        let session = app.login("yc.staff").await;
        let (_, page) = session
            .get_text(&format!("/attraction/leads/{}", lead["id"]))
            .await;
        assert!(page.contains("登记首谈"), "{page}");
        // A stale form is refused on the lead's page, which says why.
        let response = session
            .post_form(
                &format!("/attraction/leads/{}/first-talk", lead["id"]),
                &[("version", "1"), ("on", "")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let response = session
            .post_form(
                &format!("/attraction/leads/{}/first-talk", lead["id"]),
                &[
                    ("version", &lead["version"].to_string()),
                    ("on", "2099-01-01"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("日期不能晚于今天"));
        let response = session
            .post_form(
                &format!("/attraction/leads/{}/first-talk", lead["id"]),
                &[("version", &lead["version"].to_string())],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = session
            .get_text(&format!("/attraction/leads/{}", lead["id"]))
            .await;
        assert!(
            page.contains("已登记为本区首谈") && page.contains("撤销首谈"),
            "{page}"
        );

        let lf_investor = investor(
            &lf,
            app.zone("临汾经济开发区").id,
            "中科尚昇新能源汽车有限公司",
        )
        .await;
        let rival = lead_in_talks(
            &lf,
            app.zone("临汾经济开发区").id,
            lf_investor,
            "专用车整车项目",
            "120000",
        )
        .await;
        let lf_session = app.login("lf.staff").await;
        let (_, page) = lf_session
            .get_text(&format!("/attraction/leads/{}", rival["id"]))
            .await;
        assert!(
            page.contains("该客商已由运城经济技术开发区登记首谈")
                && !page.contains("登记首谈</button>"),
            "{page}"
        );
        let (_, pipeline) = lf_session.get_text("/attraction").await;
        assert!(
            pipeline.contains("已由运城经济技术开发区首谈"),
            "{pipeline}"
        );
        let (status, register) = app
            .login("sheng.duban")
            .await
            .get_text("/attraction/first-talks")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            register.contains("新能源特种专用汽车项目") && register.contains("专用车整车项目"),
            "{register}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_capital_increase_adds_to_a_signed_lead_of_the_same_investor() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor_id = investor(&api, zone, "安徽凯撒汽车零部件有限公司").await;
        let other = investor(&api, zone, "山西广灵再生金属有限公司").await;
        let first = lead_in_talks(&api, zone, investor_id, "汽车零部件一期", "50000").await;
        let body = |increase_of: &Value, investor: i64| {
            json!({"zone_id": zone, "name": "汽车零部件二期（增资）", "investor_id": investor,
                   "investment": "20000", "source": "via_business", "increase_of": increase_of})
        };
        let (status, refused) = api
            .post("/api/v1/attraction/leads", &body(&first["id"], investor_id))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not signed yet");
        assert_eq!(field_errors(&refused)[0].0, "increase_of");
        let (status, signed) = step(
            &api,
            &first,
            json!({"stage": "signed", "on": "2026-05-10", "signed_on": "2026-05-10",
                   "signed_amount": "50000", "agreement": "formal"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{signed}");
        let (status, refused) = api
            .post("/api/v1/attraction/leads", &body(&signed["id"], other))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "another investor's lead: {refused}"
        );
        let (status, increase) = api
            .post(
                "/api/v1/attraction/leads",
                &body(&signed["id"], investor_id),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{increase}");
        assert_eq!(increase["increase_of_name"], "汽车零部件一期");
        assert_eq!(increase["investment"], 200_000_000i64, "the increase alone");
        let session = app.login("yc.staff").await;
        let (_, form) = session.get_text("/attraction/leads/new").await;
        assert!(
            form.contains("汽车零部件一期（安徽凯撒汽车零部件有限公司）"),
            "{form}"
        );
    })
    .await;
}

/// A lead of `wan` 万元 signed on 2026-05-10 for the same amount.
async fn signed_lead(api: &Api, zone: i64, investor: i64, name: &str, wan: &str) -> Value {
    let talks = lead_in_talks(api, zone, investor, name, wan).await;
    let (status, signed) = step(
        api,
        &talks,
        json!({"stage": "signed", "on": "2026-05-10", "signed_on": "2026-05-10",
               "signed_amount": wan, "agreement": "formal"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    signed
}

async fn fund(
    api: &Api,
    lead: &Value,
    month: &str,
    origin: &str,
    wan: &str,
) -> (StatusCode, Value) {
    api.put(
        &format!("/api/v1/attraction/leads/{}/funds", lead["id"]),
        &json!({"month": month, "origin": origin, "amount": wan, "version": lead["version"]}),
    )
    .await
}

#[tokio::test]
async fn arrived_money_is_kept_by_month_and_origin_after_signing() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor = investor(&api, zone, "江苏天合光能股份有限公司").await;
        let talks = lead_in_talks(&api, zone, investor, "光伏组件项目（未签约）", "30000").await;
        let (status, refused) = fund(&api, &talks, "2026-06", "out_of_province", "1000").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&refused),
            [("amount".to_string(), "签约后才能登记到位资金。".to_string())]
        );
        let signed = signed_lead(&api, zone, investor, "光伏组件项目", "50000").await;
        let (status, refused) = fund(&api, &signed, "2026-04", "out_of_province", "1000").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].1, "到位月份不能早于签约月份。");
        let (status, refused) = fund(&api, &signed, "2099-01", "out_of_province", "1000").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let (status, refused) = fund(&api, &signed, "2026-13", "mars", "-5").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["month", "origin", "amount"]);

        let (status, lead) = fund(&api, &signed, "2026-06", "out_of_province", "20000").await;
        assert_eq!(status, StatusCode::OK, "{lead}");
        assert_eq!(lead["funds_arrived"], 200_000_000i64);
        let (status, _) = fund(&api, &signed, "2026-07", "abroad", "1").await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "at the version before the first"
        );
        let (status, lead) = fund(&api, &lead, "2026-07", "abroad", "5000.5").await;
        assert_eq!(status, StatusCode::OK, "{lead}");
        // The same month again replaces, zero takes it off.
        let (_, lead) = fund(&api, &lead, "2026-06", "out_of_province", "15000").await;
        let (_, lead) = fund(&api, &lead, "2026-07", "abroad", "0").await;
        assert_eq!(lead["funds_arrived"], 150_000_000i64);
        let (_, funds) = api
            .get(&format!("/api/v1/attraction/leads/{}/funds", lead["id"]))
            .await;
        assert_eq!(
            funds["funds"],
            json!([{"month": "2026-06", "origin": "out_of_province", "amount": 150_000_000i64}])
        );
        assert_eq!(funds["signed_amount"], 500_000_000i64);

        let session = app.login("yc.staff").await;
        let (_, page) = session
            .get_text(&format!("/attraction/leads/{}", lead["id"]))
            .await;
        assert!(
            page.contains("累计到位 15000.00 万元") && page.contains("签约额 50000.00 万元"),
            "{page}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_signed_lead_becomes_a_ledger_project_and_each_side_shows_the_other() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let investor = investor(&api, zone, "百泰生物药业有限公司").await;
        let talks = lead_in_talks(&api, zone, investor, "生物制品研发项目（洽谈）", "30000").await;
        let convert = |lead: &Value| json!({"category": "industrial", "version": lead["version"]});
        let (status, refused) = api
            .post(
                &format!("/api/v1/attraction/leads/{}/convert", talks["id"]),
                &convert(&talks),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(field_errors(&refused)[0].1, "签约后才能转入项目台账。");

        let signed = signed_lead(&api, zone, investor, "创新生物制品产业化项目", "150000").await;
        let (status, converted) = api
            .post(
                &format!("/api/v1/attraction/leads/{}/convert", signed["id"]),
                &convert(&signed),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{converted}");
        let project = &converted["project"];
        assert_eq!(project["name"], "创新生物制品产业化项目");
        assert_eq!(project["stage"], "signed");
        assert_eq!(project["nature"], "preliminary");
        assert_eq!(project["total_investment"], 1_500_000_000i64);
        assert_eq!(project["investor"], "百泰生物药业有限公司");
        assert_eq!(converted["lead"]["project_id"], project["id"]);
        let lead = &converted["lead"];
        let (status, again) = api
            .post(
                &format!("/api/v1/attraction/leads/{}/convert", lead["id"]),
                &convert(lead),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
        let (status, _) = api
            .post(
                &format!("/api/v1/attraction/leads/{}/convert", lead["id"]),
                &convert(&signed),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // The ledger has it; its page says where it came from, the lead's
        // page leads to it.
        let (status, read) = api
            .get(&format!("/api/v1/projects/{}", project["id"]))
            .await;
        assert_eq!(status, StatusCode::OK, "{read}");
        let session = app.login("yc.staff").await;
        let (_, page) = session
            .get_text(&format!("/projects/{}", project["id"]))
            .await;
        assert!(
            page.contains("来自招商项目")
                && page.contains(&format!("/attraction/leads/{}", lead["id"])),
            "{page}"
        );
        let (_, page) = session
            .get_text(&format!("/attraction/leads/{}", lead["id"]))
            .await;
        assert!(
            page.contains(&format!("/projects/{}", project["id"]))
                && !page.contains("转入项目台账</a>")
        );
        // The page form: a signed lead offers it and refuses without a category.
        let other = signed_lead(&api, zone, investor, "生物制品二期项目", "20000").await;
        let (_, page) = session
            .get_text(&format!("/attraction/leads/{}", other["id"]))
            .await;
        assert!(page.contains("转入项目台账</a>"), "{page}");
        let response = session
            .post_form(
                &format!("/attraction/leads/{}/convert", other["id"]),
                &[("version", &other["version"].to_string()), ("category", "")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Department staff work their leads but not the ledger.
        let own = app.api_client("yc.zhaoshang").await;
        let mine = signed_lead(&own, zone, investor, "部门签约项目", "10000").await;
        let (status, _) = own
            .post(
                &format!("/api/v1/attraction/leads/{}/convert", mine["id"]),
                &convert(&mine),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_board_holds_the_year_against_targets_set_from_above() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let province = app.api_client("sheng.duban").await;
        let zone = yuncheng(&app);
        let outside = investor(&api, zone, "江苏中天科技股份有限公司").await;
        let (status, inside) = api
            .post(
                "/api/v1/attraction/investors",
                &json!({"zone_id": zone, "name": "山西建投集团有限公司", "origin": "in_province"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let inside = inside["id"].as_i64().unwrap();
        // 25亿 from outside the province, signed and started this year.
        let big = signed_lead(&api, zone, outside, "光纤预制棒项目", "250000").await;
        let (status, started) = step(
            &api,
            &big,
            json!({"stage": "started", "on": "2026-06-01", "enterprise_name": "运城中天光纤有限公司",
                   "enterprise_credit_code": fresh_credit_code(77), "started_on": "2026-06-01"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{started}");
        let (status, _) = fund(&api, &started, "2026-07", "out_of_province", "100000").await;
        assert_eq!(status, StatusCode::OK);
        // 5亿 from inside, signed, not started; one still in talks.
        signed_lead(&api, zone, inside, "装配式建材项目", "50000").await;
        lead_in_talks(&api, zone, inside, "园区综合管廊项目", "80000").await;

        // Targets come from above: the zone's own staff cannot set them.
        let targets = json!({"year": 2026, "signed": 4, "signed_amount": "600000", "start_rate": "40",
                             "version": 0});
        let (status, _) = api
            .put(&format!("/api/v1/attraction/targets/{zone}"), &targets)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, refused) = province
            .put(
                &format!("/api/v1/attraction/targets/{zone}"),
                &json!({"year": 2026, "start_rate": "140", "signed": -1, "version": 0}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = field_errors(&refused).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["signed", "start_rate"]);
        let (status, set) = province
            .put(&format!("/api/v1/attraction/targets/{zone}"), &targets)
            .await;
        assert_eq!(status, StatusCode::OK, "{set}");
        assert_eq!(set["start_rate_tenths"], 400);

        let (status, board) = api
            .get(&format!("/api/v1/attraction/kpi?org_id={zone}&year=2026"))
            .await;
        assert_eq!(status, StatusCode::OK, "{board}");
        let k = &board["kpis"];
        assert_eq!(k["signed"], 2);
        assert_eq!(k["signed_amount"], 3_000_000_000i64);
        assert_eq!(k["over_one_yi"], 2);
        assert_eq!(k["over_20"], 1);
        assert_eq!(k["from_3_to_10"], 1);
        assert_eq!(k["out_of_province_amount"], 2_500_000_000i64);
        assert_eq!(k["started_same_year"], json!({"num": 1, "den": 2}));
        assert_eq!(k["funds"], json!({"num": 1_000_000_000i64, "den": 3_000_000_000i64}));
        let checked: Vec<(&str, &str)> = board["checked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["figure"].as_str().unwrap(), c["rag"].as_str().unwrap()))
            .collect();
        // Two of four signings by December is behind 序时; 50% started beats 40%.
        assert_eq!(
            checked,
            [("signed", "red"), ("signed_amount", "red"), ("start_rate", "green")]
        );
        assert_eq!(board["monthly"][4], 3_000_000_000i64, "both signed in May");

        // The province's board ranks its zones, 运城 first by 签约额.
        let (_, me) = province.get("/api/v1/me").await;
        let (status, whole) = province
            .get(&format!("/api/v1/attraction/kpi?org_id={}&year=2026", me["org_unit_id"]))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(whole["zones"][0]["zone_name"], "运城经济技术开发区");
        assert_eq!(whole["kpis"]["signed"], 2);
        assert_eq!(whole["may_set_targets"], true);

        // The page: each figure opens the leads behind it.
        let session = app.login("yc.staff").await;
        let (status, page) = session.get_text("/attraction/kpi").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("30.00 亿元") && page.contains("50.0%"), "{page}");
        let link = format!("/attraction?zone_id={zone}&#38;signed_in=2026&#38;origin=out_of_province");
        assert!(page.contains(&link), "{page}");
        let (status, behind) = session
            .get_text(&format!("/attraction?zone_id={zone}&signed_in=2026&origin=out_of_province"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            behind.contains("光纤预制棒项目") && !behind.contains("装配式建材项目") && !behind.contains("园区综合管廊项目"),
            "{behind}"
        );
        let (status, form) = app
            .login("sheng.duban")
            .await
            .get_text(&format!("/attraction/targets/{zone}?year=2026"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("value=\"40.0\""), "{form}");
    })
    .await;
}

#[tokio::test]
async fn a_signing_campaign_takes_a_signed_lead_into_the_ledger_and_its_line_at_once() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = yuncheng(&app);
        let ours = investor(&api, zone, "签约一批客商有限公司").await;
        let signed = signed_lead(&api, zone, ours, "签约一批新材料项目", "60000").await;
        let talks = lead_in_talks(&api, zone, ours, "签约一批在谈项目", "20000").await;
        let campaign = |kind: &'static str| {
            let api = &api;
            async move {
                let (status, c) = api
                    .post(
                        "/api/v1/campaigns",
                        &json!({"org_id": zone, "kind": kind, "name": format!("2026年{kind}活动"),
                                "held_on": "2026-05-20"}),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{c}");
                c["id"].as_i64().unwrap()
            }
        };
        let starting = campaign("starting").await;
        let signing = campaign("signing").await;

        // Only a 签约一批 takes leads, and only signed ones.
        let (status, refused) = api
            .post(
                &format!("/api/v1/campaigns/{starting}/projects"),
                &json!({"lead_id": signed["id"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(
            field_errors(&refused)[0].1,
            "只有“签约一批”活动可以纳入招商签约项目。"
        );
        let (status, refused) = api
            .post(
                &format!("/api/v1/campaigns/{signing}/projects"),
                &json!({"lead_id": talks["id"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let (_, ledger) = api.get("/api/v1/projects?q=签约一批").await;
        assert_eq!(ledger["page"]["total"], 0, "nothing stored half-done");

        let (status, back) = api
            .post(
                &format!("/api/v1/campaigns/{signing}/projects"),
                &json!({"lead_id": signed["id"], "version": signed["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{back}");
        let lines = back["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["name"], "签约一批新材料项目");
        let (_, lead) = api
            .get(&format!("/api/v1/attraction/leads/{}", signed["id"]))
            .await;
        let project = lead["project_id"]
            .as_i64()
            .expect("the lead is in the ledger");
        assert_eq!(lines[0]["project_id"], project);
        let (_, p) = api.get(&format!("/api/v1/projects/{project}")).await;
        assert_eq!(p["total_investment"], 600_000_000i64);
        // Taken once: a second time it is already in the ledger.
        let (status, again) = api
            .post(
                &format!("/api/v1/campaigns/{signing}/projects"),
                &json!({"lead_id": signed["id"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
        assert_eq!(field_errors(&again)[0].1, "该招商项目已转入项目台账。");
        // Another zone's lead is not this campaign's to take.
        let lf = app.api_client("lf.staff").await;
        let lf_zone = app.zone("临汾经济开发区").id;
        let lf_investor = investor(&lf, lf_zone, "临汾签约客商有限公司").await;
        let theirs = signed_lead(&lf, lf_zone, lf_investor, "临汾签约项目", "10000").await;
        let (status, _) = api
            .post(
                &format!("/api/v1/campaigns/{signing}/projects"),
                &json!({"lead_id": theirs["id"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // The page offers the zone's signed leads not yet in the ledger.
        let another = signed_lead(&api, zone, ours, "签约一批装备项目", "30000").await;
        let session = app.login("yc.staff").await;
        let (_, page) = session.get_text(&format!("/campaigns/{signing}")).await;
        let offered = &page[page
            .find("data-testid=\"take-lead\"")
            .expect("the lead picker")..];
        assert!(offered.contains("纳入招商签约项目") && offered.contains("签约一批装备项目"));
        assert!(!offered.contains("签约一批新材料项目"), "taken already");
        let taken = session
            .post_form(
                &format!("/campaigns/{signing}/projects"),
                &[("lead_id", &another["id"].to_string())],
            )
            .await;
        assert_eq!(taken.status(), StatusCode::SEE_OTHER);
    })
    .await;
}
