use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{each_backend, Session};

const ZONE: &str = "运城经济技术开发区";

/// A June ledger as a zone keeps it: title, unit note, a total row, a
/// problem to register, and one row a new project cannot be made from.
fn june() -> String {
    "2024年运城经济技术开发区重点项目推进台账\n单位：万元\n\
     序号,项目名称,建设单位,项目类别,总投资,2024年计划投资,1-6月完成投资,开工时间,存在问题\n\
     1,导入测试光伏组件项目,山西导入测试新能源有限公司,产业类,56000,12000,3000,2024.3,110千伏供电线路未接入\n\
     2,导入测试物流园项目,山西导入测试物流有限公司,基础设施类,23000,5000,1200,2024.5,无\n\
     3,导入测试缺总投资项目,某公司,产业类,,,,,\n\
     合计,,,,79000,17000,4200,,\n"
        .to_string()
}

async fn upload(session: &Session, zone_id: i64, name: &str, bytes: Vec<u8>) -> String {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", session.csrf.clone())
        .text("zone_id", zone_id.to_string())
        .text("blockers", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    let response = session
        .client
        .post(session.url("/projects/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The plan page's form: its own mapping selects as they stand.
fn mapping_fields(page: &str) -> Vec<(String, String)> {
    let select = regex::Regex::new(r#"<select name="(col_\d+_\d+)">(.*?)</select>"#).unwrap();
    let selected = regex::Regex::new(r#"<option value="([^"]*)" selected>"#).unwrap();
    select
        .captures_iter(page)
        .map(|c| {
            let value = selected
                .captures(&c[2])
                .map_or("-".to_string(), |s| s[1].to_string());
            (c[1].to_string(), value)
        })
        .collect()
}

async fn commit(
    session: &Session,
    location: &str,
    page: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let path = location.split('?').next().unwrap();
    let fields = mapping_fields(page);
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("blockers", "1"));
    form.extend_from_slice(extra);
    session.post_form(&format!("{path}/commit"), &form).await
}

#[tokio::test]
async fn a_zone_previews_its_workbook_commits_it_and_reimports_without_duplicates() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let bytes = june().into_bytes();
        let location = upload(&session, zone, "6月台账.csv", bytes.clone()).await;
        let (status, page) = session.get_text(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("新增 2 个"), "{page}");
        assert!(page.contains("有误 1 行"));
        assert!(page.contains("第6行") && page.contains("新项目缺少总投资"));
        assert!(page.contains("新增困难问题：110千伏供电线路未接入"));
        // The day the ledger describes, read from its "1-6月" column.
        assert!(
            page.contains("台账截至日期：<strong>2024-06-30</strong>（据“1-6月”）"),
            "{page}"
        );

        // A file with a bad row changes nothing unless asked to skip it.
        let refused = commit(&session, &location, &page, &[]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let (_, ledger) = session.get_text("/projects?q=导入测试").await;
        assert!(!ledger.contains("导入测试光伏组件项目"));

        let done = commit(&session, &location, &page, &[("only_valid", "1")]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let (_, ledger) = session
            .get_text("/projects?q=导入测试&year=2024&month=6")
            .await;
        assert!(ledger.contains("导入测试光伏组件项目") && ledger.contains("导入测试物流园项目"));
        assert!(!ledger.contains("导入测试缺总投资项目"));
        let (_, history) = session.get_text("/projects/import").await;
        let sha = kfq_store::ImportFile::of("6月台账.csv", &bytes).sha256;
        assert!(
            history.contains(&sha),
            "the import is recorded with the file's hash"
        );

        // The same workbook again: nothing new, nothing duplicated.
        let location = upload(&session, zone, "6月台账.csv", bytes).await;
        let (_, page) = session.get_text(&location).await;
        assert!(page.contains("新增 0 个，更新 0 个，无变化 2 个"), "{page}");

        // July's workbook appends July: 4500 − 3000 already in June.
        let july = june()
            .replace("1-6月完成投资", "1-7月完成投资")
            .replace(",12000,3000,", ",12000,4500,");
        let location = upload(&session, zone, "7月台账.csv", july.into_bytes()).await;
        let (_, page) = session.get_text(&location).await;
        assert!(page.contains("2024年7月完成投资 1500万元"), "{page}");
        let done = commit(&session, &location, &page, &[("only_valid", "1")]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let (_, ledger) = session
            .get_text("/api/v1/projects?q=导入测试光伏&year=2024&month=7")
            .await;
        let ledger: Value = serde_json::from_str(&ledger).unwrap();
        let row = &ledger["page"]["items"][0];
        assert_eq!(row["ytd"], 45_000_000, "{ledger}");
        assert_eq!(ledger["page"]["total"], 1, "not created twice");
    })
    .await;
}

#[tokio::test]
async fn an_exported_ledger_imports_back_unchanged() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let exported = api
            .client
            .get(format!("{}/projects/export.xlsx?zone_id={zone}", api.base))
            .bearer_auth(&api.token)
            .send()
            .await
            .unwrap();
        assert_eq!(exported.status(), StatusCode::OK);
        let bytes = exported.bytes().await.unwrap().to_vec();
        let (_, listed) = api.get(&format!("/api/v1/projects?zone_id={zone}")).await;
        let form = reqwest::multipart::Form::new()
            .text("zone_id", zone.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("台账.xlsx"),
            );
        let response = api
            .client
            .post(format!("{}/api/v1/ledger-imports", api.base))
            .bearer_auth(&api.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let report: Value = response.json().await.unwrap();
        let counts = &report["counts"];
        let changed: Vec<&Value> = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"]["kind"] != "unchanged")
            .collect();
        assert!(changed.is_empty(), "{changed:#?}");
        assert_eq!(counts["unchanged"], listed["page"]["total"]);
        assert!(counts["unchanged"].as_i64().unwrap() > 0);
    })
    .await;
}

/// A ledger of projects begun before kfq: planned dates, a plan and totals
/// since the start, as zones keep them.
#[tokio::test]
async fn plans_become_targets_and_totals_since_the_start_become_the_opening() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let api = app.api_client("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let csv = "2024年1-6月重点项目推进台账\n单位：万元\n\
                   项目名称,总投资,2024年计划投资,计划开工时间,预计投产时间,1-6月累计完成投资,开工以来累计完成投资,形象进度\n\
                   期初测试电池项目,50000,12000,2024.3,2025.10,3000,9000,主体钢结构吊装\n";
        let location = upload(&session, zone, "6月台账.csv", csv.as_bytes().to_vec()).await;
        let (status, page) = session.get_text(&location).await;
        assert_eq!(status, StatusCode::OK);
        // What each column became, and what this row sets.
        assert!(page.contains("2024年度计划的目标开工日期（计划，不作为阶段依据）"), "{page}");
        assert!(page.contains("开工以来累计完成投资：记为截至2024-06-30的开工累计"));
        assert!(page.contains("2024年度计划目标开工日期 2024-03-31"), "{page}");
        assert!(page.contains("2024年度计划目标投产日期 2025-10-31"));
        assert!(page.contains("开工以来累计完成投资9000万元（截至2024-06-30），此后各月在其上累加"));
        let done = commit(&session, &location, &page, &[]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);

        let (_, found) = api.get("/api/v1/projects?q=期初测试电池").await;
        let id = found["page"]["items"][0]["id"].as_i64().expect("imported");
        let (_, plans) = api.get(&format!("/api/v1/projects/{id}/plans")).await;
        assert_eq!(plans[0]["year"], 2024, "{plans}");
        assert_eq!(plans[0]["planned_investment"], 120_000_000);
        assert_eq!(plans[0]["target_start"], "2024-03-31");
        assert_eq!(plans[0]["target_production"], "2025-10-31");
        let (_, opening) = api.get(&format!("/api/v1/projects/{id}/opening")).await;
        assert_eq!(opening["amount"], 90_000_000, "{opening}");
        assert_eq!(opening["as_of"], "2024-06-30");
        // The stage is the progress text's, not the planned date's.
        let (_, project) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert_eq!(project["stage"], "started", "{project}");

        // 开工累计 builds on the opening: July's 800 makes 9,800.
        let july = csv
            .replace("1-6月", "1-7月")
            .replace(",3000,9000,", ",3800,9800,");
        let location = upload(&session, zone, "7月台账.csv", july.into_bytes()).await;
        let (_, page) = session.get_text(&location).await;
        assert!(page.contains("2024年7月完成投资 800万元"), "{page}");
        let done = commit(&session, &location, &page, &[]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let (_, shown) = session
            .get_text(&format!("/projects/{id}?year=2024"))
            .await;
        assert!(shown.contains("开工以来累计完成投资（期初）：9800.00 万元（截至2024-07-31，导入台账）"), "{shown}");
        let july_line = shown
            .split("<td>7月</td>")
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .expect("a July line");
        assert!(july_line.contains("9800.00"), "{july_line}");
    })
    .await;
}

/// An .ods of a few hundred bytes whose repeated cells would expand into
/// billions: refused in Chinese before anything is built, the server fine.
#[tokio::test]
async fn a_spreadsheet_bomb_is_refused_before_it_is_expanded() {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    write!(
        zip,
        r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    zip.finish().unwrap();
    let bomb = out.into_inner();
    assert!(bomb.len() < 1_000);
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let form = reqwest::multipart::Form::new()
            .text("_csrf", session.csrf.clone())
            .text("zone_id", zone.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bomb.clone()).file_name("台账.ods"),
            );
        let response = session
            .client
            .post(session.url("/projects/import"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        let page = match location {
            Some(location) => session.get_text(&location).await.1,
            None => response.text().await.unwrap(),
        };
        assert!(
            status.is_client_error() || status.is_redirection(),
            "{status}"
        );
        assert!(
            page.contains("工作表“Sheet1”从第一个到最后一个有内容的单元格共1048576行×16384列"),
            "{page}"
        );
        let (status, _) = session.get_text("/projects").await;
        assert_eq!(status, StatusCode::OK, "the server is fine");
    })
    .await;
}

/// A ledger of `n` new projects: more rows than one page of the plan shows.
fn long_ledger(n: usize) -> String {
    let mut text = String::from("2024年重点项目台账\n单位：万元\n序号,项目名称,总投资\n");
    for i in 1..=n {
        text.push_str(&format!("{i},分页测试项目{i:04},{}\n", 1000 + i));
    }
    text
}

#[tokio::test]
async fn an_upload_is_read_once_shown_a_page_at_a_time_and_held_within_a_quota() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let zone = app.zone(ZONE).id;
        let location = upload(&session, zone, "长台账.csv", long_ledger(450).into_bytes()).await;
        let (status, page) = session.get_text(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("新增 450 个"), "{page}");
        let shown = |page: &str| page.matches("分页测试项目").count();
        assert_eq!(shown(&page), 200, "one page of rows");
        assert!(page.contains("第 1 / 3 页"), "{page}");

        // The file itself is not read again: with its bytes spoiled under
        // the app, the plan still shows, on every page and filter.
        kfq_store::testing::execute(&app.db_url(), "UPDATE import_uploads SET content = reading")
            .await
            .unwrap();
        let (_, last) = session.get_text(&format!("{location}&page=3")).await;
        assert!(
            last.contains("新增 450 个") && last.contains("第 3 / 3 页"),
            "{last}"
        );
        assert_eq!(shown(&last), 50);
        assert!(last.contains("分页测试项目0450"));
        let (_, rejected) = session.get_text(&format!("{location}&show=reject")).await;
        assert_eq!(shown(&rejected), 0, "no row is rejected");
        assert!(rejected.contains("有错误（0）") && rejected.contains("新增（450）"));

        // Committing uses the same reading, then lets the upload go.
        let done = commit(&session, &location, &page, &[]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let (_, ledger) = session
            .get_text("/api/v1/projects?q=分页测试项目0450")
            .await;
        assert!(ledger.contains("分页测试项目0450"), "{ledger}");
        let (gone, _) = session.get_text(&location).await;
        assert_eq!(gone, StatusCode::NOT_FOUND);

        // Ten uploads wait at most per user; discarding one frees a place.
        let mut waiting = Vec::new();
        for i in 0..10 {
            let bytes = long_ledger(3).replace("分页", &format!("配额{i}"));
            waiting.push(upload(&session, zone, "小台账.csv", bytes.into_bytes()).await);
        }
        let form = reqwest::multipart::Form::new()
            .text("_csrf", session.csrf.clone())
            .text("zone_id", zone.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(long_ledger(3).into_bytes())
                    .file_name("第十一个.csv"),
            );
        let refused = session
            .client
            .post(session.url("/projects/import"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let said = refused.text().await.unwrap();
        assert!(said.contains("你待导入的文件已达上限"), "{said}");
        let path = waiting[0].split('?').next().unwrap();
        let discarded = session.post_form(&format!("{path}/discard"), &[]).await;
        assert_eq!(discarded.status(), StatusCode::SEE_OTHER);
        upload(&session, zone, "第十一个.csv", long_ledger(3).into_bytes()).await;
    })
    .await;
}

#[tokio::test]
async fn the_api_reports_a_page_of_rows_and_refuses_an_oversized_upload() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let token = api.token.clone();
        let zone = app.zone(ZONE).id;
        let post = |query: &str, bytes: Vec<u8>| {
            let form = reqwest::multipart::Form::new()
                .text("zone_id", zone.to_string())
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name("长台账.csv"),
                );
            reqwest::Client::new()
                .post(format!("{}/api/v1/ledger-imports{query}", app.address))
                .bearer_auth(&token)
                .multipart(form)
                .send()
        };
        let report: Value = post(
            "?show=create&offset=400&limit=100",
            long_ledger(450).into_bytes(),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(report["counts"]["create"], 450, "{report}");
        assert_eq!(report["rows_total"], 450);
        assert_eq!(report["rows"].as_array().unwrap().len(), 50);
        assert_eq!(report["rows"][0]["name"], "分页测试项目0401");

        let too_many = post("?limit=0", long_ledger(1).into_bytes()).await.unwrap();
        assert_eq!(too_many.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let huge = post("", vec![b'1'; 65 * 1024 * 1024]).await.unwrap();
        assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let said: Value = huge.json().await.unwrap();
        assert_eq!(said["error"]["code"], "too_large", "{said}");
        assert!(said["error"]["message"]
            .as_str()
            .unwrap()
            .contains("上传的内容超过64MB的上限"));
    })
    .await;
}
