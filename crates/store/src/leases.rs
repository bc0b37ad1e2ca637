//! Leases: which instance does the work only one may do at a time. A lease
//! is a row with its holder and an expiry; the holder renews it while alive,
//! and when the holder dies the row expires and another instance takes it.
//! Taking is one statement (an upsert that only wins over an expired or own
//! lease), so two instances racing for it cannot both win.

use crate::error::Result;
use crate::Store;

impl Store {
    /// Takes or renews lease `name` for `holder` until `now_ms + ttl_ms`.
    /// True if `holder` now holds it; false if another holder's lease is
    /// still running.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at <= $4",
        )
        .bind(name)
        .bind(holder)
        .bind(now_ms + ttl_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives lease `name` up if `holder` has it, so another instance need not
    /// wait for it to run out (an orderly shutdown).
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Who holds lease `name` and until when (Unix ms), if anyone ever took it.
    pub async fn lease_holder(&self, name: &str) -> Result<Option<(String, i64)>> {
        Ok(
            sqlx::query_as("SELECT holder, expires_at FROM leases WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
