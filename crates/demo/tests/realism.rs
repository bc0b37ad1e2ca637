//! The demo ledger reads like a zone's: project names without numbering and
//! distinct within a zone, chains that fit what a project makes, investment
//! stated to the precision zones report, this year's signings, starts and
//! production, and the enterprise login bound to an enterprise with projects.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use kfq_store::testing::{backends, TestDb};
use kfq_store::Store;
use sqlx::Row;

#[tokio::test]
async fn the_demo_ledger_looks_like_a_real_one() {
    sqlx::any::install_default_drivers();
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let demo = kfq_demo::seed(&store).await.expect("demo");
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        kfq_demo::seed_ledger(&store, &demo.zones, kfq_demo::LedgerSize::Normal, today)
            .await
            .expect("ledger");
        let url = match backend {
            kfq_store::Backend::Sqlite => format!("sqlite://{}", db.url),
            kfq_store::Backend::Postgres => db.url.clone(),
        };
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();

        // Names: no "（26）" numbering, none twice in a zone.
        let rows = sqlx::query(
            "SELECT p.zone_id, p.name, c.name AS chain, p.total_investment \
             FROM projects p LEFT JOIN industry_chains c ON c.id = p.industry_chain_id",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let numbered = |name: &str| {
            name.split('（').skip(1).any(|rest| {
                let inside = rest.split('）').next().unwrap_or("");
                !inside.is_empty() && inside.chars().all(|c| c.is_ascii_digit())
            })
        };
        let mut per_zone: HashMap<i64, HashSet<String>> = HashMap::new();
        let mut totals = Vec::new();
        for row in &rows {
            let zone: i64 = row.get("zone_id");
            let name: String = row.get("name");
            let chain: Option<String> = row.get("chain");
            assert!(!numbered(&name), "{name}");
            assert!(
                per_zone.entry(zone).or_default().insert(name.clone()),
                "{name} twice in zone {zone}"
            );
            // The chain follows the product.
            for (word, expected) in [
                ("光伏", "新能源"),
                ("分散式风电", "新能源"),
                ("储能", "新能源"),
                ("再生铝", "再生金属"),
                ("再生铅", "再生金属"),
                ("铝合金板带", "新材料"),
                ("原料药", "食品医药"),
                ("数据中心", "数字经济"),
                ("生猪", "现代农业"),
                ("冷链物流", "现代物流"),
            ] {
                if name.contains(word) {
                    assert_eq!(chain.as_deref(), Some(expected), "{name}");
                }
            }
            totals.push(row.get::<i64, _>("total_investment"));
        }
        // Investment to the 100万元 at least, and not all whole 亿元.
        let wan = 10_000;
        assert!(totals.iter().all(|t| *t > 0 && t % (100 * wan) == 0));
        let whole_yi = totals.iter().filter(|t| *t % (10_000 * wan) == 0).count();
        assert!(
            whole_yi * 4 < totals.len(),
            "{whole_yi} of {}",
            totals.len()
        );
        // Monthly completions to the 0.01万元, not all whole 万元.
        let amounts: Vec<i64> = sqlx::query_scalar("SELECT amount FROM project_investments")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert!(amounts.iter().all(|a| a % 100 == 0));
        assert!(amounts.iter().filter(|a| *a % wan != 0).count() * 2 > amounts.len());

        // This year's signings, starts and production, some all three.
        let this_year = |stage: &'static str| {
            sqlx::query_scalar::<_, i64>(
                "SELECT project_id FROM project_stage_changes WHERE to_stage = $1 AND on_date >= '2026-01-01'",
            )
            .bind(stage)
        };
        let signed: HashSet<i64> = this_year("signed")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let started: HashSet<i64> = this_year("started")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let producing: HashSet<i64> = this_year("producing")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
        assert!(signed.len() >= demo.zones.len(), "{} signed", signed.len());
        assert!(
            started.len() >= demo.zones.len(),
            "{} started",
            started.len()
        );
        let fast = producing
            .iter()
            .filter(|p| signed.contains(p) && started.contains(p))
            .count();
        assert!(fast >= 5, "{fast} signed, started and producing this year");

        // The enterprise login acts for the enterprise it names, which has projects.
        let (login, enterprise) = kfq_demo::ENTERPRISE_LOGIN;
        let row = sqlx::query(
            "SELECT e.name, (SELECT COUNT(*) FROM projects p WHERE p.enterprise_id = e.id AND p.zone_id = u.zone_id) AS projects \
             FROM users u JOIN enterprises e ON e.id = u.enterprise_id WHERE u.username = $1",
        )
        .bind(login)
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>("name"), enterprise);
        assert!(row.get::<i64, _>("projects") > 0);
        // Every named enterprise has a project.
        let idle: Vec<String> = sqlx::query_scalar(
            "SELECT e.name FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.enterprise_id = e.id) \
             AND e.name <> '临汾经济开发区招商引资服务有限公司'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert!(idle.is_empty(), "{idle:?}");
        store.close().await;
    }
}
