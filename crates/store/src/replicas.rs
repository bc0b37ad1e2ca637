//! Streaming replicas for reads that tolerate a few seconds of lag:
//! dashboards, bulletins, rankings, exports. Each replica has its own pool; a
//! watcher asks every replica how far its replay is behind the primary and
//! lets a replica serve only while it answers and is at most [`MAX_LAG`]
//! behind. When none is fit, reads go to the primary: a lagging or dead
//! replica makes kfq slower, never wrong by more than the lag allowed.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

use crate::error::Result;

/// The most a replica may be behind and still serve reads.
pub const MAX_LAG: Duration = Duration::from_secs(10);
/// How often the watcher asks the replicas.
const WATCH_EVERY: Duration = Duration::from_secs(1);
/// How long a replica may take to answer the watcher.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// How far the replica's replay is behind its primary, in milliseconds: zero
/// when it has replayed all it received (an idle primary sends nothing, so
/// the age of the last replayed transaction is not lag), and zero on a node
/// not in recovery (a promoted replica is current by definition).
const LAG_SQL: &str = "SELECT CAST(CASE \
       WHEN NOT pg_is_in_recovery() THEN 0 \
       WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 \
       ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000, 1e9) \
     END AS BIGINT)";

#[derive(Debug)]
struct Replica {
    pool: AnyPool,
    /// Answering and within [`MAX_LAG`] at the watcher's last look.
    fit: AtomicBool,
}

/// The replicas of one primary, taken in turn.
#[derive(Debug)]
pub(crate) struct Replicas {
    nodes: Vec<Replica>,
    next: AtomicUsize,
}

impl Replicas {
    /// Pools for `urls` (one PostgreSQL node each). Connections are made on
    /// demand, so a replica down at start-up only means reads go to the
    /// primary until it answers.
    pub(crate) fn open(urls: &[String]) -> Result<Arc<Replicas>> {
        let nodes = urls
            .iter()
            .map(|url| {
                let options: AnyConnectOptions = url.parse()?;
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_lazy_with(options);
                Ok(Replica {
                    pool,
                    fit: AtomicBool::new(false),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let replicas = Arc::new(Replicas {
            nodes,
            next: AtomicUsize::new(0),
        });
        watch(Arc::downgrade(&replicas));
        Ok(replicas)
    }

    /// The pool of the next fit replica, if any.
    pub(crate) fn pick(&self) -> Option<AnyPool> {
        let count = self.nodes.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        (0..count)
            .map(|k| &self.nodes[(start + k) % count])
            .find(|node| node.fit.load(Ordering::Relaxed))
            .map(|node| node.pool.clone())
    }

    pub(crate) async fn close(&self) {
        for node in &self.nodes {
            node.pool.close().await;
        }
    }
}

/// How far behind `pool`'s node is, if it answers in time.
async fn lag(pool: &AnyPool) -> Option<Duration> {
    let ask = sqlx::query_scalar::<_, i64>(LAG_SQL).fetch_one(pool);
    match tokio::time::timeout(PROBE_TIMEOUT, ask).await {
        Ok(Ok(ms)) => Some(Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
        Ok(Err(e)) => {
            tracing::debug!(error = ?e, "a replica does not answer");
            None
        }
        Err(_) => None,
    }
}

/// Looks at every replica each [`WATCH_EVERY`] until the store is dropped.
fn watch(replicas: std::sync::Weak<Replicas>) {
    tokio::spawn(async move {
        loop {
            let Some(replicas) = replicas.upgrade() else {
                return;
            };
            for (n, node) in replicas.nodes.iter().enumerate() {
                if node.pool.is_closed() {
                    return;
                }
                let lag = lag(&node.pool).await;
                let fit = lag.is_some_and(|lag| lag <= MAX_LAG);
                if node.fit.swap(fit, Ordering::Relaxed) != fit {
                    tracing::warn!(
                        replica = n,
                        ?lag,
                        fit,
                        "a replica's fitness for reads changed"
                    );
                }
            }
            drop(replicas);
            tokio::time::sleep(WATCH_EVERY).await;
        }
    });
}
