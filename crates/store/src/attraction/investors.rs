//! Investors (客商): a zone's own record of a company it deals with, with
//! its contacts. The same company may be on record in several zones; its
//! credit code, when known, is unique within a zone, and its name key
//! (`kfq_attraction::name_key`) finds it under another spelling.

use kfq_attraction::Origin;
use kfq_domain::audit::AuditAction;
use kfq_domain::{CreditCode, LeadWrite, OrgPath, Visibility};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::zone_within;
use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::sql::{Paged, Sql};
use crate::{now_ms, within, Page, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Investor {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    pub name: String,
    pub credit_code: Option<String>,
    /// in_province, out_of_province or abroad.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub origin: Origin,
    /// The province (or country) it comes from.
    pub origin_place: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    /// 链主: the lead firm of an industry chain.
    pub chain_leader: bool,
    pub notes: Option<String>,
    /// Leads of this investor in its zone.
    pub leads: i64,
    pub contacts: Vec<Contact>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Investor {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Investor {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Investor {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            zone_name: row.try_get("zone_name")?,
            zone_path: row.try_get("zone_path")?,
            name: row.try_get("name")?,
            credit_code: row.try_get("credit_code")?,
            origin: decode::code(row, "origin")?,
            origin_place: row.try_get("origin_place")?,
            industry: row.try_get("industry")?,
            size: row.try_get("size")?,
            chain_leader: decode::flag(row, "chain_leader")?,
            notes: row.try_get("notes")?,
            leads: row.try_get("leads")?,
            contacts: Vec::new(),
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub name: String,
    /// 职务.
    pub post: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestorInput {
    pub zone_id: i64,
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub origin: Origin,
    pub origin_place: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub chain_leader: bool,
    pub notes: Option<String>,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, Default)]
pub struct InvestorFilter {
    pub zone_id: Option<i64>,
    pub name_contains: Option<String>,
}

const COLUMNS: &str =
    "i.id, i.zone_id, z.name AS zone_name, z.path AS zone_path, i.name, i.credit_code, \
     i.origin, i.origin_place, i.industry, i.size, i.chain_leader, i.notes, \
     (SELECT COUNT(*) FROM leads l WHERE l.investor_id = i.id AND l.zone_id = i.zone_id) AS leads, \
     i.version, i.created_at, i.updated_at";
const FROM: &str = "investors i JOIN org_units z ON z.id = i.zone_id";

async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<Investor> {
    let mut investor =
        sqlx::query_as::<_, Investor>(&format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    investor.contacts = contacts(conn, id).await?;
    Ok(investor)
}

async fn contacts(conn: &mut AnyConnection, investor_id: i64) -> Result<Vec<Contact>> {
    Ok(sqlx::query_as::<_, Contact>(
        "SELECT name, post, phone FROM investor_contacts WHERE investor_id = $1 ORDER BY id",
    )
    .bind(investor_id)
    .fetch_all(conn)
    .await?)
}

async fn write_contacts(
    conn: &mut AnyConnection,
    zone_id: i64,
    investor_id: i64,
    list: &[Contact],
) -> Result<()> {
    sqlx::query("DELETE FROM investor_contacts WHERE investor_id = $1")
        .bind(investor_id)
        .execute(&mut *conn)
        .await?;
    for c in list {
        sqlx::query(
            "INSERT INTO investor_contacts (zone_id, investor_id, name, post, phone) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(zone_id)
        .bind(investor_id)
        .bind(&c.name)
        .bind(&c.post)
        .bind(&c.phone)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Store {
    pub async fn investor(&self, visibility: &Visibility, id: i64) -> Result<Investor> {
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id = "));
        q.bind(id).push(" AND ").scope(visibility, "z.path", None);
        let mut investor = q
            .query_as::<Investor>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut conn = self.pool.acquire().await?;
        investor.contacts = contacts(&mut conn, id).await?;
        Ok(investor)
    }

    pub async fn investors(
        &self,
        visibility: &Visibility,
        filter: &InvestorFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Investor>> {
        let list = Paged {
            from: FROM,
            columns: COLUMNS,
            order: "z.path, i.name, i.id",
        };
        let filter = |q: &mut Sql| {
            q.scope(visibility, "z.path", None);
            if let Some(zone) = filter.zone_id {
                q.push(" AND i.zone_id = ").bind(zone);
            }
            if let Some(name) = &filter.name_contains {
                q.words_in(&["i.name", "i.credit_code"], name);
            }
        };
        list.fetch(&self.pool, filter, offset, limit).await
    }

    /// The other investors of `of`'s zone that share its name key or its
    /// credit code: its possible duplicates, at most ten.
    pub async fn investor_lookalikes(
        &self,
        visibility: &Visibility,
        of: &Investor,
    ) -> Result<Vec<Investor>> {
        let (zone_id, name, credit_code) =
            (of.zone_id, of.name.as_str(), of.credit_code.as_deref());
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id <> "));
        q.bind(of.id)
            .push(" AND i.zone_id = ")
            .bind(zone_id)
            .push(" AND ")
            .scope(visibility, "z.path", None)
            .push(" AND (i.name_key = ")
            .bind(kfq_attraction::name_key(name));
        if let Some(code) = credit_code {
            q.push(" OR i.credit_code = ").bind(code.to_owned());
        }
        q.push(") ORDER BY i.id LIMIT 10");
        Ok(q.query_as::<Investor>().fetch_all(&self.pool).await?)
    }

    /// The names of `zone_id`'s investors whose name key is `name`'s.
    pub async fn investors_named_like(&self, zone_id: i64, name: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT name FROM investors WHERE name_key = $1 AND zone_id = $2 ORDER BY id LIMIT 10",
        )
        .bind(kfq_attraction::name_key(name))
        .bind(zone_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn create_investor(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        input: &InvestorInput,
    ) -> Result<Investor> {
        let mut tx = self.begin_write().await?;
        zone_within(&mut tx, proof, input.zone_id).await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO investors (zone_id, name, name_key, credit_code, origin, origin_place, industry, size, \
             chain_leader, notes, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(input.zone_id)
        .bind(&input.name)
        .bind(kfq_attraction::name_key(&input.name))
        .bind(input.credit_code.as_ref().map(|c| c.as_str().to_owned()))
        .bind(input.origin.code())
        .bind(&input.origin_place)
        .bind(&input.industry)
        .bind(&input.size)
        .bind(i64::from(input.chain_leader))
        .bind(&input.notes)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        write_contacts(&mut tx, input.zone_id, id, &input.contacts).await?;
        let created = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "investor",
                entity_id: id,
                zone_id: Some(created.zone_id),
                scope_path: &created.zone_org_path(),
                before: None,
                after: Some(&created),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Merges investor `from` into `keep` (at `keep_version`): `from`'s leads
    /// and contacts move over, each lead's change audited; what `keep` lacks
    /// (credit code, place, industry, size, notes, 链主) it takes from `from`;
    /// `from` is deleted, its last state on record. Both in one zone, within
    /// a proof not narrowed to one person.
    pub async fn merge_investors(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        keep_id: i64,
        keep_version: i64,
        from_id: i64,
    ) -> Result<Investor> {
        let mut tx = self.begin_write().await?;
        within(proof.only_of().is_none())?;
        let keep = fetch_unscoped(&mut tx, keep_id).await?;
        within(proof.covers(&keep.zone_org_path()))?;
        crate::versioned::claim(&mut tx, "investors", keep_id, keep_version).await?;
        let from = match fetch_unscoped(&mut tx, from_id).await {
            Ok(from) if from.zone_id == keep.zone_id && from.id != keep.id => from,
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(StoreError::Invalid(kfq_domain::FieldErrors::single(
                    "from_id",
                    "error.investor.merge_other",
                )))
            }
            Err(other) => return Err(other),
        };
        let leads: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM leads WHERE investor_id = $1 AND zone_id = $2 ORDER BY id",
        )
        .bind(from.id)
        .bind(from.zone_id)
        .fetch_all(&mut *tx)
        .await?;
        let now = now_ms();
        for lead in leads {
            let before: serde_json::Value =
                serde_json::json!({"id": lead, "investor_id": from.id, "investor_name": from.name});
            sqlx::query("UPDATE leads SET investor_id = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(keep.id)
                .bind(now)
                .bind(lead)
                .execute(&mut *tx)
                .await?;
            let after =
                serde_json::json!({"id": lead, "investor_id": keep.id, "investor_name": keep.name});
            record(
                &mut tx,
                actor,
                Change {
                    action: AuditAction::Update,
                    entity: "lead",
                    entity_id: lead,
                    zone_id: Some(keep.zone_id),
                    scope_path: &keep.zone_org_path(),
                    before: Some(&before),
                    after: Some(&after),
                },
            )
            .await?;
        }
        let moved: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM leads WHERE investor_id = $1 AND first_talk = 1")
                .bind(keep.id)
                .fetch_all(&mut *tx)
                .await?;
        // The activities and chain links that named `from` name `keep` (once).
        for (table, owner) in [
            ("activity_investors", "activity_id"),
            ("chain_node_targets", "node_id"),
        ] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE investor_id = $1 AND {owner} IN \
                 (SELECT {owner} FROM {table} WHERE investor_id = $2)"
            ))
            .bind(from.id)
            .bind(keep.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(&format!(
                "UPDATE {table} SET investor_id = $1 WHERE investor_id = $2"
            ))
            .bind(keep.id)
            .bind(from.id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE investor_contacts SET investor_id = $1 WHERE investor_id = $2")
            .bind(keep.id)
            .bind(from.id)
            .execute(&mut *tx)
            .await?;
        // The credit code is unique in the zone: it leaves `from` before `keep` takes it.
        let code = keep.credit_code.clone().or(from.credit_code.clone());
        sqlx::query("UPDATE investors SET credit_code = NULL WHERE id = $1")
            .bind(from.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE investors SET credit_code = $1, origin_place = COALESCE(origin_place, $2), \
             industry = COALESCE(industry, $3), size = COALESCE(size, $4), notes = COALESCE(notes, $5), \
             chain_leader = $6, version = version + 1, updated_at = $7 WHERE id = $8",
        )
        .bind(code)
        .bind(&from.origin_place)
        .bind(&from.industry)
        .bind(&from.size)
        .bind(&from.notes)
        .bind(i64::from(keep.chain_leader || from.chain_leader))
        .bind(now)
        .bind(keep.id)
        .execute(&mut *tx)
        .await?;
        super::first_talk::refresh_claims(&mut tx, &moved).await?;
        crate::versioned::delete_claimed(
            &mut tx,
            actor,
            ("investors", "investor"),
            from.id,
            (Some(from.zone_id), &from.zone_org_path()),
            &from,
        )
        .await?;
        let after = fetch_unscoped(&mut tx, keep.id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "investor",
                entity_id: keep.id,
                zone_id: Some(keep.zone_id),
                scope_path: &keep.zone_org_path(),
                before: Some(&keep),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Updates every field and replaces the contacts; an investor stays in
    /// its zone.
    pub async fn update_investor(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
        input: &InvestorInput,
    ) -> Result<Investor> {
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&before.zone_org_path()))?;
        crate::versioned::one_row(
            sqlx::query(
                "UPDATE investors SET name = $1, name_key = $2, credit_code = $3, origin = $4, origin_place = $5, \
                 industry = $6, size = $7, chain_leader = $8, notes = $9, version = version + 1, updated_at = $10 \
                 WHERE id = $11 AND version = $12",
            )
            .bind(&input.name)
            .bind(kfq_attraction::name_key(&input.name))
            .bind(input.credit_code.as_ref().map(|c| c.as_str().to_owned()))
            .bind(input.origin.code())
            .bind(&input.origin_place)
            .bind(&input.industry)
            .bind(&input.size)
            .bind(i64::from(input.chain_leader))
            .bind(&input.notes)
            .bind(now_ms())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?,
        )?;
        write_contacts(&mut tx, before.zone_id, id, &input.contacts).await?;
        let claimed: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM leads WHERE investor_id = $1 AND first_talk = 1")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
        super::first_talk::refresh_claims(&mut tx, &claimed).await?;
        let after = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "investor",
                entity_id: id,
                zone_id: Some(after.zone_id),
                scope_path: &after.zone_org_path(),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
