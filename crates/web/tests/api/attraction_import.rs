//! 导入招商项目台账 as a zone's clerk does it: upload the workbook kept in
//! Excel (在谈 and 签约 sheets, a title, a unit note, a total row), see what
//! each row becomes, fill in what the sheet leaves out, commit — then the
//! same file again changes nothing, and next month's file moves leads on.

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};

use crate::helpers::{each_backend, fresh_credit_code, Api, Session};

/// A workbook of sheets, each rows of cells ("" blank; numbers as numbers).
fn xlsx(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if cell.is_empty() {
                    continue;
                }
                match cell.parse::<f64>() {
                    Ok(n) => ws.write_number(r as u32, c as u16, n).unwrap(),
                    Err(_) => ws.write_string(r as u32, c as u16, *cell).unwrap(),
                };
            }
        }
    }
    book.save_to_buffer().unwrap()
}

const TALKS_HEADER: &[&str] = &[
    "序号",
    "项目名称",
    "投资方",
    "投资方所在地",
    "计划总投资",
    "项目来源",
    "负责人",
    "洽谈进展",
];

/// The zone's workbook this month: two in talks, one signed without its
/// agreement type written.
fn this_month() -> Vec<u8> {
    xlsx(&[
        (
            "在谈项目",
            &[
                &["运城经开区在谈项目台账"],
                &["单位：亿元"],
                TALKS_HEADER,
                &[
                    "1",
                    "导入测试储能电池项目",
                    "导入测试储能科技有限公司",
                    "江苏常州",
                    "12.5",
                    "产业链招商",
                    "运城经开区招商局",
                    "已完成两轮洽谈",
                ],
                &[
                    "2",
                    "导入测试光伏支架项目",
                    "导入测试光伏有限公司",
                    "浙江省宁波市",
                    "3",
                    "以商招商",
                    "",
                    "",
                ],
                &["合计", "", "", "", "15.5"],
            ],
        ),
        (
            "签约项目",
            &[
                &[
                    "序号",
                    "项目名称",
                    "签约企业",
                    "企业所在地",
                    "签约时间",
                    "签约额（万元）",
                    "项目来源",
                ],
                &[
                    "1",
                    "导入测试铝基新材料项目",
                    "导入测试铝业集团有限公司",
                    "香港",
                    "2026-09-18",
                    "52000",
                    "外出招商",
                ],
            ],
        ),
    ])
}

