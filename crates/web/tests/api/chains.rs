//! 产业链图谱 through the API and the page: links with the zone's firms,
//! targets and leads, each link's need and the "to fill" list in the order
//! a 招商局 works it; a rename carries the leads along; department staff
//! read the map of their own leads and edit none of it.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, field_errors, fresh_credit_code, Api};

async fn link(api: &Api, body: Value) -> Value {
    let (status, created) = api.post("/api/v1/attraction/chain-links", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn enterprise(api: &Api, zone: i64, name: &str, n: usize) -> i64 {
    let (status, e) = api
        .post(
            "/api/v1/enterprises",
            &json!({"zone_id": zone, "name": name, "credit_code": fresh_credit_code(n)}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    e["id"].as_i64().unwrap()
}

async fn lead(api: &Api, zone: i64, chain: i64, node: &str, name: &str) -> Value {
    let (status, investor) = api
        .post(
            "/api/v1/attraction/investors",
            &json!({"zone_id": zone, "name": format!("{name}集团"), "origin": "out_of_province"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{investor}");
    let (status, lead) = api
        .post(
            "/api/v1/attraction/leads",
            &json!({"zone_id": zone, "name": format!("{name}项目"), "investor_id": investor["id"],
                    "investment": "30000", "source": "chain", "industry_chain_id": chain,
                    "chain_node": node, "registered_on": "2026-03-02"}),
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

fn links_of(map: &Value, chain: i64) -> Vec<Value> {
    map["chains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == chain)
        .map(|c| c["links"].as_array().unwrap().clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_map_shows_each_link_with_its_need_and_lists_the_gaps_first() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (status, map) = api
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{map}");
        // A zone that never listed chains has the defaults to draw on.
        let chain = map["chains"][0]["id"].as_i64().expect("a chain");

        let firms = [
            enterprise(&api, zone, "运城轴承一厂有限公司", 71).await,
            enterprise(&api, zone, "运城轴承二厂有限公司", 72).await,
        ];
        let press = enterprise(&api, zone, "运城液压有限公司", 73).await;
        let (_, target) = api
            .post(
                "/api/v1/attraction/investors",
                &json!({"zone_id": zone, "name": "中信重工机械股份有限公司", "origin": "out_of_province",
                        "chain_leader": true}),
            )
            .await;
        let casting = link(
            &api,
            json!({"zone_id": zone, "chain_id": chain, "segment": "upstream", "name": "铸件", "sort": 1}),
        )
        .await;
        let bearing = link(
            &api,
            json!({"zone_id": zone, "chain_id": chain, "segment": "upstream", "name": "轴承", "sort": 2,
                   "enterprises": firms}),
        )
        .await;
        let hydraulic = link(
            &api,
            json!({"zone_id": zone, "chain_id": chain, "segment": "midstream", "name": "液压支架",
                   "enterprises": [press], "targets": [target["id"]]}),
        )
        .await;
        let service = link(
            &api,
            json!({"zone_id": zone, "chain_id": chain, "segment": "downstream", "name": "煤矿智能运维",
                   "extension": true}),
        )
        .await;
        let motor = link(
            &api,
            json!({"zone_id": zone, "chain_id": chain, "segment": "upstream", "name": "电机"}),
        )
        .await;
        assert_eq!(bearing["enterprises"].as_array().unwrap().len(), 2);

        // The same name twice on a chain is refused, on its field.
        let (status, refused) = api
            .post(
                "/api/v1/attraction/chain-links",
                &json!({"zone_id": zone, "chain_id": chain, "segment": "midstream", "name": "铸件"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&refused),
            [("name".to_string(), "本产业链已有同名环节。".to_string())]
        );

        // A lead in talks on 铸件; one on 电机 that lands there.
        let talks = lead(&api, zone, chain, "铸件", "山西铸造").await;
        let landing = lead(&api, zone, chain, "电机", "佳木斯电机").await;
        let mut current = landing;
        for to in ["assessing", "negotiating"] {
            current = step(&api, &current, json!({"stage": to, "on": "2026-03-10"})).await;
        }
        current = step(
            &api,
            &current,
            json!({"stage": "signed", "on": "2026-04-01", "signed_on": "2026-04-01",
                   "signed_amount": "30000", "agreement": "formal", "agreement_docs": "投资合同"}),
        )
        .await;
        step(
            &api,
            &current,
            json!({"stage": "registered", "on": "2026-05-01", "enterprise_name": "运城佳电有限公司",
                   "enterprise_credit_code": fresh_credit_code(74)}),
        )
        .await;

        let (_, map) = api
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        let links = links_of(&map, chain);
        let names: Vec<&str> = links.iter().map(|l| l["name"].as_str().unwrap()).collect();
        // Upstream first, by the zone's order; then midstream, downstream.
        assert_eq!(names, ["铸件", "轴承", "电机", "液压支架", "煤矿智能运维"]);
        let by_name = |n: &str| links.iter().find(|l| l["name"] == n).unwrap().clone();
        assert_eq!(by_name("铸件")["open_leads"][0]["id"], talks["id"]);
        assert_eq!(by_name("电机")["landed_leads"][0]["name"], "佳木斯电机项目");
        assert!(by_name("电机")["open_leads"].as_array().unwrap().is_empty());
        assert_eq!(by_name("液压支架")["targets"][0]["name"], "中信重工机械股份有限公司");

        // Nobody works on the downstream extension: it leads the list;
        // 铸件 has a lead in talks; 电机 and 液压支架 have one firm each
        // (a landed lead counts); 轴承 holds and is left out.
        let list: Vec<(i64, &str, bool)> = map["to_fill"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["link_id"].as_i64().unwrap(),
                    i["need"].as_str().unwrap(),
                    i["unattended"].as_bool().unwrap(),
                )
            })
            .collect();
        let id = |v: &Value| v["id"].as_i64().unwrap();
        assert_eq!(
            list,
            [
                (id(&service), "extend", true),
                (id(&casting), "fill", false),
                (id(&motor), "strengthen", false),
                (id(&hydraulic), "strengthen", false),
            ]
        );

        // A rename carries the leads that named the link.
        let (status, renamed) = api
            .put(
                &format!("/api/v1/attraction/chain-links/{}", casting["id"]),
                &json!({"segment": "upstream", "name": "铸锻件", "sort": 1, "version": casting["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{renamed}");
        let (_, moved) = api
            .get(&format!("/api/v1/attraction/leads/{}", talks["id"]))
            .await;
        assert_eq!(moved["chain_node"], "铸锻件");
        assert_ne!(moved["version"], talks["version"], "an old form cannot put it back");
        // A late writer of the link gets a conflict.
        let (status, _) = api
            .put(
                &format!("/api/v1/attraction/chain-links/{}", casting["id"]),
                &json!({"segment": "upstream", "name": "铸造", "version": casting["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Removed, the link's lead is still on the map, unplaced.
        let (status, _) = api
            .send(
                reqwest::Method::DELETE,
                &format!(
                    "/api/v1/attraction/chain-links/{}?version={}",
                    casting["id"], renamed["version"]
                ),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, map) = api
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        let chain_json = map["chains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == chain)
            .unwrap();
        assert_eq!(chain_json["unplaced"][0]["id"], talks["id"]);

        // The page draws the chain and lists what to fill.
        let session = app.login("yc.staff").await;
        let (status, html) = session
            .get_text(&format!("/attraction/chains?zone_id={zone}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        for text in ["产业链图谱", "待补强环节", "延链", "强链", "<svg", "煤矿智能运维", "无人跟进"] {
            assert!(html.contains(text), "{text} missing");
        }

        // Every change is on record.
        let (_, audit) = api.get("/api/v1/audit").await;
        let actions: Vec<&str> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["entity"] == "chain_link" && e["entity_id"] == casting["id"])
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert_eq!(actions.len(), 3, "{audit}");
    })
    .await;
}

#[tokio::test]
async fn department_staff_read_the_map_of_their_own_leads_and_edit_none_of_it() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        let own = app.api_client("yc.zhaoshang").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, map) = staff
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        let chain = map["chains"][0]["id"].as_i64().unwrap();
        let made = link(
            &staff,
            json!({"zone_id": zone, "chain_id": chain, "segment": "midstream", "name": "整机"}),
        )
        .await;
        lead(&staff, zone, chain, "整机", "别人的整机").await;
        let mine = lead(&own, zone, chain, "整机", "自己的整机").await;

        let (status, map) = own
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(map["may_edit"], false);
        let seen: Vec<Value> = links_of(&map, chain)
            .iter()
            .find(|l| l["id"] == made["id"])
            .map(|l| l["open_leads"].as_array().unwrap().clone())
            .unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["id"], mine["id"]);

        let (status, _) = own
            .post(
                "/api/v1/attraction/chain-links",
                &json!({"zone_id": zone, "chain_id": chain, "segment": "upstream", "name": "越权"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = own
            .put(
                &format!("/api/v1/attraction/chain-links/{}", made["id"]),
                &json!({"segment": "upstream", "name": "越权", "version": made["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Another zone neither sees the link nor reads the map.
        let lf = app.api_client("lf.staff").await;
        let (status, _) = lf
            .get(&format!("/api/v1/attraction/chain-links/{}", made["id"]))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = lf
            .get(&format!("/api/v1/attraction/chains?zone_id={zone}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Nor names its enterprises on a link of its own.
        let lf_zone = app.zone("临汾经济开发区").id;
        let (_, lf_map) = lf
            .get(&format!("/api/v1/attraction/chains?zone_id={lf_zone}"))
            .await;
        let yc_firm = enterprise(&staff, zone, "运城铸造有限公司", 75).await;
        let (status, refused) = lf
            .post(
                "/api/v1/attraction/chain-links",
                &json!({"zone_id": lf_zone, "chain_id": lf_map["chains"][0]["id"], "segment": "upstream",
                        "name": "铸件", "enterprises": [yc_firm]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].0, "enterprises");
    })
    .await;
}
