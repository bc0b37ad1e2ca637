//! 招商活动 through the API and the pages: an activity held is a follow-up of
//! the leads it names, its dates hold together, its next step and an idle
//! lead remind the person they wait on, the calendar shows the coming weeks,
//! and department staff see the activities of their own leads.

use chrono::{Days, Utc};
use kfq_app::alerts::{self, AlertConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{each_backend, field_errors, Api};

async fn me(api: &Api) -> i64 {
    let (_, me) = api.get("/api/v1/me").await;
    me["id"].as_i64().unwrap()
}

async fn investor_and_lead(api: &Api, zone: i64, owner: i64, name: &str) -> (i64, Value) {
    let (status, investor) = api
        .post(
            "/api/v1/attraction/investors",
            &json!({"zone_id": zone, "name": format!("{name}有限公司"), "origin": "out_of_province"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{investor}");
    let (status, lead) = api
        .post(
            "/api/v1/attraction/leads",
            &json!({"zone_id": zone, "name": format!("{name}项目"), "investor_id": investor["id"],
                    "investment": "50000", "source": "visit_out", "owner_id": owner,
                    "registered_on": "2026-03-02"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{lead}");
    (investor["id"].as_i64().unwrap(), lead)
}

#[tokio::test]
async fn an_activity_follows_up_its_leads_and_reminds_the_people_it_waits_on() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let owner = me(&api).await;
        let (investor, visited) = investor_and_lead(&api, zone, owner, "江苏双良节能").await;
        // Never followed up since its registration in March.
        investor_and_lead(&api, zone, owner, "安徽凯撒汽车").await;
        let today = kfq_app::clock::today();

        // Dates that do not hold together are named, nothing stored.
        let (status, refused) = api
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "visit_out", "title": "赴江阴考察",
                        "on_date": "2026-11-20", "ends_on": "2026-11-18",
                        "next_step": "报送项目建议书"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            field_errors(&refused),
            [
                (
                    "ends_on".to_string(),
                    "结束日期不能早于开始日期。".to_string()
                ),
                (
                    "next_due".to_string(),
                    "填写了下一步，请同时填写完成时限。".to_string()
                ),
            ]
        );
        // Another zone's lead is not this zone's to name.
        let lf = app.api_client("lf.staff").await;
        let (_, lf_lead) = investor_and_lead(
            &lf,
            app.zone("临汾经济开发区").id,
            me(&lf).await,
            "临汾客商",
        )
        .await;
        let (status, refused) = api
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "talks", "title": "洽谈", "on_date": "2026-11-20",
                        "leads": [lf_lead["id"]]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_errors(&refused)[0].0, "leads");

        // The visit: held three days ago (well within the follow-up
        // interval, whatever day the test runs), it is the lead's follow-up
        // of that day.
        let visited_on = (today - Days::new(3)).to_string();
        let (status, visit) = api
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "visit_out", "title": "赴江阴拜访双良集团",
                        "on_date": visited_on, "ends_on": (today - Days::new(2)).to_string(), "place": "江苏江阴",
                        "our_people": "管委会主任、招商局长", "their_people": "双良集团副总裁",
                        "purpose": "推介长输供热项目", "outcome": "对方同意12月来访考察",
                        "next_step": "报送项目建议书", "next_due": today.to_string(),
                        "leads": [visited["id"]], "investors": [investor]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{visit}");
        assert_eq!(visit["leads"][0]["name"], "江苏双良节能项目");
        let (_, lead) = api
            .get(&format!("/api/v1/attraction/leads/{}", visited["id"]))
            .await;
        assert_eq!(lead["last_touch_on"], visited_on);
        assert_eq!(
            lead["version"], visited["version"],
            "a follow-up is not an edit of the lead"
        );
        // A visit planned for next month touches nothing yet.
        let planned_on = (today + Days::new(10)).to_string();
        let (status, planned) = api
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "reception", "title": "双良集团来访考察",
                        "on_date": planned_on, "leads": [visited["id"]]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{planned}");
        let (_, lead) = api
            .get(&format!("/api/v1/attraction/leads/{}", visited["id"]))
            .await;
        assert_eq!(lead["last_touch_on"], visited_on);
        // A next step already late.
        let (status, _) = api
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "salon", "title": "新能源汽车夜沙龙",
                        "on_date": "2026-11-10", "next_step": "寄送园区政策汇编",
                        "next_due": "2026-11-12", "investors": [investor]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);

        // The calendar: the visit's step due today, the planned reception,
        // and the late step on top.
        let (status, calendar) = api.get("/api/v1/attraction/calendar?weeks=4").await;
        assert_eq!(status, StatusCode::OK, "{calendar}");
        let day = |date: &str| {
            calendar["days"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["date"] == date)
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(
            day(&today.to_string())["due"][0]["title"],
            "赴江阴拜访双良集团"
        );
        assert_eq!(day(&planned_on)["held"][0]["title"], "双良集团来访考察");
        assert_eq!(calendar["late"][0]["next_step"], "寄送园区政策汇编");
        let (status, _) = api.get("/api/v1/attraction/calendar?weeks=99").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // The scan reminds the one the step waits on, and the idle lead's owner.
        let queued = alerts::scan(&app.store, &AlertConfig::default(), Utc::now())
            .await
            .unwrap();
        assert!(queued >= 3, "{queued}");
        let (_, notices) = api.get("/api/v1/notifications").await;
        let text = notices.to_string();
        assert!(
            text.contains("【下一步】赴江阴拜访双良集团：报送项目建议书"),
            "{text}"
        );
        assert!(text.contains("【下一步逾期】新能源汽车夜沙龙"), "{text}");
        assert!(text.contains("【待跟进】安徽凯撒汽车项目"), "{text}");
        assert!(
            !text.contains("【待跟进】江苏双良节能项目"),
            "followed up {visited_on}: {text}"
        );
        assert_eq!(
            alerts::scan(&app.store, &AlertConfig::default(), Utc::now())
                .await
                .unwrap(),
            0,
            "each reminder once"
        );
        let (_, others) = lf.get("/api/v1/notifications").await;
        assert!(!others.to_string().contains("安徽凯撒"));

        // Done: the step is marked, the calendar no longer shows it due.
        let mut done = visit.clone();
        for key in [
            "id",
            "zone_id",
            "zone_name",
            "leads",
            "investors",
            "next_owner_name",
            "created_by_id",
            "created_at",
            "updated_at",
        ] {
            done.as_object_mut().unwrap().remove(key);
        }
        done["next_done_on"] = json!(today.to_string());
        done["leads"] = json!([visited["id"]]);
        done["investors"] = json!([investor]);
        let (status, updated) = api
            .put(
                &format!("/api/v1/attraction/activities/{}", visit["id"]),
                &done,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        let (status, _) = api
            .put(
                &format!("/api/v1/attraction/activities/{}", visit["id"]),
                &done,
            )
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "a second save at the old version"
        );
        // Done, the step is neither due nor late (the visit itself may still
        // show among the days' activities held).
        let (_, calendar) = api.get("/api/v1/attraction/calendar").await;
        let waiting: Vec<&serde_json::Value> = calendar["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["due"].as_array().unwrap())
            .chain(calendar["late"].as_array().unwrap())
            .collect();
        assert!(
            waiting.iter().all(|a| a["id"] != visit["id"]),
            "{calendar}"
        );

        // The lead's page lists it; the list filters by lead.
        let (_, list) = api
            .get(&format!(
                "/api/v1/attraction/activities?lead_id={}",
                visited["id"]
            ))
            .await;
        assert_eq!(list["page"]["total"], 2);
        let (status, _) = api
            .send(
                reqwest::Method::DELETE,
                &format!(
                    "/api/v1/attraction/activities/{}?version={}",
                    planned["id"], planned["version"]
                ),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, audit) = api.get("/api/v1/audit").await;
        let entities: Vec<&str> = audit
            .as_array()
            .map(|items| items.iter().filter_map(|e| e["entity"].as_str()).collect())
            .unwrap_or_default();
        assert!(entities.contains(&"activity"), "{audit}");
    })
    .await;
}

#[tokio::test]
async fn department_staff_see_the_activities_of_their_own_leads() {
    each_backend(async |app| {
        let staff = app.api_client("yc.staff").await;
        let own = app.api_client("yc.zhaoshang").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, theirs) = investor_and_lead(&own, zone, me(&own).await, "部门自己的客商").await;
        let (_, others) = investor_and_lead(&staff, zone, me(&staff).await, "别人的客商").await;
        for (lead, title) in [(&theirs, "部门项目洽谈"), (&others, "别人项目洽谈")] {
            let (status, body) = staff
                .post(
                    "/api/v1/attraction/activities",
                    &json!({"zone_id": zone, "kind": "talks", "title": title,
                            "on_date": "2026-11-25", "leads": [lead["id"]]}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        let (_, list) = own.get("/api/v1/attraction/activities").await;
        let titles = list.to_string();
        assert!(
            titles.contains("部门项目洽谈") && !titles.contains("别人项目洽谈"),
            "{titles}"
        );
        // They record activities on their own leads only.
        let (status, refused) = own
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "talks", "title": "越权", "on_date": "2026-11-25",
                        "leads": [others["id"]]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let (status, mine) = own
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "visit_out", "title": "部门外出招商",
                        "on_date": "2026-11-26", "leads": [theirs["id"]]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{mine}");
        // Liaison leaders read the zone's activities and record none.
        let liaison = app.api_client("yc.baolian").await;
        let (_, read) = liaison.get("/api/v1/attraction/activities").await;
        assert!(read["page"]["total"].as_i64().unwrap() >= 3);
        let (status, _) = liaison
            .post(
                "/api/v1/attraction/activities",
                &json!({"zone_id": zone, "kind": "talks", "title": "x", "on_date": "2026-11-25"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_activity_form_names_several_leads_and_keeps_what_was_typed() {
    each_backend(async |app| {
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let owner = me(&api).await;
        let (_, a) = investor_and_lead(&api, zone, owner, "中科尚昇").await;
        let (_, b) = investor_and_lead(&api, zone, owner, "百泰生物").await;
        let session = app.login("yc.staff").await;
        let (status, form) = session
            .get_text(&format!(
                "/attraction/activities/new?zone_id={zone}&lead_id={}",
                a["id"]
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("name=\"leads[]\" multiple"), "{form}");
        let a_id = a["id"].to_string();
        let b_id = b["id"].to_string();
        let zone_id = zone.to_string();
        let response = session
            .post_form(
                "/attraction/activities",
                &[
                    ("zone_id", zone_id.as_str()),
                    ("kind", "salon"),
                    ("title", "新能源汽车产业夜沙龙"),
                    ("on_date", "2026-11-28"),
                    ("place", "开发区企业服务中心"),
                    ("leads[]", a_id.as_str()),
                    ("leads[]", b_id.as_str()),
                    ("next_due", "2026-12-10"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("value=\"开发区企业服务中心\"")
                && page.contains("请同时填写下一步做什么"),
            "{page}"
        );
        for id in [&a_id, &b_id] {
            assert!(
                page.contains(&format!("<option value=\"{id}\" selected>")),
                "lead {id} stays chosen: {page}"
            );
        }
        let response = session
            .post_form(
                "/attraction/activities",
                &[
                    ("zone_id", zone_id.as_str()),
                    ("kind", "salon"),
                    ("title", "新能源汽车产业夜沙龙"),
                    ("on_date", "2026-11-28"),
                    ("leads[]", a_id.as_str()),
                    ("leads[]", b_id.as_str()),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, lead_page) = session
            .get_text(&format!("/attraction/leads/{}", b["id"]))
            .await;
        assert!(
            lead_page.contains("新能源汽车产业夜沙龙") && lead_page.contains("登记一次跟进"),
            "{lead_page}"
        );
        let (status, calendar) = session.get_text("/attraction/calendar").await;
        assert_eq!(status, StatusCode::OK);
        assert!(calendar.contains("data-testid=\"calendar\""));
        let (status, list) = session.get_text("/attraction/activities?kind=salon").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            list.contains("新能源汽车产业夜沙龙") && list.contains("夜沙龙、座谈会"),
            "{list}"
        );
    })
    .await;
}
