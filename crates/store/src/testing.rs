//! Fresh databases for tests: a SQLite file in a temporary folder, or a new
//! PostgreSQL database on the server named by `KFQ_TEST_PG`, dropped again
//! when the test is done. Tests never see each other's data.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::Backend;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The backends to run a test on: SQLite always, PostgreSQL when configured.
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if pg_admin_url().is_some() {
        backends.push(Backend::Postgres);
    }
    backends
}

fn pg_admin_url() -> Option<String> {
    std::env::var("KFQ_TEST_PG")
        .ok()
        .filter(|url| !url.is_empty())
}

fn unique_name() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("kfq_test_{}_{}_{}", std::process::id(), n, nanos)
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(std::path::PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        sqlx::any::install_default_drivers();
        let name = unique_name();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temporary folder");
                let url = dir.join("kfq.db").to_string_lossy().into_owned();
                TestDb {
                    backend,
                    url,
                    cleanup: Cleanup::Dir(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = pg_admin_url().expect("KFQ_TEST_PG is not set");
                let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                    .await
                    .expect("connect to KFQ_TEST_PG");
                sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let url = replace_database(&admin_url, &name);
                TestDb {
                    backend,
                    url,
                    cleanup: Cleanup::PgDatabase { admin_url, name },
                }
            }
        }
    }
}

/// The same server URL with another database name.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    format!("{server}/{database}{query}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; drop the database from a
                // thread of its own so we can wait for it.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    if let Ok(runtime) = runtime {
                        runtime.block_on(async move {
                            if let Ok(mut admin) =
                                <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await
                            {
                                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                                let _ = sqlx::Executor::execute(&mut admin, sql.as_str()).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// Runs statements on the server at `url` outside any pool: a test steering
/// a server (creating a database on a formation, pausing a replica's replay).
pub async fn execute(url: &str, sql: &str) -> sqlx::Result<()> {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    conn.execute(sql).await?;
    conn.close().await
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
