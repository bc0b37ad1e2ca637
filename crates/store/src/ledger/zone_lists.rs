//! A zone's own lists and rules: industry chains, statuses to refresh.

use super::*;

impl Store {
    // ---- per-zone lists and rules ----

    /// The zone's industry chains, seeding the default list the first time.
    pub async fn industry_chains(&self, zone_id: i64) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM industry_chains WHERE zone_id = $1 ORDER BY sort, id",
        )
        .bind(zone_id)
        .fetch_all(&self.pool)
        .await?;
        if !rows.is_empty() {
            return Ok(rows);
        }
        let mut tx = self.begin_write().await?;
        for (n, name) in kfq_domain::project::DEFAULT_INDUSTRY_CHAINS
            .iter()
            .enumerate()
        {
            sqlx::query("INSERT INTO industry_chains (zone_id, name, sort) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(zone_id)
                .bind(*name)
                .bind(n as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(sqlx::query_as(
            "SELECT id, name FROM industry_chains WHERE zone_id = $1 ORDER BY sort, id",
        )
        .bind(zone_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn rag_rules(&self, zone_id: i64) -> Result<RagRules> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT rag_rules FROM zone_settings WHERE zone_id = $1")
                .bind(zone_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// Recomputes the status of every project whose status was computed before
    /// `today` (run daily, and at start).
    pub async fn refresh_stale_rag(
        &self,
        today: NaiveDate,
        working_days: &(dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync),
    ) -> Result<usize> {
        let today_text = today.format("%Y-%m-%d").to_string();
        let stale: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, zone_id FROM projects WHERE rag_on IS NULL OR rag_on < $1 ORDER BY zone_id, id",
        )
        .bind(&today_text)
        .fetch_all(&self.pool)
        .await?;
        // Ordered by zone: each zone's rules are read once.
        let mut rules: Option<(i64, RagRules)> = None;
        for chunk in stale.chunks(500) {
            let mut tx = self.begin_write().await?;
            for (id, zone) in chunk {
                let zone_rules = match &rules {
                    Some((held, r)) if held == zone => *r,
                    _ => {
                        let r = self.rag_rules(*zone).await?;
                        rules = Some((*zone, r));
                        r
                    }
                };
                let ctx = RagContext {
                    today,
                    rules: zone_rules,
                    working_days,
                };
                refresh_rag(&mut tx, *id, &ctx).await?;
            }
            tx.commit().await?;
        }
        Ok(stale.len())
    }
}
