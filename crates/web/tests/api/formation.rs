//! A pg_auto_failover formation started by scripts/formation.sh (run by
//! scripts/formation-tests.sh), for the ignored tests that need real
//! PostgreSQL replication: named by KFQ_TEST_FORMATION (the multi-host URL it
//! prints) and KFQ_TEST_FORMATION_DIR.

use kfq_store::Store;

pub struct Formation {
    /// `postgres://postgres@h1:p1,h2:p2/kfq?target_session_attrs=read-write&…`
    url: String,
    pub dir: String,
}

impl Formation {
    pub fn from_env() -> Formation {
        Formation {
            url: std::env::var("KFQ_TEST_FORMATION")
                .expect("KFQ_TEST_FORMATION: the formation's URL"),
            dir: std::env::var("KFQ_TEST_FORMATION_DIR").expect("KFQ_TEST_FORMATION_DIR"),
        }
    }

    /// The multi-host URL of database `db` (made afresh on the primary; the
    /// standby receives it by replication).
    pub async fn database(&self, db: &str) -> String {
        let primary = Store::connect(&self.url).await.expect("the primary");
        let port = primary.server_port().await.unwrap().unwrap();
        primary.close().await;
        let admin = node_url(&port.to_string(), "postgres");
        kfq_store::testing::execute(&admin, &format!("DROP DATABASE IF EXISTS {db}"))
            .await
            .unwrap();
        kfq_store::testing::execute(&admin, &format!("CREATE DATABASE {db}"))
            .await
            .unwrap();
        self.url.replacen("/kfq?", &format!("/{db}?"), 1)
    }
}

/// One node of the formation, by port.
pub fn node_url(port: &str, db: &str) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/{db}?sslmode=disable")
}

/// The other node of the two.
pub fn other_port(port: &str) -> &'static str {
    if port.ends_with('1') {
        "9802"
    } else {
        "9801"
    }
}
