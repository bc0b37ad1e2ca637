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
