//! 招商引资 across zones: the rules a unit sets for the zones under it (the
//! province's 首谈 threshold, time limits at any level) and the province's
//! register of 首谈. A claim holds an investor (by name key, and by credit
//! code when known) for one zone of the province; the register's unique
//! keys decide between two zones claiming at once. Other zones' leads with
//! that investor read who holds it ([`Lead::taken_by_zone`]) and nothing
//! more, and the province's figures leave them out.

use chrono::NaiveDate;
use kfq_attraction::{LeadStage, LimitSettings};
use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, LeadWrite, Money, OrgKind, OrgPath, UnitWrite, Visibility};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::leads::{audit_lead, fetch_unscoped, lead_within};
use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{now_ms, within, Store};

/// What one unit sets of the 招商引资 rules; `version` 0 when it sets nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttractionRules {
    pub org_id: i64,
    pub org_name: String,
    #[serde(skip)]
    pub org_path: String,
    /// 首谈 from this intended investment, yuan (a province's).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub first_talk_threshold: Option<Money>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub limits: LimitSettings,
    pub version: i64,
}

/// What a unit's rules are set to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesInput {
    pub first_talk_threshold: Option<Money>,
    pub limits: LimitSettings,
}

fn days(row: &AnyRow, column: &str) -> sqlx::Result<Option<u32>> {
    let value: Option<i64> = row.try_get(column)?;
    Ok(value.and_then(|v| u32::try_from(v).ok()))
}

impl<'r> sqlx::FromRow<'r, AnyRow> for AttractionRules {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(AttractionRules {
            org_id: row.try_get("org_id")?,
            org_name: row.try_get("org_name")?,
            org_path: row.try_get("org_path")?,
            first_talk_threshold: decode::opt_money(row, "first_talk_threshold")?,
            limits: LimitSettings {
                register_working_days: days(row, "register_working_days")?,
                assess_working_days: days(row, "assess_working_days")?,
                referrer_reply_days: days(row, "referrer_reply_days")?,
                follow_up_days: days(row, "follow_up_days")?,
            },
            version: row.try_get("version")?,
        })
    }
}

const RULE_COLUMNS: &str = "r.org_id, o.name AS org_name, o.path AS org_path, r.first_talk_threshold, \
     r.register_working_days, r.assess_working_days, r.referrer_reply_days, r.follow_up_days, r.version";

/// A 首谈 on the province's register, with the leads of other zones of the
/// province (within the reader's sight) that name the same investor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstTalkClaim {
    pub lead_id: i64,
    pub lead_name: String,
    pub zone_id: i64,
    pub zone_name: String,
    pub investor_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: LeadStage,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub investment: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub claimed_on: NaiveDate,
    pub claimed_by: String,
    /// Other zones' leads with this investor: not counted in the province.
    pub rivals: Vec<RivalLead>,
}

/// Another zone's lead with an investor a 首谈 holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RivalLead {
    pub lead_id: i64,
    pub lead_name: String,
    pub zone_id: i64,
    pub zone_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: LeadStage,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub investment: Money,
}

/// The province a zone is in (its nearest province above), else the top of
/// its tree: the unit 首谈 is held in.
async fn province_of(conn: &mut AnyConnection, zone_path: &OrgPath) -> Result<(i64, String)> {
    let ids = zone_path.ids();
    let mut q = Sql::new("SELECT id, path FROM org_units WHERE kind = ");
    q.bind(OrgKind::Province.code())
        .push(" AND ")
        .any_of("id", ids.iter().copied());
    let found: Option<(i64, String)> = q
        .query()
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| Ok::<_, sqlx::Error>((row.try_get(0)?, row.try_get(1)?)))
        .transpose()?;
    match found {
        Some(province) => Ok(province),
        None => {
            let top = ids.first().copied().unwrap_or(zone_path.id());
            Ok((top, format!("/{top}/")))
        }
    }
}

/// Keeps the register's copy of an investor's keys in step with the investor
/// of each claimed lead (after a rename, a merge, a lead's new investor).
pub(crate) async fn refresh_claims(conn: &mut AnyConnection, lead_ids: &[i64]) -> Result<()> {
    for chunk in lead_ids.chunks(500) {
        let mut q = Sql::new(
            "UPDATE first_talk_claims SET (name_key, credit_code, investor_name) = \
             (SELECT i.name_key, i.credit_code, i.name FROM leads l JOIN investors i ON i.id = l.investor_id \
             WHERE l.id = first_talk_claims.lead_id) WHERE ",
        );
        q.any_of("lead_id", chunk.iter().copied());
        q.query().execute(&mut *conn).await?;
    }
    Ok(())
}

