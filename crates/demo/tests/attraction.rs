//! The 招商引资 demo: the seed bulletins' leads where the bulletins put them,
//! every zone with leads, and every lead at its stage holding the facts that
//! stage asks for (checked by the rules themselves), on both databases.

use chrono::NaiveDate;
use kfq_attraction::{check_move, LeadStage};
use kfq_domain::{LeadSight, Visibility};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{LeadFilter, Store};

#[tokio::test]
async fn the_demo_pipeline_holds_the_bulletins_leads_each_with_its_stage_facts() {
    sqlx::any::install_default_drivers();
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let demo = kfq_demo::seed(&store).await.expect("demo");
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let seeded = kfq_demo::seed_attraction(&store, &demo.zones, today)
            .await
            .expect("leads");
        let everything = LeadSight {
            visibility: Visibility::All,
            only_of: None,
        };
        let leads = store
            .leads(&everything, &LeadFilter::default(), 0, 10_000)
            .await
            .unwrap();
        assert_eq!(leads.total as usize, seeded);
        let named = |zone: &str, name: &str| {
            leads
                .items
                .iter()
                .find(|l| l.zone_name == zone && l.name == name)
                .unwrap_or_else(|| panic!("{zone} {name}"))
        };
        let heat = named("临汾经济开发区", "长输供热管网工程");
        assert_eq!(heat.investor_name, "山西双良再生能源产业集团有限公司");
        assert_eq!(heat.stage, LeadStage::Negotiating);
        // 临汾 holds 双良 as 首谈; 长治's lead with 双良 reads it as taken.
        assert!(heat.first_talk && heat.taken_by_zone.is_none());
        let rival = named("长治高新技术产业开发区", "城区长输供热合作项目");
        // 临汾's visit to 双良 is its leads' follow-up, with its next step.
        let visits = store
            .activities(
                &everything,
                &kfq_store::ActivityFilter {
                    lead_id: Some(heat.id),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        let visit = visits
            .items
            .iter()
            .find(|a| a.title == "赴双良集团考察对接")
            .expect("the visit to 双良");
        assert_eq!(visit.leads.len(), 3, "{visit:?}");
        assert!(visit.next_step.is_some() && visit.next_due.is_some());
        assert!(
            heat.last_touch_on >= visit.on_date,
            "the visit is a follow-up"
        );
        assert_eq!(rival.taken_by_zone.as_deref(), Some("临汾经济开发区"));
        assert_eq!(
            named("长治高新技术产业开发区", "创新生物制品研发和产业化项目").stage,
            LeadStage::Started
        );
        for zone in &demo.zones {
            assert!(
                leads.items.iter().any(|l| l.zone_id == zone.id),
                "{} has leads",
                zone.name
            );
        }
        for lead in &leads.items {
            assert!(
                lead.registered_on <= lead.stage_since && lead.stage_since <= today,
                "{}",
                lead.name
            );
            // Standing where it stands is what the rules would have allowed:
            // the move into its stage from the one before passes with its facts.
            let before = match lead.stage {
                LeadStage::Clue => continue,
                LeadStage::Terminated => LeadStage::Negotiating,
                stage => LeadStage::PIPELINE[stage.rank().unwrap() - 1],
            };
            let mut facts = lead.facts();
            if lead.stage != LeadStage::Terminated {
                facts.terminated_reason = None;
            }
            check_move(before, lead.stage, None, &facts, today)
                .unwrap_or_else(|e| panic!("{} at {:?}: {e:?}", lead.name, lead.stage));
        }
        // 寿阳's 煤机制造 chain as its task force mapped it: the bearing lead
        // on its link, the gaps (液泵 with nobody on it) and the extension.
        let shouyang = demo
            .zones
            .iter()
            .find(|z| z.name == "寿阳经济技术开发区")
            .unwrap();
        let map = store.chain_map(&everything, shouyang.id).await.unwrap();
        let coal = map.iter().find(|c| c.name == "煤机制造").expect("煤机制造");
        let link = |name: &str| {
            coal.links
                .iter()
                .find(|l| l.name == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        assert_eq!(coal.links.len(), 8);
        assert_eq!(link("轴承").open_leads[0].name, "煤机专用轴承配套项目");
        assert!(link("液泵").facts().unattended());
        assert_eq!(link("液压支架").facts().need(), kfq_attraction::Need::Held);
        assert_eq!(
            link("煤机再制造").facts().need(),
            kfq_attraction::Need::Extend
        );
        assert_eq!(link("智能控制与巡检").landed_leads.len(), 1);
        let stages: std::collections::HashSet<LeadStage> =
            leads.items.iter().map(|l| l.stage).collect();
        for stage in [
            LeadStage::Clue,
            LeadStage::Assessing,
            LeadStage::Negotiating,
            LeadStage::Signed,
            LeadStage::Registered,
            LeadStage::Started,
            LeadStage::Terminated,
        ] {
            assert!(stages.contains(&stage), "{stage:?} in the demo");
        }
        store.close().await;
    }
}

/// The province-scale pipeline, on two zones: every generated lead stands
/// where its moves lead by the rules, its history on record, the activities
/// linked to the zone's leads, and the audit chain whole.
#[tokio::test]
async fn the_province_pipeline_is_generated_by_the_rules_with_its_history() {
    sqlx::any::install_default_drivers();
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let demo = kfq_demo::seed(&store).await.expect("demo");
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let zones = &demo.zones[..2];
        let done = kfq_demo::seed_province_attraction(&store, zones, today)
            .await
            .expect("pipeline");
        assert_eq!(done.leads, 2 * kfq_demo::LEADS_PER_ZONE);
        assert_eq!(done.activities, 2 * kfq_demo::ACTIVITIES_PER_ZONE);
        let everything = LeadSight {
            visibility: Visibility::All,
            only_of: None,
        };
        let leads = store
            .leads(
                &everything,
                &LeadFilter {
                    zone_id: Some(zones[0].id),
                    ..LeadFilter::default()
                },
                0,
                10_000,
            )
            .await
            .unwrap();
        assert_eq!(leads.total as usize, kfq_demo::LEADS_PER_ZONE);
        let stages: std::collections::HashSet<LeadStage> =
            leads.items.iter().map(|l| l.stage).collect();
        assert!(stages.len() >= 7, "a pipeline at every stage: {stages:?}");
        for lead in leads.items.iter().take(60) {
            let history = store.lead_history(lead.id).await.unwrap();
            assert_eq!(history.first().map(|h| h.to_stage), Some(LeadStage::Clue));
            assert_eq!(history.last().map(|h| h.to_stage), Some(lead.stage));
            assert!(lead.last_touch_on <= today && lead.stage_since <= today);
            if lead.stage.is_signed() && lead.stage != LeadStage::Terminated {
                assert!(lead.signed_on.is_some() && lead.signed_amount.is_some());
            }
        }
        let report = store.audit_verify().await.unwrap();
        assert!(report.broken.is_none(), "{report:?}");
        store.close().await;
    }
}
