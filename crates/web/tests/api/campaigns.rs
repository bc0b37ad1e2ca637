use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::each_backend;

const ZONE: &str = "运城经济技术开发区";

#[tokio::test]
async fn a_start_campaign_is_announced_then_looked_back_at() {
    each_backend(async |app| {
        let zone = app.zone(ZONE).id;
        let api = app.api_client("yc.staff").await;
        // Two projects signed in March, put on record at the April ceremony.
        let mut ids = Vec::new();
        for (name, category, wan) in [
            ("回头看测试光伏项目", "industrial", "120000"),
            ("回头看测试园区道路", "infrastructure", "34000"),
        ] {
            let (status, project) = api
                .post(
                    "/api/v1/projects",
                    &json!({"zone_id": zone, "name": name, "category": category, "nature": "new",
                            "total_investment": wan, "stage": "planning"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{project}");
            let id = project["id"].as_i64().unwrap();
            let (status, body) = api
                .post(
                    &format!("/api/v1/projects/{id}/stage"),
                    &json!({"stage": "signed", "date": "2024-03-01", "version": project["version"]}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            ids.push((id, body["version"].as_i64().unwrap()));
        }
        let (status, campaign) = api
            .post(
                "/api/v1/campaigns",
                &json!({"org_id": zone, "kind": "starting", "name": "2024年二季度集中开工",
                        "held_on": "2024-04-18"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{campaign}");
        let id = campaign["id"].as_i64().unwrap();
        // Before any project is in, the look-back says so, not "占%".
        let session = app.login("yc.staff").await;
        let (_, empty) = session.get_text(&format!("/campaigns/{id}")).await;
        assert!(empty.contains("本次活动还没有纳入项目") && !empty.contains("占；"), "{empty}");
        for (project, _) in &ids {
            let (status, body) = api
                .post(&format!("/api/v1/campaigns/{id}/projects"), &json!({"project_id": project}))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        // The road starts in May and invests 500 万元 in May, 300 in June.
        let (road, version) = ids[1];
        let (status, body) = api
            .post(
                &format!("/api/v1/projects/{road}/stage"),
                &json!({"stage": "started", "date": "2024-05-20", "version": version}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for (month, amount) in [(3, "100"), (5, "500"), (6, "300")] {
            let (status, body) = api
                .post(
                    &format!("/api/v1/projects/{road}/investments"),
                    &json!({"year": 2024, "month": month, "amount": amount}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }

        // The solar project is held up by land, past its deadline by June's end.
        let (status, body) = api
            .post(
                &format!("/api/v1/projects/{}/blockers", ids[0].0),
                &json!({"factor": "land", "description": "用地指标未落实", "raised_on": "2024-05-10",
                        "deadline": "2024-06-10"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let look = |as_of: &'static str| {
            let api = &api;
            async move {
                let (status, body) = api
                    .get(&format!("/api/v1/campaigns/{id}?as_of={as_of}"))
                    .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                body
            }
        };
        let may: Value = look("2024-05-19").await;
        assert_eq!(
            may["headline"],
            "2个项目总投资15.40亿元，其中产业类1个12.00亿元、基础设施类1个3.40亿元"
        );
        assert_eq!(may["kept"], 0);
        let june: Value = look("2024-06-30").await;
        assert_eq!(june["kept"], 1);
        assert_eq!(june["kept_share_tenths"], 500);
        assert_eq!(june["invested_since"], "800", "April onwards: May and June");
        let road_line = june["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["project_id"] == road)
            .unwrap();
        assert_eq!(road_line["kept_on"], "2024-05-20");
        assert_eq!(road_line["days_to_keep"], 32, "18 April to 20 May");
        let solar_line = june["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["project_id"] == ids[0].0)
            .unwrap();
        assert_eq!(
            solar_line["blockers"],
            json!(["土地：用地指标未落实（限2024-06-10，已逾期）"])
        );
        assert_eq!(
            june["progress"],
            json!([["2024-04", 0], ["2024-05", 1], ["2024-06", 1]])
        );
        assert_eq!(road_line["stage_then"], "签约");

        // The files say the same.
        let session = app.login("yc.staff").await;
        let docx = session
            .get(&format!("/campaigns/{id}/lookback.docx?as_of=2024-06-30"))
            .await;
        assert_eq!(docx.status(), StatusCode::OK);
        let read = kfq_docx::read_back(&docx.bytes().await.unwrap()).unwrap();
        let text: String = read.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
        assert!(text.contains("1个项目达到“开工”，占50.0%"), "{text}");
        assert!(
            text.contains("回头看测试光伏项目（运城经济技术开发区，当前阶段：签约）。存在问题：土地：用地指标未落实（限2024-06-10，已逾期）。"),
            "{text}"
        );
        assert!(read.tables[0].iter().any(|row| row.iter().any(|c| c == "2024-05-20")));
        let xlsx = session
            .get(&format!("/campaigns/{id}/lookback.xlsx?as_of=2024-06-30"))
            .await;
        assert_eq!(xlsx.status(), StatusCode::OK);
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
        let (_, page) = session.get_text(&format!("/campaigns/{id}?as_of=2024-06-30")).await;
        assert!(page.contains("2个项目中1个达到“开工”，占50.0%"), "{page}");

        // The solar project is dropped with a reason: out of the figures,
        // listed apart; a reason is required; it can come back.
        let (status, body) = api
            .post(&format!("/api/v1/campaigns/{id}/drops"), &json!({"project_id": ids[0].0, "reason": "否"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let refused = session
            .post_form(&format!("/campaigns/{id}/drop"), &[("project_id", &ids[0].0.to_string()), ("reason", "  ")])
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("撤出须说明原因"));
        let dropped = session
            .post_form(
                &format!("/campaigns/{id}/drop"),
                &[("project_id", &ids[0].0.to_string()), ("reason", "企业投资意向变化，项目暂缓")],
            )
            .await;
        assert_eq!(dropped.status(), StatusCode::SEE_OTHER);
        let june: Value = look("2024-06-30").await;
        assert_eq!(june["lines"].as_array().unwrap().len(), 1);
        assert_eq!(june["kept_share_tenths"], 1000, "1 of 1 once the solar project is out");
        assert_eq!(june["dropped"][0]["drop_reason"], "企业投资意向变化，项目暂缓");
        let (_, page) = session.get_text(&format!("/campaigns/{id}?as_of=2024-06-30")).await;
        assert!(page.contains("已撤出的项目") && page.contains("企业投资意向变化"), "{page}");
        // The files sent upward say what left the figures, and why.
        let docx = session
            .get(&format!("/campaigns/{id}/lookback.docx?as_of=2024-06-30"))
            .await;
        let read = kfq_docx::read_back(&docx.bytes().await.unwrap()).unwrap();
        let text: String = read.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
        let today = kfq_app::clock::today().format("%Y年%-m月%-d日").to_string();
        assert!(
            text.contains("已撤出的项目（不计入上述统计）")
                && text.contains(&format!(
                    "回头看测试光伏项目（运城经济技术开发区）于{today}撤出，原因：企业投资意向变化，项目暂缓。"
                ))
                && text.contains("1个项目达到“开工”，占100.0%"),
            "{text}"
        );
        let xlsx = session
            .get(&format!("/campaigns/{id}/lookback.xlsx?as_of=2024-06-30"))
            .await;
        {
            use calamine::Reader;
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes().await.unwrap())).unwrap();
            assert_eq!(book.sheet_names(), vec!["回头看", "已撤出"]);
            let sheet = book.worksheet_range("已撤出").unwrap();
            let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
            assert!(cells.contains(&"回头看测试光伏项目".to_owned()), "{cells:?}");
            assert!(cells.contains(&"企业投资意向变化，项目暂缓".to_owned()), "{cells:?}");
            let main = book.worksheet_range("回头看").unwrap();
            assert!(!main.rows().flatten().any(|c| *c == "回头看测试光伏项目"));
        }
        let (_, history) = api.get(&format!("/api/v1/projects/{}/history", ids[0].0)).await;
        assert!(history.to_string().contains("企业投资意向变化"), "audited: {history}");
        let (status, back) = api
            .post(&format!("/api/v1/campaigns/{id}/projects"), &json!({"project_id": ids[0].0}))
            .await;
        assert_eq!(status, StatusCode::OK, "{back}");
        assert_eq!(back["lines"].as_array().unwrap().len(), 2, "back on the campaign");
        assert!(back["dropped"].as_array().unwrap().is_empty());

        // A refused form keeps what was typed; 开展日期 defaults to today.
        let (_, list) = session.get_text("/campaigns").await;
        assert!(list.contains(&format!("value=\"{}\"", kfq_app::clock::today())), "{list}");
        let refused = session
            .post_form(
                "/campaigns",
                &[("org_id", &zone.to_string()), ("kind", "starting"), ("name", ""),
                  ("held_on", "2024-04-18"), ("note", "表单保留备注")],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = refused.text().await.unwrap();
        assert!(text.contains("value=\"表单保留备注\"") && text.contains("value=\"2024-04-18\""), "{text}");

        // Another zone cannot add its projects, nor see the campaign.
        let other = app.api_client("lf.staff").await;
        let (status, _) = other.get(&format!("/api/v1/campaigns/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn who_may_not_organise_is_refused_and_offered_nothing() {
    each_backend(async |app| {
        let zone = app.zone(ZONE).id;
        let staff = app.api_client("yc.staff").await;
        let (status, campaign) = staff
            .post(
                "/api/v1/campaigns",
                &json!({"org_id": zone, "kind": "signing", "name": "签约活动", "held_on": "2024-04-18"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{campaign}");
        let id = campaign["id"].as_i64().unwrap();
        for who in ["yc.baolian", "yc.zhaoshang"] {
            let api = app.api_client(who).await;
            let (status, body) = api
                .post(
                    "/api/v1/campaigns",
                    &json!({"org_id": zone, "kind": "signing", "name": "越权活动", "held_on": "2024-04-18"}),
                )
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
            let (status, body) = api
                .post(&format!("/api/v1/campaigns/{id}/projects"), &json!({"project_id": 1}))
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
            // The page offers no form for what would be refused.
            let page = app.login(who).await;
            let (status, html) = page.get_text(&format!("/campaigns/{id}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(!html.contains(&format!("/campaigns/{id}/projects")), "{who} is offered the add form");
        }
        let (_, list) = staff.get("/api/v1/campaigns").await;
        let names: Vec<&str> = list.as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
        assert!(!names.contains(&"越权活动"));
    })
    .await;
}
