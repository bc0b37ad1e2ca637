//! What the 招商引资 figures read: the facts of every signed lead under a
//! unit (each project once, for a reader above the zones), and the yearly
//! targets set from above.

use chrono::NaiveDate;
use kfq_attraction::kpi::LeadFacts;
use kfq_attraction::Origin;
use kfq_domain::audit::AuditAction;
use kfq_domain::{LeadSight, Money, OrgPath, Oversight, Visibility};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::lead_scope;
use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{now_ms, within, Store};

/// A unit's targets for a year; `version` 0 when none are set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttractionTargets {
    pub org_id: i64,
    pub year: i32,
    /// 签约项目数.
    pub signed: Option<i64>,
    /// 签约额, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub signed_amount: Option<Money>,
    /// 亿元以上项目数.
    pub over_one_yi: Option<i64>,
    /// 省外签约额, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub out_of_province_amount: Option<Money>,
    /// 当年开工率, tenths of a percent (400 = 40%).
    pub start_rate_tenths: Option<i64>,
    pub version: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for AttractionTargets {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        let year: i64 = row.try_get("year")?;
        Ok(AttractionTargets {
            org_id: row.try_get("org_id")?,
            year: year as i32,
            signed: row.try_get("signed")?,
            signed_amount: decode::opt_money(row, "signed_amount")?,
            over_one_yi: row.try_get("over_one_yi")?,
            out_of_province_amount: decode::opt_money(row, "out_of_province_amount")?,
            start_rate_tenths: row.try_get("start_rate_tenths")?,
            version: row.try_get("version")?,
        })
    }
}

/// A signed lead's facts and the zone it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneLeadFacts {
    pub lead_id: i64,
    pub zone_id: i64,
    pub facts: LeadFacts,
}

const TARGET_COLUMNS: &str = "org_id, year, signed, signed_amount, over_one_yi, \
     out_of_province_amount, start_rate_tenths, version";

impl Store {
    /// Money arrived in the zones under `unit` from January through the month
    /// `through` of its year, on the leads `sight` sees: (all, from outside
    /// the province), yuan — what a bulletin's "1-10月到位资金" states.
    pub async fn funds_year_to(
        &self,
        sight: &LeadSight,
        unit: &OrgPath,
        through: kfq_calendar::Period,
    ) -> Result<(Money, Money)> {
        let mut q = Sql::new(
            "SELECT CAST(COALESCE(SUM(lf.amount), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN lf.origin = ",
        );
        q.bind(Origin::OutOfProvince.code())
            .push(
                " THEN lf.amount ELSE 0 END), 0) AS BIGINT) FROM lead_funds lf \
                 JOIN leads l ON l.id = lf.lead_id JOIN org_units z ON z.id = l.zone_id WHERE lf.month >= ",
            )
            .bind(format!("{}-01", through.year()))
            .push(" AND lf.month <= ")
            .bind(through.code())
            .push(" AND ");
        lead_scope(&mut q, sight);
        q.push(" AND ");
        q.scope(&Visibility::Subtree(unit.clone()), "z.path", None);
        let row = q.query().fetch_one(&self.pool).await?;
        Ok((
            Money::from_yuan(row.try_get(0)?),
            Money::from_yuan(row.try_get(1)?),
        ))
    }