async fn rules_of(conn: &mut AnyConnection, org_id: i64) -> Result<Option<AttractionRules>> {
    Ok(sqlx::query_as::<_, AttractionRules>(&format!(
        "SELECT {RULE_COLUMNS} FROM attraction_rules r JOIN org_units o ON o.id = r.org_id WHERE r.org_id = $1"
    ))
    .bind(org_id)
    .fetch_optional(conn)
    .await?)
}

/// Lets go of a lead's 首谈 (it ended): the investor is free in the province.
pub(crate) async fn drop_claim(conn: &mut AnyConnection, lead_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM first_talk_claims WHERE lead_id = $1")
        .bind(lead_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE leads SET first_talk = 0 WHERE id = $1")
        .bind(lead_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Every unit's rules: few rows (only units that set any), which the
    /// app layers for each zone.
    pub async fn all_attraction_rules(&self) -> Result<Vec<AttractionRules>> {
        Ok(sqlx::query_as::<_, AttractionRules>(&format!(
            "SELECT {RULE_COLUMNS} FROM attraction_rules r JOIN org_units o ON o.id = r.org_id ORDER BY r.org_id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets the unit's rules at `expected_version` (0: it set none yet).
    pub async fn set_attraction_rules(
        &self,
        actor: &Actor,
        proof: &UnitWrite,
        org_id: i64,
        expected_version: i64,
        input: &RulesInput,
    ) -> Result<AttractionRules> {
        let mut tx = self.begin_write().await?;
        let path: Option<String> = sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&mut *tx)
            .await?;
        let path =
            OrgPath::parse(&path.ok_or(StoreError::NotFound)?).map_err(|_| StoreError::NotFound)?;
        within(proof.covers(&path))?;
        let before = rules_of(&mut tx, org_id).await?;
        let l = &input.limits;
        let wide = |d: Option<u32>| d.map(i64::from);
        let now = now_ms();
        match (&before, expected_version) {
            (None, 0) => {
                sqlx::query(
                    "INSERT INTO attraction_rules (org_id, first_talk_threshold, register_working_days, \
                     assess_working_days, referrer_reply_days, follow_up_days, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(org_id)
                .bind(input.first_talk_threshold.map(Money::yuan))
                .bind(wide(l.register_working_days))
                .bind(wide(l.assess_working_days))
                .bind(wide(l.referrer_reply_days))
                .bind(wide(l.follow_up_days))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            (Some(_), expected) if expected > 0 => {
                crate::versioned::one_row(
                    sqlx::query(
                        "UPDATE attraction_rules SET first_talk_threshold = $1, register_working_days = $2, \
                         assess_working_days = $3, referrer_reply_days = $4, follow_up_days = $5, \
                         version = version + 1, updated_at = $6 WHERE org_id = $7 AND version = $8",
                    )
                    .bind(input.first_talk_threshold.map(Money::yuan))
                    .bind(wide(l.register_working_days))
                    .bind(wide(l.assess_working_days))
                    .bind(wide(l.referrer_reply_days))
                    .bind(wide(l.follow_up_days))
                    .bind(now)
                    .bind(org_id)
                    .bind(expected)
                    .execute(&mut *tx)
                    .await?,
                )?;
            }
            _ => return Err(StoreError::Conflict),
        }
        let after = rules_of(&mut tx, org_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        record(
            &mut tx,
            actor,
            Change {
                action: if before.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: "attraction_rules",
                entity_id: org_id,
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

    /// Registers the lead as its zone's 首谈 with its investor on `on`, at
    /// `expected_version`. The caller has judged the lead by the 首谈 rule
    /// as it read it; here the register decides whether the investor is
    /// free in the province: held by another zone, or by another lead of
    /// this zone, is a field error on `first_talk`.
    pub async fn claim_first_talk(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
        on: NaiveDate,
    ) -> Result<crate::Lead> {
        let mut tx = self.begin_write().await?;
        let before = lead_within(&mut tx, proof, id).await?;
        crate::versioned::claim(&mut tx, "leads", id, expected_version).await?;
        let (province_id, province_path) = province_of(&mut tx, &before.zone_org_path()).await?;
        let (name_key, credit_code, investor_name): (String, Option<String>, String) =
            sqlx::query_as("SELECT name_key, credit_code, name FROM investors WHERE id = $1")
                .bind(before.investor_id)
                .fetch_one(&mut *tx)
                .await?;
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT lead_id FROM first_talk_claims WHERE province_id = $1 \
             AND (name_key = $2 OR credit_code = $3) ORDER BY id LIMIT 1",
        )
        .bind(province_id)
        .bind(&name_key)
        .bind(&credit_code)
        .fetch_optional(&mut *tx)
        .await?;
        match held {
            Some(lead) if lead == id => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "first_talk",
                    "error.first_talk.already",
                )))
            }
            Some(_) => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "first_talk",
                    "error.first_talk.taken",
                )))
            }
            None => {}
        }
        let now = now_ms();
        sqlx::query(
            "INSERT INTO first_talk_claims (province_id, province_path, name_key, credit_code, investor_name, \
             zone_id, lead_id, claimed_on, claimed_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(province_id)
        .bind(&province_path)
        .bind(&name_key)
        .bind(&credit_code)
        .bind(&investor_name)
        .bind(before.zone_id)
        .bind(id)
        .bind(on.format("%Y-%m-%d").to_string())
        .bind(&actor.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE leads SET first_talk = 1, version = version + 1, updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = fetch_unscoped(&mut tx, id).await?;
        audit_lead(&mut tx, actor, AuditAction::Update, Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Lets go of the lead's 首谈 at `expected_version`.
    pub async fn release_first_talk(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
    ) -> Result<crate::Lead> {
        let mut tx = self.begin_write().await?;
        let before = lead_within(&mut tx, proof, id).await?;
        crate::versioned::claim(&mut tx, "leads", id, expected_version).await?;
        if !before.first_talk {
            return Err(StoreError::Invalid(FieldErrors::single(
                "first_talk",
                "error.first_talk.none",
            )));
        }
        drop_claim(&mut tx, id).await?;
        sqlx::query("UPDATE leads SET version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = fetch_unscoped(&mut tx, id).await?;
        audit_lead(&mut tx, actor, AuditAction::Update, Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The 首谈 held by zones within `visibility`, largest first, each with
    /// the other zones' leads (within `visibility` too) on its investor.
    pub async fn first_talk_claims(&self, visibility: &Visibility) -> Result<Vec<FirstTalkClaim>> {
        let mut q = Sql::new(
            "SELECT f.lead_id, l.name AS lead_name, f.zone_id, z.name AS zone_name, f.investor_name, \
             l.stage, l.investment, f.claimed_on, f.claimed_by, f.province_path, f.name_key, f.credit_code \
             FROM first_talk_claims f JOIN leads l ON l.id = f.lead_id JOIN org_units z ON z.id = f.zone_id WHERE ",
        );
        q.scope(visibility, "z.path", None);
        q.push(" ORDER BY l.investment DESC, f.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut claims = Vec::with_capacity(rows.len());
        for row in rows {
            let province_path: String = row.try_get("province_path")?;
            let name_key: String = row.try_get("name_key")?;
            let credit_code: Option<String> = row.try_get("credit_code")?;
            let zone_id: i64 = row.try_get("zone_id")?;
            let mut r = Sql::new(
                "SELECT l.id, l.name, l.zone_id, z.name AS zone_name, l.stage, l.investment \
                 FROM leads l JOIN investors i ON i.id = l.investor_id JOIN org_units z ON z.id = l.zone_id \
                 WHERE l.zone_id <> ",
            );
            r.bind(zone_id)
                .push(" AND (i.name_key = ")
                .bind(name_key)
                .push(" OR i.credit_code = ")
                .bind(credit_code.unwrap_or_default())
                .push(") AND z.path LIKE ")
                .bind(format!("{province_path}%"))
                .push(" AND ");
            r.scope(visibility, "z.path", None);
            r.push(" ORDER BY z.name, l.id");
            let rivals = r
                .query()
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| {
                    Ok(RivalLead {
                        lead_id: row.try_get(0)?,
                        lead_name: row.try_get(1)?,
                        zone_id: row.try_get(2)?,
                        zone_name: row.try_get(3)?,
                        stage: decode::code(row, "stage")?,
                        investment: decode::money(row, "investment")?,
                    })
                })
                .collect::<sqlx::Result<Vec<_>>>()?;
            claims.push(FirstTalkClaim {
                lead_id: row.try_get("lead_id")?,
                lead_name: row.try_get("lead_name")?,
                zone_id,
                zone_name: row.try_get("zone_name")?,
                investor_name: row.try_get("investor_name")?,
                stage: decode::code(&row, "stage")?,
                investment: decode::money(&row, "investment")?,
                claimed_on: decode::date(&row, "claimed_on")?,
                claimed_by: row.try_get("claimed_by")?,
                rivals,
            });
        }
        Ok(claims)
    }
}
