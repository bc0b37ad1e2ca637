//! Bulletins read into the ledger, with provenance.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{each_backend, field_errors};

const BULLETIN: &str = "本刊讯 7月17日，运城经济技术开发区召开项目推进会。\n山西测试新材料产业园项目。该项目计划总投资约18亿元，总用地面积约500亩，总建筑面积约14.3万平方米，\n预计可实现年产值约50亿元，年利税7.5亿元，解决就业500余人。（张越）\n";

#[tokio::test]
async fn a_bulletin_is_read_compared_and_accepted_into_the_ledger() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (status, errors) = api
            .post(
                "/api/v1/bulletins",
                &json!({ "zone_id": zone, "title": "", "text": "" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&errors).len(), 2);
        let (status, read) = api
            .post(
                "/api/v1/bulletins",
                &json!({ "zone_id": zone, "title": "运城经开区简报第12期", "text": BULLETIN }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{read}");
        let id = read["bulletin"]["id"].as_i64().unwrap();
        let project = read["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"].as_str().unwrap().contains("新材料产业园"))
            .expect("the project is read")
            .clone();
        assert!(project["project_id"].is_null(), "not in the ledger yet");
        let total = project["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == "total_investment")
            .unwrap()
            .clone();
        assert_eq!(total["value"], "180000", "18亿元 in 万元");
        let facts: Vec<String> = project["facts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["ledger_field"].is_null())
            .map(|f| f["index"].to_string())
            .collect();
        let (status, created) = api
            .post(
                &format!("/api/v1/bulletins/{id}/accept"),
                &json!({ "project": project["name"], "facts": facts.join(",") }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{created}");
        assert_eq!(created["total_investment"], 1_800_000_000_i64);
        assert_eq!(created["land_mu_hundredths"], 50_000);
        assert_eq!(created["jobs"], 500);
        // Read again: now in the ledger, and nothing differs.
        let (_, again) = api.get(&format!("/api/v1/bulletins/{id}")).await;
        let project = again["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == project["name"])
            .unwrap()
            .clone();
        assert_eq!(project["project_id"], created["id"]);
        assert!(
            project["facts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| !f["ledger_field"].is_null())
                .all(|f| f["differs"] == false),
            "{project}"
        );
        // The page highlights the facts; the project keeps its source.
        let session = app.login("yc.staff").await;
        let (status, page) = session.get_text(&format!("/bulletins/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<mark") && page.contains("台账中已有"));
        let sources = app
            .store
            .project_sources(created["id"].as_i64().unwrap())
            .await
            .unwrap();
        assert!(sources
            .iter()
            .any(|s| s.quote.contains("18亿元") && s.bulletin_id == id));
        // Another zone cannot file into this one.
        let other = app.api_client("lf.staff").await;
        let (status, _) = other
            .post(
                "/api/v1/bulletins",
                &json!({ "zone_id": zone, "title": "x", "text": BULLETIN }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn word_files_can_be_uploaded() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id.to_string();
        let docx = {
            use std::io::Write;
            let mut buffer = std::io::Cursor::new(Vec::new());
            let mut zip = zip::ZipWriter::new(&mut buffer);
            zip.start_file(
                "word/document.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            let body: String = BULLETIN
                .lines()
                .map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>"))
                .collect();
            zip.write_all(
                format!("<w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>")
                    .as_bytes(),
            )
            .unwrap();
            zip.finish().unwrap();
            buffer.into_inner()
        };
        let form = reqwest::multipart::Form::new()
            .text("_csrf", session.csrf.clone())
            .text("zone_id", zone.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(docx).file_name("简报第13期.docx"),
            );
        let response = session
            .client
            .post(session.url("/bulletins/upload"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let (_, page) = session.get_text(&location).await;
        assert!(page.contains("简报第13期.docx") && page.contains("新材料产业园"));
        let forged = reqwest::multipart::Form::new().text("zone_id", zone);
        let refused = session
            .client
            .post(session.url("/bulletins/upload"))
            .multipart(forged)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // The token in the query string (where logs keep it) does not count.
        let queried = reqwest::multipart::Form::new().text("zone_id", "1");
        let refused = session
            .client
            .post(session.url(&format!("/bulletins/upload?_csrf={}", session.csrf)))
            .multipart(queried)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

const GUARDRAILS: &str = "本刊讯 7月18日，运城经济技术开发区召开项目推进会。\n年产100万吨公路护栏项目。该项目计划总投资约5亿元，总用地面积约200亩，解决就业300余人。（张越）\n";

/// A project written otherwise than in the ledger is matched by product and
/// capacity, the page says why, and the user's correction is what is accepted.
#[tokio::test]
async fn a_project_named_otherwise_is_matched_with_evidence_and_can_be_corrected() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let mut ids = vec![];
        for name in ["新绛年产百万吨公路护栏项目", "年产50万吨钢结构项目"] {
            let (status, p) = api
                .post(
                    "/api/v1/projects",
                    &json!({ "zone_id": zone, "name": name, "category": "industrial", "nature": "new", "total_investment": "5000" }),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{p}");
            ids.push(p["id"].as_i64().unwrap());
        }
        let (guardrail, steel) = (ids[0], ids[1]);
        let (_, other) = app
            .api_client("lf.staff")
            .await
            .post(
                "/api/v1/projects",
                &json!({ "zone_id": app.zone("临汾经济开发区").id, "name": "年产100万吨公路护栏项目", "category": "industrial", "nature": "new", "total_investment": "5000" }),
            )
            .await;
        assert!(other["id"].is_i64(), "{other}");
        let (status, read) = api
            .post(
                "/api/v1/bulletins",
                &json!({ "zone_id": zone, "title": "简报第14期", "text": GUARDRAILS }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{read}");
        let id = read["bulletin"]["id"].as_i64().unwrap();
        let project = read["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "年产100万吨公路护栏项目")
            .unwrap_or_else(|| panic!("{read}"))
            .clone();
        assert_eq!(project["project_id"], guardrail, "{project}");
        assert_eq!(project["matched_by"], "similar");
        assert_eq!(project["evidence"]["capacity"], "100万吨");
        let session = app.login("yc.staff").await;
        let (status, page) = session.get_text(&format!("/bulletins/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("按名称相近匹配：产品“公路护栏”、产能“100万吨”一致；台账名称“新绛年产百万吨公路护栏项目”"),
            "{page}"
        );
        assert!(page.contains("作为新项目") && page.contains(&format!("<option value=\"{steel}\"")));
        let facts: Vec<String> = project["facts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["ledger_field"].is_null())
            .map(|f| f["index"].to_string())
            .collect();
        let facts = facts.join(",");
        let path = format!("/bulletins/{id}/accept");
        // Another zone's project, or no number at all: refused in words.
        for wrong in [other["id"].to_string(), "x".to_owned()] {
            let refused = session
                .post_form(
                    &path,
                    &[
                        ("project", "年产100万吨公路护栏项目"),
                        ("facts", &facts),
                        ("project_id", &wrong),
                    ],
                )
                .await;
            assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let text = refused.text().await.unwrap();
            assert!(
                text.contains("所选项目不是该开发区台账中您可查看的项目") || text.contains("请从列表中选择"),
                "{text}"
            );
        }
        // The user says the bulletin's project is the steel one, with the
        // facts ticked on the page (every one the ledger holds, by default).
        let ticks: Vec<String> = facts.split(',').map(|i| format!("fact_{i}")).collect();
        for tick in &ticks {
            assert!(page.contains(&format!("name=\"{tick}\"")), "a box for {tick}");
        }
        let mut fields: Vec<(&str, &str)> = ticks.iter().map(|t| (t.as_str(), "on")).collect();
        let steel_id = steel.to_string();
        fields.extend([("project", "年产100万吨公路护栏项目"), ("project_id", steel_id.as_str())]);
        let accepted = session.post_form(&path, &fields).await;
        assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
        assert!(accepted.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with(&format!("/projects/{steel}?")));
        let (_, corrected) = api.get(&format!("/api/v1/projects/{steel}")).await;
        assert_eq!(corrected["jobs"], 300, "{corrected}");
        let (_, untouched) = api.get(&format!("/api/v1/projects/{guardrail}")).await;
        assert!(untouched["jobs"].is_null(), "{untouched}");
    })
    .await;
}
