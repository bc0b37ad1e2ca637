//! A zone's own lists and rules: industry chains, statuses to refresh.

use std::collections::HashMap;

use super::*;
use crate::sql::in_list;

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

    /// The rules of each of `zones` (the default for a zone that set none), in
    /// one statement.
    pub async fn rag_rules_of(&self, zones: &[i64]) -> Result<HashMap<i64, RagRules>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT zone_id, rag_rules FROM zone_settings WHERE {}",
            in_list("zone_id", zones)
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut rules: HashMap<i64, RagRules> =
            zones.iter().map(|z| (*z, RagRules::default())).collect();
        for (zone, text) in rows {
            if let Ok(r) = serde_json::from_str(&text) {
                rules.insert(zone, r);
            }
        }
        Ok(rules)
    }

    /// Recomputes the status of every project whose status was computed before
    /// `today` (run daily, and at start).
    pub async fn refresh_stale_rag(
        &self,
        today: NaiveDate,
        working_days: &(dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync),
    ) -> Result<usize> {
        let today_text = today.to_string();
        let stale: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, zone_id FROM projects WHERE rag_on IS NULL OR rag_on < $1 ORDER BY zone_id, id",
        )
        .bind(&today_text)
        .fetch_all(&self.pool)
        .await?;
        let mut zones: Vec<i64> = stale.iter().map(|(_, zone)| *zone).collect();
        zones.dedup();
        let rules = self.rag_rules_of(&zones).await?;
        let rules_of = |zone: i64| rules.get(&zone).copied().unwrap_or_default();
        for chunk in stale.chunks(500) {
            let ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
            let mut tx = self.begin_write().await?;
            refresh_rags(&mut tx, &ids, today, &rules_of, working_days).await?;
            // Not audited (a derived status): counted, for the caches.
            sqlx::query("UPDATE refresh_counts SET n = n + 1 WHERE name = 'rag'")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(stale.len())
    }
}
