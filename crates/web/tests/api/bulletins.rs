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
            .text("zone_id", zone.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(docx).file_name("简报第13期.docx"),
            );
        let response = session
            .client
            .post(session.url(&format!("/bulletins/upload?_csrf={}", session.csrf)))
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
    })
    .await;
}
