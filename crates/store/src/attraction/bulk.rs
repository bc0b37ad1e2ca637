//! Many leads, or many activities, of one zone in one transaction: a
//! workbook's 招商项目台账 or a province's demo. The outcome is the one of
//! entering them one by one — investors found by their name key or
//! registered, every stage a lead went through on record with its day, one
//! audited creation per row — without a round trip per fact.

use std::collections::HashMap;

use chrono::NaiveDate;
use kfq_attraction::LeadStage;
use kfq_domain::audit::AuditAction;
use kfq_domain::LeadWrite;
use sqlx::{AnyConnection, Row};

use super::activities::ActivityInput;
use super::leads::{LeadInput, StageMove, COLUMNS, FROM};
use super::zone_within;
use crate::audit::{record_many, Actor, Change};
use crate::bulk_insert::Rows;
use crate::error::Result;
use crate::sql::Sql;
use crate::{now_ms, Lead, Store};

/// A lead as a ledger row gives it: its investor by name (and origin), the
/// lead, the moves that brought it where it stands, and its last follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadRecord {
    pub investor: String,
    /// An investor of the zone found before (by its credit code, say):
    /// taken as it is, not looked for by name.
    pub investor_id: Option<i64>,
    /// For an investor registered here: its code and industry.
    pub investor_code: Option<String>,
    pub investor_industry: Option<String>,
    pub origin: kfq_attraction::Origin,
    pub origin_place: Option<String>,
    /// `investor_id` is found from `investor`.
    pub lead: LeadInput,
    /// In order, from 线索 on `registered_on`.
    pub moves: Vec<StageMove>,
    pub last_touch_on: NaiveDate,
    /// Kept with the registration (what a workbook row said of it).
    pub note: Option<String>,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Where the moves leave a lead: stage, since when, the stage it left for
/// 终止, and the facts the moves brought (the last given of each).
#[derive(Default)]
struct Standing {
    stage: Option<LeadStage>,
    since: Option<NaiveDate>,
    left_at: Option<LeadStage>,
    facts: Option<StageMove>,
}

fn standing(moves: &[StageMove]) -> Standing {
    let mut s = Standing::default();
    let mut facts: Option<StageMove> = None;
    for m in moves {
        if m.to == LeadStage::Terminated {
            s.left_at = s.stage.or(Some(LeadStage::Clue));
        }
        s.stage = Some(m.to);
        s.since = Some(m.on);
        facts = Some(match facts {
            None => m.clone(),
            Some(f) => StageMove {
                to: m.to,
                on: m.on,
                note: m.note.clone(),
                signed_on: m.signed_on.or(f.signed_on),
                signed_amount: m.signed_amount.or(f.signed_amount),
                agreement: m.agreement.or(f.agreement),
                agreement_docs: m.agreement_docs.clone().or(f.agreement_docs),
                enterprise_name: m.enterprise_name.clone().or(f.enterprise_name),
                enterprise_credit_code: m
                    .enterprise_credit_code
                    .clone()
                    .or(f.enterprise_credit_code),
                started_on: m.started_on.or(f.started_on),
                produced_on: m.produced_on.or(f.produced_on),
                terminated_reason: m.terminated_reason.clone().or(f.terminated_reason),
            },
        });
    }
    s.facts = facts;
    s
}

