//! Following the primary of a PostgreSQL formation. The URL `pg_autoctl show
//! uri` prints names every node (`postgres://u@h1:p1,h2:p2/db?
//! target_session_attrs=read-write`), as libpq takes it; the driver takes one
//! host, so the store finds the node that accepts writes, connects there, and
//! watches: when the primary stops answering or turns read-only (a failover),
//! it finds the new one, points the pool at it, and retires connections made
//! before the switch. Requests meanwhile get "unavailable" (503, retry).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::any::AnyConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Connection};

/// How often the watcher asks whether the primary is still the primary.
const WATCH_EVERY: Duration = Duration::from_secs(2);
/// How long one node may take to answer before the next is tried.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// One URL per node of a multi-host PostgreSQL URL, in the order given, with
/// `target_session_attrs` taken out (the driver does not know it); and
/// whether the URL asks for a node that accepts writes.
pub(crate) fn split_hosts(url: &str) -> (Vec<String>, bool) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (vec![url.to_owned()], false);
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (userinfo, hosts) = match authority.rsplit_once('@') {
        Some((user, hosts)) => (format!("{user}@"), hosts),
        None => (String::new(), authority),
    };
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    let mut wants_writes = false;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| match pair.split_once('=') {
            Some(("target_session_attrs", value)) => {
                wants_writes = matches!(value, "read-write" | "primary");
                false
            }
            _ => true,
        })
        .collect();
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    let urls = hosts
        .split(',')
        .filter(|h| !h.is_empty())
        .map(|host| format!("{scheme}://{userinfo}{host}{path}{query}"))
        .collect();
    (urls, wants_writes)
}

/// Whether the session accepts writes (the node is a primary, not a standby
/// in recovery, and not set read-only).
pub(crate) async fn writable(conn: &mut sqlx::AnyConnection) -> sqlx::Result<bool> {
    let read_only: String = sqlx::query_scalar("SHOW transaction_read_only")
        .fetch_one(conn)
        .await?;
    Ok(read_only == "off")
}

/// The first node of `hosts` that answers and accepts writes.
pub(crate) async fn find_primary(hosts: &[String]) -> sqlx::Result<(usize, AnyConnectOptions)> {
    let mut last = None;
    for (n, url) in hosts.iter().enumerate() {
        let options: AnyConnectOptions = url.parse()?;
        let probe = async {
            let mut conn = options.connect().await?;
            let ok = writable(&mut conn).await?;
            let _ = conn.close().await;
            sqlx::Result::Ok(ok)
        };
        match tokio::time::timeout(PROBE_TIMEOUT, probe).await {
            Ok(Ok(true)) => return Ok((n, options)),
            Ok(Ok(false)) => {
                last = Some(sqlx::Error::Io(std::io::Error::other(format!(
                    "node {n} does not accept writes"
                ))))
            }
            Ok(Err(e)) => last = Some(e),
            Err(_) => last = Some(sqlx::Error::PoolTimedOut),
        }
    }
    Err(last.unwrap_or_else(|| sqlx::Error::Configuration("no host in the URL".into())))
}

/// When the pool last switched nodes: connections older than the switch are
/// retired on their next acquire.
#[derive(Debug, Default)]
pub(crate) struct Switched {
    started: std::sync::OnceLock<Instant>,
    at_ms: AtomicU64,
}

impl Switched {
    fn now_ms(&self) -> u64 {
        let started = self.started.get_or_init(Instant::now);
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether a connection `age` old was made after the last switch.
    pub(crate) fn keeps(&self, age: Duration) -> bool {
        let at = self.at_ms.load(Ordering::Relaxed);
        if at == 0 {
            return true;
        }
        let since_switch = self.now_ms().saturating_sub(at);
        let age_ms = u64::try_from(age.as_millis()).unwrap_or(u64::MAX);
        age_ms <= since_switch
    }

    fn mark(&self) {
        self.at_ms.store(self.now_ms().max(1), Ordering::Relaxed);
    }
}

/// Watches the pool's node and moves the pool to the new primary after a
/// failover. Ends when the pool is closed.
pub(crate) fn watch(
    pool: AnyPool,
    hosts: Vec<String>,
    mut current: usize,
    switched: Arc<Switched>,
) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            if pool.is_closed() {
                return;
            }
            let healthy = async {
                let mut conn = pool.acquire().await?;
                writable(&mut conn).await
            };
            if matches!(
                tokio::time::timeout(PROBE_TIMEOUT, healthy).await,
                Ok(Ok(true))
            ) {
                continue;
            }
            match find_primary(&hosts).await {
                Ok((n, options)) => {
                    if n != current {
                        tracing::warn!(from = current, to = n, "the primary moved; following it");
                        current = n;
                    }
                    pool.set_connect_options(options);
                    switched.mark();
                }
                Err(e) => tracing::warn!(error = ?e, "no primary answers yet"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formation_url_is_one_url_per_node() {
        let (urls, writes) = split_hosts(
            "postgres://kfq:pw@10.0.0.1:5432,10.0.0.2:6432/kfq?target_session_attrs=read-write&sslmode=disable",
        );
        assert_eq!(
            urls,
            [
                "postgres://kfq:pw@10.0.0.1:5432/kfq?sslmode=disable",
                "postgres://kfq:pw@10.0.0.2:6432/kfq?sslmode=disable"
            ]
        );
        assert!(writes);
        let (urls, writes) = split_hosts("postgres://h/db");
        assert_eq!(urls, ["postgres://h/db"]);
        assert!(!writes);
        let (urls, _) = split_hosts("postgres://a:1,b:2?target_session_attrs=primary");
        assert_eq!(urls, ["postgres://a:1", "postgres://b:2"]);
    }

    #[test]
    fn connections_made_before_a_switch_are_retired() {
        let switched = Switched::default();
        assert!(switched.keeps(Duration::ZERO));
        std::thread::sleep(Duration::from_millis(30));
        switched.mark();
        assert!(
            !switched.keeps(Duration::from_millis(25)),
            "made before the switch"
        );
        std::thread::sleep(Duration::from_millis(30));
        assert!(switched.keeps(Duration::from_millis(10)), "made after it");
    }
}