async fn upload(session: &Session, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", session.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("招商项目台账.xlsx"),
        );
    let response = session
        .client
        .post(session.url("/attraction/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The plan page's mapping as it stands: (header, field) pairs.
fn mapping(page: &str) -> Vec<(String, String)> {
    let header = regex::Regex::new(r#"name="map_h\[\]" value="([^"]*)""#).unwrap();
    let select = regex::Regex::new(r#"(?s)<select name="map_f\[\]"[^>]*>(.*?)</select>"#).unwrap();
    let selected = regex::Regex::new(r#"<option value="([^"]*)" selected>"#).unwrap();
    let headers: Vec<String> = header
        .captures_iter(page)
        .map(|c| c[1].to_owned())
        .collect();
    let fields: Vec<String> = select
        .captures_iter(page)
        .map(|c| {
            selected
                .captures(&c[1])
                .map_or("-".to_owned(), |s| s[1].to_owned())
        })
        .collect();
    assert_eq!(headers.len(), fields.len());
    headers.into_iter().zip(fields).collect()
}

fn form_of(page: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for (h, f) in mapping(page) {
        form.push(("map_h[]".to_owned(), h));
        form.push(("map_f[]".to_owned(), f));
    }
    form.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    form
}

async fn post(session: &Session, path: &str, form: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    session.post_form(path, &fields).await
}

/// Sends a workbook to the import API with the form's other fields.
async fn send(api: &Api, name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    api.client
        .post(format!("{}/api/v1/attraction/import", api.base))
        .bearer_auth(&api.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn lead_named(api: &Api, zone: i64, name: &str) -> Value {
    let (status, list) = api
        .get(&format!("/api/v1/attraction/leads?zone_id={zone}&q={name}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["page"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{name}: {list}");
    items[0].clone()
}

#[tokio::test]
async fn a_clerk_imports_the_zones_workbook_page_by_page() {
    each_backend(async |app| {
        let clerk = app.login("yc.staff").await;
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let location = upload(&clerk, this_month()).await;
        let (status, page) = clerk.get_text(&location).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        // The columns as read, the total row skipped, and the signed row
        // refused for what signing needs.
        assert!(page.contains("新增 <strong>2</strong> 个"), "{page}");
        assert!(page.contains("无法导入 <strong>1</strong> 个"), "{page}");
        assert!(page.contains("签约须选择协议类型"), "{page}");
        assert!(
            page.contains("合计行"),
            "the total row is said to be skipped"
        );
        assert!(mapping(&page).contains(&("投资方所在地".to_owned(), "place".to_owned())));

        // Committing with a refused row is refused, and nothing is stored.
        let response = post(&clerk, &location, &form_of(&page, &[("commit", "1")])).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("只导入无误的行"));
        let (_, none) = api
            .get(&format!(
                "/api/v1/attraction/leads?zone_id={zone}&q=导入测试"
            ))
            .await;
        assert_eq!(none["page"]["total"], 0, "nothing stored half-done");

        // The agreement chosen for rows that name none: all three go in.
        let response = post(
            &clerk,
            &location,
            &form_of(&page, &[("agreement", "formal")]),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let page = response.text().await.unwrap();
        assert!(page.contains("新增 <strong>3</strong> 个"), "{page}");
        let response = post(
            &clerk,
            &location,
            &form_of(&page, &[("agreement", "formal"), ("commit", "1")]),
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let back = response.headers()["location"].to_str().unwrap().to_owned();
        let (_, pipeline) = clerk.get_text(&back).await;
        assert!(pipeline.contains("招商项目台账已导入"), "{pipeline}");

        let battery = lead_named(&api, zone, "导入测试储能电池项目").await;
        assert_eq!(battery["stage"], "negotiating", "a 在谈 sheet");
        assert_eq!(
            battery["investment"], 1_250_000_000i64,
            "12.5 亿元 by the unit note"
        );
        assert_eq!(battery["source"], "chain");
        assert_eq!(battery["investor_origin"], "out_of_province");
        assert_eq!(battery["investor_place"], "江苏");
        assert_eq!(battery["owner_name"], "运城经开区招商局");
        let signed = lead_named(&api, zone, "导入测试铝基新材料项目").await;
        assert_eq!(signed["stage"], "signed");
        assert_eq!(signed["signed_on"], "2026-09-18");
        assert_eq!(signed["signed_amount"], 520_000_000i64);
        assert_eq!(signed["agreement"], "formal");
        assert_eq!(signed["investor_origin"], "abroad", "香港 counts as 境外");
        // The row's words are kept with the lead's history.
        let (_, history) = api
            .get(&format!(
                "/api/v1/attraction/leads/{}/stages",
                battery["id"]
            ))
            .await;
        assert!(
            history.to_string().contains("进展情况：已完成两轮洽谈"),
            "{history}"
        );

        // The same file again: nothing new, nothing changed.
        let location = upload(&clerk, this_month()).await;
        let (_, page) = clerk.get_text(&location).await;
        assert!(
            page.contains("新增 <strong>0</strong> 个，更新 <strong>0</strong> 个，无变化 3 个"),
            "{page}"
        );
    })
    .await;
}

#[tokio::test]
async fn next_months_workbook_moves_leads_on_through_the_api() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let response = send(
            &api,
            "台账.xlsx",
            this_month(),
            &[("agreement", "framework"), ("commit", "true")],
        )
        .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let done: Value = response.json().await.unwrap();
        assert_eq!(done["created"].as_array().unwrap().len(), 3, "{done}");
        assert_eq!(done["counts"]["rejected"], 0);

        // Next month: the battery project signed, more money; the bracket
        // project now written in talks with a lower figure.
        let next = xlsx(&[(
            "签约项目",
            &[
                &[
                    "项目名称",
                    "投资方",
                    "投资额（亿元）",
                    "签约时间",
                    "签约额（亿元）",
                    "协议类型",
                    "项目阶段",
                ],
                &[
                    "导入测试储能电池项目",
                    "导入测试储能科技有限公司",
                    "15",
                    "2026-10-20",
                    "15",
                    "正式合同",
                    "已签约",
                ],
                &[
                    "导入测试铝基新材料项目",
                    "导入测试铝业集团有限公司",
                    "5.2",
                    "",
                    "",
                    "",
                    "在谈",
                ],
            ],
        )]);
        let dry: Value = send(&api, "台账.xlsx", next.clone(), &[])
            .await
            .json()
            .await
            .unwrap();
        let rows = dry["rows"].as_array().unwrap();
        assert_eq!(rows[0]["action"], "update", "{dry}");
        assert_eq!(
            rows[0]["changes"],
            serde_json::json!(["投资额：12.50亿元 → 15.00亿元", "阶段：洽谈 → 签约"])
        );
        // A signed lead is never taken back by a sheet.
        assert_eq!(rows[1]["action"], "unchanged");
        assert!(
            rows[1]["warnings"].to_string().contains("阶段不回退"),
            "{dry}"
        );
        assert_eq!(dry["created"], Value::Null, "a dry run stores nothing");
        let before = lead_named(&api, zone, "导入测试储能电池项目").await;
        assert_eq!(before["stage"], "negotiating");

        let response = send(&api, "台账.xlsx", next, &[("commit", "true")]).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let after = lead_named(&api, zone, "导入测试储能电池项目").await;
        assert_eq!(after["stage"], "signed");
        assert_eq!(after["signed_amount"], 1_500_000_000i64);
        assert_eq!(after["investment"], 1_500_000_000i64);
        assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
        let (_, audit) = api
            .get(&format!(
                "/api/v1/audit?entity=lead&entity_id={}",
                after["id"]
            ))
            .await;
        assert!(audit.to_string().contains("update"), "{audit}");
    })
    .await;
}

#[tokio::test]
async fn only_who_works_every_lead_of_a_zone_imports() {
    each_backend(async |app| {
        for user in ["yc.zhaoshang", "yc.qiye"] {
            let api = app.api_client(user).await;
            let response = send(&api, "台账.xlsx", this_month(), &[]).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{user}");
        }
        // A file that is not a lead workbook is said to be so, nothing stored.
        let api = app.api_client("yc.staff").await;
        let response = send(&api, "x.csv", b"a,b\n1,2\n".to_vec(), &[("commit", "true")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = response.json().await.unwrap();
        assert!(
            body.to_string().contains("没有要新增或更新的项目"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_ledger_a_zone_sends_upward_reads_back_into_another_zone() {
    each_backend(async |app| {
        let yc = app.login("yc.staff").await;
        let source = app.zone("运城经济技术开发区").id;
        let yc_api = app.api_client("yc.staff").await;
        // Two leads of the zone's own: one in talks, one started.
        for (name, started) in [("回读测试洽谈", false), ("回读测试开工", true)] {
            let (status, investor) = yc_api
                .post(
                    "/api/v1/attraction/investors",
                    &json!({"zone_id": source, "name": format!("{name}有限公司"),
                            "origin": "out_of_province", "origin_place": "江苏"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{investor}");
            let (status, mut lead) = yc_api
                .post(
                    "/api/v1/attraction/leads",
                    &json!({"zone_id": source, "name": format!("{name}项目"), "investor_id": investor["id"],
                            "investment": "36000", "source": "fair", "registered_on": "2026-02-02"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{lead}");
            let steps = if started {
                vec![json!({"stage": "started", "on": "2026-05-06", "signed_on": "2026-03-18",
                            "signed_amount": "36000", "agreement": "formal",
                            "enterprise_name": "回读测试运城有限公司",
                            "enterprise_credit_code": fresh_credit_code(901), "started_on": "2026-05-06"})]
            } else {
                vec![json!({"stage": "negotiating", "on": "2026-04-01"})]
            };
            for mut body in steps {
                body["version"] = lead["version"].clone();
                let (status, moved) = yc_api
                    .post(&format!("/api/v1/attraction/leads/{}/stage", lead["id"]), &body)
                    .await;
                assert_eq!(status, StatusCode::OK, "{moved}");
                lead = moved;
            }
        }
        let response = yc
            .get(&format!("/attraction/export.xlsx?zone_id={source}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let exported = response.bytes().await.unwrap().to_vec();
        let lf = app.api_client("lf.staff").await;
        let response = send(
            &lf,
            "招商项目台账.xlsx",
            exported,
            &[("commit", "true"), ("only_valid", "true")],
        )
        .await;
        let done: Value = response.json().await.unwrap();
        // Every row of kfq's own layout is understood.
        assert_eq!(done["counts"]["rejected"], 0, "{done}");
        let created = done["created"].as_array().unwrap();
        assert!(!created.is_empty(), "{done}");
        assert!(created.len() >= 2, "{done}");
        for id in created {
            let (_, copy) = lf.get(&format!("/api/v1/attraction/leads/{id}")).await;
            let (_, found) = yc_api
                .get(&format!(
                    "/api/v1/attraction/leads?zone_id={source}&q={}",
                    copy["name"].as_str().unwrap()
                ))
                .await;
            let original = &found["page"]["items"][0];
            for key in [
                "stage",
                "investor_name",
                "investor_origin",
                "source",
                "signed_on",
                "signed_amount",
                "agreement",
                "enterprise_credit_code",
                "started_on",
                "produced_on",
            ] {
                assert_eq!(copy[key], original[key], "{key} of {}", copy["name"]);
            }
        }
    })
    .await;
}