    /// Every lead ever signed in the zones under `unit` that `sight` sees,
    /// with the money arrived by `on`. `count_once` leaves out a lead whose
    /// investor another zone of its province holds as 首谈.
    pub async fn signed_lead_facts(
        &self,
        sight: &LeadSight,
        unit: &OrgPath,
        on: NaiveDate,
        count_once: bool,
    ) -> Result<Vec<ZoneLeadFacts>> {
        let through = on.format("%Y-%m").to_string();
        let mut q = Sql::new(
            "SELECT l.id, l.zone_id, l.stage, l.left_at, l.signed_on, l.signed_amount, i.origin, \
             l.enterprise_credit_code, l.started_on, l.produced_on, \
             (SELECT CAST(COALESCE(SUM(lf.amount), 0) AS BIGINT) FROM lead_funds lf \
              WHERE lf.lead_id = l.id AND lf.month <= ",
        );
        q.bind(through).push(
            ") AS funds FROM leads l JOIN investors i ON i.id = l.investor_id \
             JOIN org_units z ON z.id = l.zone_id WHERE l.signed_on IS NOT NULL AND ",
        );
        lead_scope(&mut q, sight);
        q.push(" AND ");
        q.scope(&Visibility::Subtree(unit.clone()), "z.path", None);
        if count_once {
            q.push(concat!(
                " AND NOT EXISTS (SELECT 1 FROM first_talk_claims f WHERE f.zone_id <> l.zone_id ",
                "AND (f.name_key = i.name_key OR f.credit_code = i.credit_code) ",
                "AND z.path LIKE f.province_path || '%')"
            ));
        }
        q.push(" ORDER BY l.zone_id, l.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let origin: Origin = decode::code(r, "origin")?;
                let code: Option<String> = r.try_get("enterprise_credit_code")?;
                Ok(ZoneLeadFacts {
                    lead_id: r.try_get("id")?,
                    zone_id: r.try_get("zone_id")?,
                    facts: LeadFacts {
                        stage: Some(decode::code(r, "stage")?),
                        left_at: decode::opt_code(r, "left_at")?,
                        signed_on: decode::opt_date(r, "signed_on")?,
                        signed_amount: decode::opt_money(r, "signed_amount")?,
                        out_of_province: origin == Origin::OutOfProvince,
                        registered: code.is_some(),
                        started_on: decode::opt_date(r, "started_on")?,
                        produced_on: decode::opt_date(r, "produced_on")?,
                        funds: decode::money(r, "funds")?,
                    },
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(Into::into)
    }

    /// The unit's targets for `year` (version 0 when none are set).
    pub async fn attraction_targets(&self, org_id: i64, year: i32) -> Result<AttractionTargets> {
        let found = sqlx::query_as::<_, AttractionTargets>(&format!(
            "SELECT {TARGET_COLUMNS} FROM attraction_targets WHERE org_id = $1 AND year = $2"
        ))
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.unwrap_or(AttractionTargets {
            org_id,
            year,
            ..AttractionTargets::default()
        }))
    }

    /// The targets of every unit under `unit` for `year` that sets any, in
    /// one read (a province's board ranks its zones against their own).
    pub async fn attraction_targets_under(
        &self,
        unit: &OrgPath,
        year: i32,
    ) -> Result<Vec<AttractionTargets>> {
        let mut q = Sql::new(
            "SELECT t.org_id, t.year, t.signed, t.signed_amount, t.over_one_yi, t.out_of_province_amount, \
             t.start_rate_tenths, t.version FROM attraction_targets t JOIN org_units o ON o.id = t.org_id \
             WHERE t.year = "
        );
        q.bind(i64::from(year)).push(" AND ");
        q.scope(&Visibility::Subtree(unit.clone()), "o.path", None);
        Ok(q.query_as::<AttractionTargets>()
            .fetch_all(&self.pool)
            .await?)
    }

    /// Sets the unit's targets for the year at `expected_version` (0: none
    /// set yet), from above.
    pub async fn set_attraction_targets(
        &self,
        actor: &Actor,
        proof: &Oversight,
        targets: &AttractionTargets,
        expected_version: i64,
    ) -> Result<AttractionTargets> {
        let mut tx = self.begin_write().await?;
        let path: Option<String> = sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1")
            .bind(targets.org_id)
            .fetch_optional(&mut *tx)
            .await?;
        let path =
            OrgPath::parse(&path.ok_or(StoreError::NotFound)?).map_err(|_| StoreError::NotFound)?;
        within(proof.covers(&path))?;
        let read = format!(
            "SELECT {TARGET_COLUMNS} FROM attraction_targets WHERE org_id = $1 AND year = $2"
        );
        let before = sqlx::query_as::<_, AttractionTargets>(&read)
            .bind(targets.org_id)
            .bind(i64::from(targets.year))
            .fetch_optional(&mut *tx)
            .await?;
        let t = targets;
        let now = now_ms();
        match (&before, expected_version) {
            (None, 0) => {
                sqlx::query(
                    "INSERT INTO attraction_targets (org_id, year, signed, signed_amount, over_one_yi, \
                     out_of_province_amount, start_rate_tenths, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(t.org_id)
                .bind(i64::from(t.year))
                .bind(t.signed)
                .bind(t.signed_amount.map(Money::yuan))
                .bind(t.over_one_yi)
                .bind(t.out_of_province_amount.map(Money::yuan))
                .bind(t.start_rate_tenths)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            (Some(_), expected) if expected > 0 => {
                crate::versioned::one_row(
                    sqlx::query(
                        "UPDATE attraction_targets SET signed = $1, signed_amount = $2, over_one_yi = $3, \
                         out_of_province_amount = $4, start_rate_tenths = $5, version = version + 1, \
                         updated_at = $6 WHERE org_id = $7 AND year = $8 AND version = $9",
                    )
                    .bind(t.signed)
                    .bind(t.signed_amount.map(Money::yuan))
                    .bind(t.over_one_yi)
                    .bind(t.out_of_province_amount.map(Money::yuan))
                    .bind(t.start_rate_tenths)
                    .bind(now)
                    .bind(t.org_id)
                    .bind(i64::from(t.year))
                    .bind(expected)
                    .execute(&mut *tx)
                    .await?,
                )?;
            }
            _ => return Err(StoreError::Conflict),
        }
        let after = sqlx::query_as::<_, AttractionTargets>(&read)
            .bind(targets.org_id)
            .bind(i64::from(targets.year))
            .fetch_one(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: if before.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: "attraction_targets",
                entity_id: targets.org_id,
                zone_id: None,
                scope_path: &path,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