/// The leads `ids` as read, for their audit records.
async fn fetch_many(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<Lead>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(400) {
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE "));
        q.any_of("l.id", chunk.iter().copied())
            .push(" ORDER BY l.id");
        out.extend(q.query_as::<Lead>().fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

impl Store {
    /// Writes the leads of one zone, all or none, within the proof; answers
    /// their ids in the order given. Stage moves are taken as given: the
    /// caller has checked them by the rules.
    pub async fn import_leads(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        zone_id: i64,
        records: &[LeadRecord],
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let zone_path = zone_within(&mut tx, proof, zone_id).await?;
        let ids = insert_records(&mut tx, actor, (zone_id, &zone_path), records).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Writes the activities of one zone, all or none, with the leads and
    /// investors each names (their ids taken as given, of the zone). Unlike
    /// one entered by hand, an imported activity leaves the leads' last
    /// follow-up as the records give it.
    pub async fn import_activities(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        zone_id: i64,
        activities: &[ActivityInput],
    ) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let zone_path = zone_within(&mut tx, proof, zone_id).await?;
        let now = now_ms();
        let mut ids = Vec::with_capacity(activities.len());
        let mut leads = Rows::new("activity_leads", &["zone_id", "activity_id", "lead_id"]);
        let mut investors = Rows::new(
            "activity_investors",
            &["zone_id", "activity_id", "investor_id"],
        );
        for a in activities {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO activities (zone_id, kind, title, on_date, ends_on, place, our_people, their_people, \
                 purpose, outcome, next_step, next_due, next_owner_id, next_done_on, created_by_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
            )
            .bind(zone_id)
            .bind(a.kind.code())
            .bind(&a.title)
            .bind(day(a.on_date))
            .bind(a.ends_on.map(day))
            .bind(&a.place)
            .bind(&a.our_people)
            .bind(&a.their_people)
            .bind(&a.purpose)
            .bind(&a.outcome)
            .bind(&a.next_step)
            .bind(a.next_due.map(day))
            .bind(a.next_owner_id)
            .bind(a.next_done_on.map(day))
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
            let mut seen = std::collections::BTreeSet::new();
            for lead in a.leads.iter().filter(|l| seen.insert(**l)) {
                leads.push([zone_id.into(), id.into(), (*lead).into()]);
            }
            let mut seen = std::collections::BTreeSet::new();
            for investor in a.investors.iter().filter(|i| seen.insert(**i)) {
                investors.push([zone_id.into(), id.into(), (*investor).into()]);
            }
        }
        leads.write(&mut tx).await?;
        investors.write(&mut tx).await?;
        let after: Vec<serde_json::Value> = activities
            .iter()
            .zip(&ids)
            .map(|(a, id)| {
                serde_json::json!({"id": id, "kind": a.kind.code(), "title": a.title,
                    "on_date": day(a.on_date), "leads": a.leads, "investors": a.investors})
            })
            .collect();
        let audit: Vec<Change<'_, serde_json::Value>> = after
            .iter()
            .zip(&ids)
            .map(|(a, id)| Change {
                action: AuditAction::Create,
                entity: "activity",
                entity_id: *id,
                zone_id: Some(zone_id),
                scope_path: &zone_path,
                before: None,
                after: Some(a),
            })
            .collect();
        record_many(&mut tx, actor, &audit).await?;
        tx.commit().await?;
        Ok(ids)
    }
}

/// Inserts the leads of one zone (`zone`: its id and path) with their
/// investors, moves and audited creations, in the caller's transaction.
pub(super) async fn insert_records(
    conn: &mut AnyConnection,
    actor: &Actor,
    (zone_id, zone_path): (i64, &kfq_domain::OrgPath),
    records: &[LeadRecord],
) -> Result<Vec<i64>> {
    let now = now_ms();
    let mut investors: HashMap<String, i64> =
        sqlx::query("SELECT name_key, id FROM investors WHERE zone_id = $1 ORDER BY id DESC")
            .bind(zone_id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<sqlx::Result<_>>()?;
    let mut ids = Vec::with_capacity(records.len());
    let mut changes = Rows::new(
        "lead_stage_changes",
        &[
            "zone_id",
            "lead_id",
            "from_stage",
            "to_stage",
            "on_date",
            "note",
            "changed_by",
            "changed_at",
        ],
    );
    for r in records {
        let key = kfq_attraction::name_key(&r.investor);
        let investor_id = match r.investor_id.or_else(|| investors.get(&key).copied()) {
            Some(id) => id,
            None => {
                let id: i64 = sqlx::query_scalar(
                        "INSERT INTO investors (zone_id, name, name_key, origin, origin_place, credit_code, \
                         industry, chain_leader, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8) RETURNING id",
                    )
                    .bind(zone_id)
                    .bind(&r.investor)
                    .bind(&key)
                    .bind(r.origin.code())
                    .bind(&r.origin_place)
                    .bind(&r.investor_code)
                    .bind(&r.investor_industry)
                    .bind(now)
                    .fetch_one(&mut *conn)
                    .await?;
                investors.insert(key, id);
                id
            }
        };
        let l = &r.lead;
        let s = standing(&r.moves);
        let f = s.facts.as_ref();
        let id: i64 = sqlx::query_scalar(
                "INSERT INTO leads (zone_id, name, investor_id, industry_chain_id, chain_node, investment, \
                 land_mu_hundredths, energy_tce, expected_output, expected_tax, expected_jobs, source, referrer, \
                 owner_id, task_force, stage, stage_since, left_at, registered_on, last_touch_on, signed_on, \
                 signed_amount, agreement, agreement_docs, enterprise_name, enterprise_credit_code, started_on, \
                 produced_on, terminated_reason, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
                 $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $30) RETURNING id",
            )
            .bind(zone_id)
            .bind(&l.name)
            .bind(investor_id)
            .bind(l.industry_chain_id)
            .bind(&l.chain_node)
            .bind(l.investment.yuan())
            .bind(l.land.map(|m| m.hundredths()))
            .bind(l.energy_tce)
            .bind(l.expected_output.map(|m| m.yuan()))
            .bind(l.expected_tax.map(|m| m.yuan()))
            .bind(l.expected_jobs)
            .bind(l.source.code())
            .bind(&l.referrer)
            .bind(l.owner_id)
            .bind(&l.task_force)
            .bind(s.stage.unwrap_or(LeadStage::Clue).code())
            .bind(day(s.since.unwrap_or(l.registered_on)))
            .bind(s.left_at.map(|x| x.code()))
            .bind(day(l.registered_on))
            .bind(day(r.last_touch_on.max(l.registered_on)))
            .bind(f.and_then(|f| f.signed_on).map(day))
            .bind(f.and_then(|f| f.signed_amount).map(|m| m.yuan()))
            .bind(f.and_then(|f| f.agreement).map(|a| a.code()))
            .bind(f.and_then(|f| f.agreement_docs.clone()))
            .bind(f.and_then(|f| f.enterprise_name.clone()))
            .bind(f.and_then(|f| f.enterprise_credit_code.as_ref().map(|c| c.as_str().to_owned())))
            .bind(f.and_then(|f| f.started_on).map(day))
            .bind(f.and_then(|f| f.produced_on).map(day))
            .bind(f.and_then(|f| f.terminated_reason.clone()))
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
        ids.push(id);
        let mut from: Option<LeadStage> = None;
        let first = std::iter::once((LeadStage::Clue, l.registered_on, r.note.clone()));
        let rest = r.moves.iter().map(|m| (m.to, m.on, m.note.clone()));
        for (to, on, note) in first.chain(rest) {
            changes.push([
                zone_id.into(),
                id.into(),
                from.map(|f| f.code().to_owned()).into(),
                to.code().into(),
                day(on).into(),
                note.into(),
                actor.name.clone().into(),
                now.into(),
            ]);
            from = Some(to);
        }
    }
    changes.write(&mut *conn).await?;
    let created = fetch_many(&mut *conn, &ids).await?;
    let audit: Vec<Change<'_, Lead>> = created
        .iter()
        .map(|lead| Change {
            action: AuditAction::Create,
            entity: "lead",
            entity_id: lead.id,
            zone_id: Some(zone_id),
            scope_path: zone_path,
            before: None,
            after: Some(lead),
        })
        .collect();
    record_many(&mut *conn, actor, &audit).await?;
    Ok(ids)
}
