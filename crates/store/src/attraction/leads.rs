//! Leads (招商项目): what a zone is working on, its stage and the facts each
//! stage brought (签约, the registered enterprise, 开工, 投产, 终止), every
//! move on record, and the people who work it (owner and 招商专班).

use chrono::NaiveDate;
use kfq_attraction::{AgreementKind, LeadStage, Source};
use kfq_domain::audit::AuditAction;
use kfq_domain::{CreditCode, FieldErrors, LeadSight, LeadWrite, Money, Mu, OrgPath};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{lead_scope, zone_within};
use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::sql::{Paged, Sql};
use crate::{now_ms, within, Page, Store};

/// A lead as read, every code, day and amount in its domain type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    pub name: String,
    pub investor_id: i64,
    pub investor_name: String,
    /// Where the investor comes from: in_province, out_of_province, abroad.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub investor_origin: kfq_attraction::Origin,
    /// Its province or country.
    pub investor_place: Option<String>,
    pub industry_chain_id: Option<i64>,
    pub industry_chain: Option<String>,
    /// The chain's node it fills (液泵, 轴承 …).
    pub chain_node: Option<String>,
    /// 拟投资额, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub investment: Money,
    #[serde(rename = "land_mu_hundredths")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub land: Option<Mu>,
    /// 年综合能耗, tonnes of standard coal.
    pub energy_tce: Option<i64>,
    /// 预计年产值, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub expected_output: Option<Money>,
    /// 预计年税收, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub source: Source,
    pub referrer: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    /// 招商专班.
    pub task_force: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: LeadStage,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub stage_since: NaiveDate,
    /// For a terminated lead, the stage it left.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub left_at: Option<LeadStage>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub registered_on: NaiveDate,
    /// The last follow-up (or the registration).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub last_touch_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub signed_on: Option<NaiveDate>,
    /// 签约额, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub signed_amount: Option<Money>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub agreement: Option<AgreementKind>,
    pub agreement_docs: Option<String>,
    pub enterprise_name: Option<String>,
    pub enterprise_credit_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub started_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub produced_on: Option<NaiveDate>,
    pub terminated_reason: Option<String>,
    /// 首谈: registered as this zone's first talk with the investor.
    pub first_talk: bool,
    /// The ledger project it became.
    pub project_id: Option<i64>,
    /// 到位资金 so far, yuan.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub funds_arrived: Money,
    /// 增资扩产: the earlier lead of this investor it adds to; its
    /// investment is the increase alone.
    pub increase_of: Option<i64>,
    pub increase_of_name: Option<String>,
    /// Another zone of the province holds the 首谈 with this investor: which
    /// (and since when). Nothing more of that zone's lead is told.
    pub taken_by_zone: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub taken_on: Option<NaiveDate>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Lead {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }

    /// The facts the stage rules read, as the lead holds them.
    pub fn facts(&self) -> kfq_attraction::StageFacts {
        kfq_attraction::StageFacts {
            signed_on: self.signed_on,
            signed_amount: self.signed_amount,
            agreement: self.agreement,
            enterprise_registered: self.enterprise_name.is_some()
                && self.enterprise_credit_code.is_some(),
            started_on: self.started_on,
            produced_on: self.produced_on,
            terminated_reason: self.terminated_reason.clone(),
        }
    }
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Lead {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Lead {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            zone_name: row.try_get("zone_name")?,
            zone_path: row.try_get("zone_path")?,
            name: row.try_get("name")?,
            investor_id: row.try_get("investor_id")?,
            investor_name: row.try_get("investor_name")?,
            investor_origin: decode::code(row, "investor_origin")?,
            investor_place: row.try_get("investor_place")?,
            industry_chain_id: row.try_get("industry_chain_id")?,
            industry_chain: row.try_get("industry_chain")?,
            chain_node: row.try_get("chain_node")?,
            investment: decode::money(row, "investment")?,
            land: decode::opt_mu(row, "land_mu_hundredths")?,
            energy_tce: row.try_get("energy_tce")?,
            expected_output: decode::opt_money(row, "expected_output")?,
            expected_tax: decode::opt_money(row, "expected_tax")?,
            expected_jobs: row.try_get("expected_jobs")?,
            source: decode::code(row, "source")?,
            referrer: row.try_get("referrer")?,
            owner_id: row.try_get("owner_id")?,
            owner_name: row.try_get("owner_name")?,
            task_force: row.try_get("task_force")?,
            stage: decode::code(row, "stage")?,
            stage_since: decode::date(row, "stage_since")?,
            left_at: decode::opt_code(row, "left_at")?,
            registered_on: decode::date(row, "registered_on")?,
            last_touch_on: decode::date(row, "last_touch_on")?,
            signed_on: decode::opt_date(row, "signed_on")?,
            signed_amount: decode::opt_money(row, "signed_amount")?,
            agreement: decode::opt_code(row, "agreement")?,
            agreement_docs: row.try_get("agreement_docs")?,
            enterprise_name: row.try_get("enterprise_name")?,
            enterprise_credit_code: row.try_get("enterprise_credit_code")?,
            started_on: decode::opt_date(row, "started_on")?,
            produced_on: decode::opt_date(row, "produced_on")?,
            terminated_reason: row.try_get("terminated_reason")?,
            first_talk: decode::flag(row, "first_talk")?,
            project_id: row.try_get("project_id")?,
            funds_arrived: decode::money(row, "funds_arrived")?,
            increase_of: row.try_get("increase_of")?,
            increase_of_name: row.try_get("increase_of_name")?,
            taken_by_zone: row.try_get("taken_by_zone")?,
            taken_on: decode::opt_date(row, "taken_on")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// The list's rows are the leads themselves.
pub type LeadRow = Lead;

/// What a person types about a lead, apart from its stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadInput {
    pub zone_id: i64,
    pub name: String,
    pub investor_id: i64,
    pub industry_chain_id: Option<i64>,
    pub chain_node: Option<String>,
    pub investment: Money,
    pub land: Option<Mu>,
    pub energy_tce: Option<i64>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i64>,
    pub source: Source,
    pub referrer: Option<String>,
    pub owner_id: Option<i64>,
    pub task_force: Option<String>,
    /// The people of the 招商专班 who work it besides the owner.
    pub members: Vec<i64>,
    pub registered_on: NaiveDate,
    /// 增资扩产 of this earlier, signed lead of the same investor.
    pub increase_of: Option<i64>,
}

/// A move to another stage on `on`, with the facts it brings (each replaces
/// the lead's when given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageMove {
    pub to: LeadStage,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub signed_amount: Option<Money>,
    pub agreement: Option<AgreementKind>,
    pub agreement_docs: Option<String>,
    pub enterprise_name: Option<String>,
    pub enterprise_credit_code: Option<CreditCode>,
    pub started_on: Option<NaiveDate>,
    pub produced_on: Option<NaiveDate>,
    pub terminated_reason: Option<String>,
}

impl StageMove {
    /// A move that brings no facts of its own.
    pub fn bare(to: LeadStage, on: NaiveDate) -> StageMove {
        StageMove {
            to,
            on,
            note: None,
            signed_on: None,
            signed_amount: None,
            agreement: None,
            agreement_docs: None,
            enterprise_name: None,
            enterprise_credit_code: None,
            started_on: None,
            produced_on: None,
            terminated_reason: None,
        }
    }

    /// The facts the lead would hold after this move.
    pub fn facts_over(&self, lead: &Lead) -> kfq_attraction::StageFacts {
        let mut facts = lead.facts();
        facts.signed_on = self.signed_on.or(facts.signed_on);
        facts.signed_amount = self.signed_amount.or(facts.signed_amount);
        facts.agreement = self.agreement.or(facts.agreement);
        facts.enterprise_registered = (self.enterprise_name.is_some()
            || lead.enterprise_name.is_some())
            && (self.enterprise_credit_code.is_some() || lead.enterprise_credit_code.is_some());
        facts.started_on = self.started_on.or(facts.started_on);
        facts.produced_on = self.produced_on.or(facts.produced_on);
        facts.terminated_reason = self.terminated_reason.clone();
        facts
    }
}

#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub zone_id: Option<i64>,
    pub stage: Option<LeadStage>,
    pub investor_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub name_contains: Option<String>,
    /// Signed in this year (and not ended): the leads behind a year's figure.
    pub signed_in: Option<i32>,
    /// Started in this year.
    pub started_in: Option<i32>,
    /// Its investor comes from here.
    pub origin: Option<kfq_attraction::Origin>,
    /// Signed for at least this much.
    pub min_signed: Option<Money>,
    /// In the unit at this org path or below it (a report of a city).
    pub under: Option<OrgPath>,
}

/// Leads at one stage and their intended investment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageCount {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stage: LeadStage,
    pub leads: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub investment: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadMember {
    pub user_id: i64,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadStageChange {
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub from_stage: Option<LeadStage>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub to_stage: LeadStage,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on_date: NaiveDate,
    pub note: Option<String>,
    pub changed_by: String,
    pub changed_at: i64,
}

impl<'r> sqlx::FromRow<'r, AnyRow> for LeadStageChange {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(LeadStageChange {
            from_stage: decode::opt_code(row, "from_stage")?,
            to_stage: decode::code(row, "to_stage")?,
            on_date: decode::date(row, "on_date")?,
            note: row.try_get("note")?,
            changed_by: row.try_get("changed_by")?,
            changed_at: row.try_get("changed_at")?,
        })
    }
}

/// The 首谈 of the lead's investor (`i`) held by another zone of the lead's
/// province (`l` in zone `z`): what `taken_by_zone` reads and what a
/// province's figures leave out.
macro_rules! held_elsewhere {
    () => {
        "FROM first_talk_claims f WHERE f.zone_id <> l.zone_id \
         AND (f.name_key = i.name_key OR f.credit_code = i.credit_code) \
         AND z.path LIKE f.province_path || '%'"
    };
}

pub(super) const COLUMNS: &str =
    "l.id, l.zone_id, z.name AS zone_name, z.path AS zone_path, l.name, l.investor_id, \
     i.name AS investor_name, i.origin AS investor_origin, i.origin_place AS investor_place, l.industry_chain_id, c.name AS industry_chain, l.chain_node, l.investment, \
     l.land_mu_hundredths, l.energy_tce, l.expected_output, l.expected_tax, l.expected_jobs, l.source, \
     l.referrer, l.owner_id, u.display_name AS owner_name, l.task_force, l.stage, l.stage_since, l.left_at, \
     l.registered_on, l.last_touch_on, l.signed_on, l.signed_amount, l.agreement, l.agreement_docs, \
     l.enterprise_name, l.enterprise_credit_code, l.started_on, l.produced_on, l.terminated_reason, \
     l.first_talk, l.project_id, l.increase_of, p.name AS increase_of_name, \
     (SELECT CAST(COALESCE(SUM(lf.amount), 0) AS BIGINT) FROM lead_funds lf WHERE lf.lead_id = l.id) AS funds_arrived, \
     hz.name AS taken_by_zone, ft.claimed_on AS taken_on, l.version, l.created_at, l.updated_at";
pub(super) const FROM: &str = concat!(
    "leads l JOIN org_units z ON z.id = l.zone_id \
     JOIN investors i ON i.id = l.investor_id \
     LEFT JOIN industry_chains c ON c.id = l.industry_chain_id \
     LEFT JOIN users u ON u.id = l.owner_id \
     LEFT JOIN leads p ON p.id = l.increase_of \
     LEFT JOIN first_talk_claims ft ON ft.id = (SELECT f.id ",
    held_elsewhere!(),
    " ORDER BY f.id LIMIT 1) LEFT JOIN org_units hz ON hz.id = ft.zone_id"
);

/// The joins a filter over leads needs: what the page is chosen and the
/// funnel counted over. The investor only when the filter reads it (a name
/// search, an origin, 首谈 held elsewhere): at province scale the join alone
/// costs more than the rest of the count.
fn narrow(filter: &LeadFilter) -> &'static str {
    if filter.name_contains.is_some() || filter.origin.is_some() {
        "leads l JOIN org_units z ON z.id = l.zone_id JOIN investors i ON i.id = l.investor_id"
    } else {
        "leads l JOIN org_units z ON z.id = l.zone_id"
    }
}

/// Counts by stage, every stage present (zero when none).
fn by_stage(rows: Vec<AnyRow>) -> Result<Vec<StageCount>> {
    let mut counts: Vec<StageCount> = LeadStage::ALL
        .iter()
        .map(|stage| StageCount {
            stage: *stage,
            leads: 0,
            investment: Money::ZERO,
        })
        .collect();
    for row in rows {
        let stage: LeadStage = decode::code(&row, "stage")?;
        if let Some(count) = counts.iter_mut().find(|c| c.stage == stage) {
            count.leads = row.try_get(1)?;
            count.investment = Money::from_yuan(row.try_get(2)?);
        }
    }
    Ok(counts)
}

/// `every` less `held`, stage by stage.
fn less(mut every: Vec<StageCount>, held: &[StageCount]) -> Vec<StageCount> {
    for (e, h) in every.iter_mut().zip(held) {
        e.leads -= h.leads;
        e.investment = e.investment - h.investment;
    }
    every
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<Lead> {
    sqlx::query_as::<_, Lead>(&format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The lead `id` within the proof (and, for a narrowed proof, its person's).
pub(super) async fn lead_within(
    conn: &mut AnyConnection,
    proof: &LeadWrite,
    id: i64,
) -> Result<Lead> {
    let lead = fetch_unscoped(conn, id).await?;
    within(proof.covers(&lead.zone_org_path()))?;
    if let Some(user) = proof.only_of() {
        let member: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM lead_members WHERE lead_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
        within(lead.owner_id == Some(user) || member > 0)?;
    }
    Ok(lead)
}

/// The investor, chain, owner and members of a lead belong to its zone.
async fn check_references(
    conn: &mut AnyConnection,
    input: &LeadInput,
    this: Option<i64>,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    let mut checks: Vec<(&str, i64, &str, &'static str)> = vec![(
        "investor_id",
        input.investor_id,
        "SELECT zone_id FROM investors WHERE id = $1",
        "error.lead.investor",
    )];
    if let Some(chain) = input.industry_chain_id {
        checks.push((
            "industry_chain_id",
            chain,
            "SELECT zone_id FROM industry_chains WHERE id = $1",
            "error.lead.chain",
        ));
    }
    for user in input.owner_id.iter().chain(&input.members) {
        let field = if Some(*user) == input.owner_id {
            "owner_id"
        } else {
            "members"
        };
        checks.push((
            field,
            *user,
            "SELECT zone_id FROM users WHERE id = $1 AND active = 1",
            "error.lead.person",
        ));
    }
    if let Some(earlier) = input.increase_of {
        // The lead it adds to: this zone's, this investor's, signed.
        let found: Option<(i64, i64, String)> =
            sqlx::query_as("SELECT zone_id, investor_id, stage FROM leads WHERE id = $1")
                .bind(earlier)
                .fetch_optional(&mut *conn)
                .await?;
        let fits = found.is_some_and(|(zone, investor, stage)| {
            zone == input.zone_id
                && investor == input.investor_id
                && LeadStage::from_code(&stage).is_some_and(LeadStage::is_signed)
        });
        if !fits || Some(earlier) == this {
            errors.add("increase_of", "error.lead.increase_of");
        }
    }
    for (field, id, sql, key) in checks {
        let zone: Option<Option<i64>> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        if zone.flatten() != Some(input.zone_id) {
            errors.add(field, key);
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn write_members(conn: &mut AnyConnection, lead: &Lead, members: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM lead_members WHERE lead_id = $1")
        .bind(lead.id)
        .execute(&mut *conn)
        .await?;
    let mut seen = std::collections::BTreeSet::new();
    for user in members.iter().filter(|u| seen.insert(**u)) {
        sqlx::query("INSERT INTO lead_members (zone_id, lead_id, user_id) VALUES ($1, $2, $3)")
            .bind(lead.zone_id)
            .bind(lead.id)
            .bind(*user)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(super) async fn audit_lead(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: AuditAction,
    before: Option<&Lead>,
    after: &Lead,
) -> Result<()> {
    record(
        conn,
        actor,
        Change {
            action,
            entity: "lead",
            entity_id: after.id,
            zone_id: Some(after.zone_id),
            scope_path: &after.zone_org_path(),
            before,
            after: Some(after),
        },
    )
    .await
}

impl Store {
    pub async fn lead(&self, sight: &LeadSight, id: i64) -> Result<Lead> {
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE l.id = "));
        q.bind(id).push(" AND ");
        lead_scope(&mut q, sight);
        q.query_as::<Lead>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn leads(
        &self,
        sight: &LeadSight,
        filter: &LeadFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Lead>> {
        self.leads_counted(sight, filter, (offset, limit), None)
            .await
    }

    async fn leads_counted(
        &self,
        sight: &LeadSight,
        filter: &LeadFilter,
        (offset, limit): (i64, i64),
        known_total: Option<i64>,
    ) -> Result<Page<Lead>> {
        let list = Paged {
            from: FROM,
            columns: COLUMNS,
            order: "l.updated_at DESC, l.id DESC",
        };
        let from = narrow(filter);
        let filter = |q: &mut Sql| lead_filter(q, sight, filter, false);
        list.fetch_narrowed(
            &self.pool,
            (from, "l.id"),
            filter,
            (offset, limit),
            known_total,
        )
        .await
    }

    /// A page of the pipeline and its funnel (counting each project once
    /// when `count_once`). The page's total is the funnel's own count of
    /// every lead of its stage (or of all stages), so the matches are
    /// counted once, not twice.
    pub async fn pipeline(
        &self,
        sight: &LeadSight,
        filter: &LeadFilter,
        count_once: bool,
        (offset, limit): (i64, i64),
    ) -> Result<(Page<Lead>, Vec<StageCount>)> {
        let (every, held) = self.stage_counts(sight, filter, count_once).await?;
        let total = every
            .iter()
            .filter(|c| filter.stage.is_none_or(|s| s == c.stage))
            .map(|c| c.leads)
            .sum();
        let page = self
            .leads_counted(sight, filter, (offset, limit), Some(total))
            .await?;
        Ok((page, less(every, &held)))
    }

    /// The pipeline by stage over what `filter` admits (its stage aside):
    /// the funnel above the list.
    /// Every lead the filter admits by stage (its stage aside), and those of
    /// them another zone's 首谈 holds (none unless `count_once`). Counting
    /// each project once is the first less the second: the few claims find
    /// the held leads through the investor indexes, where asking every lead
    /// whether a claim holds it read them all.
    async fn stage_counts(
        &self,
        sight: &LeadSight,
        filter: &LeadFilter,
        count_once: bool,
    ) -> Result<(Vec<StageCount>, Vec<StageCount>)> {
        let mut q = Sql::new(&format!(
            "SELECT l.stage, COUNT(*), CAST(COALESCE(SUM(l.investment), 0) AS BIGINT) FROM {} WHERE ",
            narrow(filter)
        ));
        lead_filter(&mut q, sight, filter, true);
        q.push(" GROUP BY l.stage");
        let every = by_stage(q.query().fetch_all(&self.pool).await?)?;
        if !count_once {
            return Ok((every, by_stage(Vec::new())?));
        }
        let mut q = Sql::new(
            "SELECT l.stage, COUNT(*), CAST(COALESCE(SUM(l.investment), 0) AS BIGINT) \
             FROM leads l JOIN org_units z ON z.id = l.zone_id JOIN investors i ON i.id = l.investor_id \
             WHERE l.id IN (\
             SELECT hl.id FROM first_talk_claims f JOIN investors hi ON hi.name_key = f.name_key \
             JOIN leads hl ON hl.investor_id = hi.id JOIN org_units hz ON hz.id = hl.zone_id \
             WHERE f.zone_id <> hl.zone_id AND hz.path LIKE f.province_path || '%' \
             UNION SELECT hl.id FROM first_talk_claims f JOIN investors hi ON hi.credit_code = f.credit_code \
             JOIN leads hl ON hl.investor_id = hi.id JOIN org_units hz ON hz.id = hl.zone_id \
             WHERE f.zone_id <> hl.zone_id AND hz.path LIKE f.province_path || '%') AND ",
        );
        lead_filter(&mut q, sight, filter, true);
        q.push(" GROUP BY l.stage");
        let held = by_stage(q.query().fetch_all(&self.pool).await?)?;
        Ok((every, held))
    }

    /// A zone's signed leads (id, name, investor): what a capital increase
    /// (增资扩产) may add to.
    pub async fn signed_leads(&self, zone_id: i64) -> Result<Vec<(i64, String, String)>> {
        let signed = LeadStage::PIPELINE
            .iter()
            .filter(|s| s.is_signed())
            .map(|s| s.code());
        let mut q = Sql::new(
            "SELECT l.id, l.name, i.name FROM leads l JOIN investors i ON i.id = l.investor_id WHERE l.zone_id = ",
        );
        q.bind(zone_id)
            .push(" AND ")
            .any_of("l.stage", signed)
            .push(" ORDER BY l.signed_on DESC, l.id DESC");
        Ok(q.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .collect::<sqlx::Result<Vec<_>>>()?)
    }

    pub async fn lead_members(&self, lead_id: i64) -> Result<Vec<LeadMember>> {
        Ok(sqlx::query_as::<_, LeadMember>(
            "SELECT m.user_id, u.display_name FROM lead_members m JOIN users u ON u.id = m.user_id \
             WHERE m.lead_id = $1 ORDER BY u.display_name, m.user_id",
        )
        .bind(lead_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn lead_history(&self, lead_id: i64) -> Result<Vec<LeadStageChange>> {
        Ok(sqlx::query_as::<_, LeadStageChange>(
            "SELECT from_stage, to_stage, on_date, note, changed_by, changed_at FROM lead_stage_changes \
             WHERE lead_id = $1 ORDER BY changed_at, id",
        )
        .bind(lead_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A new lead, at 线索 from its registration day, on record.
    pub async fn create_lead(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        input: &LeadInput,
    ) -> Result<Lead> {
        let mut tx = self.begin_write().await?;
        zone_within(&mut tx, proof, input.zone_id).await?;
        check_references(&mut tx, input, None).await?;
        if let Some(user) = proof.only_of() {
            // One person's proof: the lead is theirs, as owner or member.
            within(input.owner_id == Some(user) || input.members.contains(&user))?;
        }
        let now = now_ms();
        let registered = day(input.registered_on);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO leads (zone_id, name, investor_id, industry_chain_id, chain_node, investment, \
             land_mu_hundredths, energy_tce, expected_output, expected_tax, expected_jobs, source, referrer, \
             owner_id, task_force, stage, stage_since, registered_on, last_touch_on, created_at, updated_at, increase_of) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17, $18, $18, $19) \
             RETURNING id",
        )
        .bind(input.zone_id)
        .bind(&input.name)
        .bind(input.investor_id)
        .bind(input.industry_chain_id)
        .bind(&input.chain_node)
        .bind(input.investment.yuan())
        .bind(input.land.map(Mu::hundredths))
        .bind(input.energy_tce)
        .bind(input.expected_output.map(Money::yuan))
        .bind(input.expected_tax.map(Money::yuan))
        .bind(input.expected_jobs)
        .bind(input.source.code())
        .bind(&input.referrer)
        .bind(input.owner_id)
        .bind(&input.task_force)
        .bind(LeadStage::Clue.code())
        .bind(&registered)
        .bind(now)
        .bind(input.increase_of)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO lead_stage_changes (zone_id, lead_id, from_stage, to_stage, on_date, changed_by, changed_at) \
             VALUES ($1, $2, NULL, $3, $4, $5, $6)",
        )
        .bind(input.zone_id)
        .bind(id)
        .bind(LeadStage::Clue.code())
        .bind(&registered)
        .bind(&actor.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let created = fetch_unscoped(&mut tx, id).await?;
        write_members(&mut tx, &created, &input.members).await?;
        audit_lead(&mut tx, actor, AuditAction::Create, None, &created).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Saves what was typed about a lead at `expected_version`; its stage
    /// moves only by [`Store::move_lead`]. A lead stays in its zone.
    pub async fn update_lead(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
        input: &LeadInput,
    ) -> Result<Lead> {
        let mut tx = self.begin_write().await?;
        let before = lead_within(&mut tx, proof, id).await?;
        let input = LeadInput {
            zone_id: before.zone_id,
            ..input.clone()
        };
        check_references(&mut tx, &input, Some(id)).await?;
        crate::versioned::one_row(
            sqlx::query(
                "UPDATE leads SET name = $1, investor_id = $2, industry_chain_id = $3, chain_node = $4, \
                 investment = $5, land_mu_hundredths = $6, energy_tce = $7, expected_output = $8, \
                 expected_tax = $9, expected_jobs = $10, source = $11, referrer = $12, owner_id = $13, \
                 task_force = $14, registered_on = $15, version = version + 1, updated_at = $16, \
                 increase_of = $19 WHERE id = $17 AND version = $18",
            )
            .bind(&input.name)
            .bind(input.investor_id)
            .bind(input.industry_chain_id)
            .bind(&input.chain_node)
            .bind(input.investment.yuan())
            .bind(input.land.map(Mu::hundredths))
            .bind(input.energy_tce)
            .bind(input.expected_output.map(Money::yuan))
            .bind(input.expected_tax.map(Money::yuan))
            .bind(input.expected_jobs)
            .bind(input.source.code())
            .bind(&input.referrer)
            .bind(input.owner_id)
            .bind(&input.task_force)
            .bind(day(input.registered_on))
            .bind(now_ms())
            .bind(id)
            .bind(expected_version)
            .bind(input.increase_of)
            .execute(&mut *tx)
            .await?,
        )?;
        if before.first_talk && before.investor_id != input.investor_id {
            super::first_talk::refresh_claims(&mut tx, &[id]).await?;
        }
        let after = fetch_unscoped(&mut tx, id).await?;
        write_members(&mut tx, &after, &input.members).await?;
        audit_lead(&mut tx, actor, AuditAction::Update, Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a lead to another stage at `expected_version`, keeping the facts
    /// the move brings and the move itself on record. The caller has checked
    /// the move against the stage rules with the lead as it read it; the
    /// version makes sure it is still that lead.
    pub async fn move_lead(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
        step: &StageMove,
    ) -> Result<Lead> {
        let mut tx = self.begin_write().await?;
        let before = lead_within(&mut tx, proof, id).await?;
        let left_at = match step.to {
            LeadStage::Terminated => Some(before.stage.code()),
            _ => None,
        };
        crate::versioned::one_row(
            sqlx::query(
                "UPDATE leads SET stage = $1, stage_since = $2, left_at = $3, \
                 signed_on = COALESCE($4, signed_on), signed_amount = COALESCE($5, signed_amount), \
                 agreement = COALESCE($6, agreement), agreement_docs = COALESCE($7, agreement_docs), \
                 enterprise_name = COALESCE($8, enterprise_name), \
                 enterprise_credit_code = COALESCE($9, enterprise_credit_code), \
                 started_on = COALESCE($10, started_on), produced_on = COALESCE($11, produced_on), \
                 terminated_reason = $12, \
                 last_touch_on = CASE WHEN last_touch_on < $2 THEN $2 ELSE last_touch_on END, \
                 version = version + 1, updated_at = $13 WHERE id = $14 AND version = $15",
            )
            .bind(step.to.code())
            .bind(day(step.on))
            .bind(left_at)
            .bind(step.signed_on.map(day))
            .bind(step.signed_amount.map(Money::yuan))
            .bind(step.agreement.map(|a| a.code()))
            .bind(&step.agreement_docs)
            .bind(&step.enterprise_name)
            .bind(step.enterprise_credit_code.as_ref().map(|c| c.as_str().to_owned()))
            .bind(step.started_on.map(day))
            .bind(step.produced_on.map(day))
            .bind(&step.terminated_reason)
            .bind(now_ms())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?,
        )?;
        sqlx::query(
            "INSERT INTO lead_stage_changes (zone_id, lead_id, from_stage, to_stage, on_date, note, changed_by, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(before.zone_id)
        .bind(id)
        .bind(before.stage.code())
        .bind(step.to.code())
        .bind(day(step.on))
        .bind(&step.note)
        .bind(&actor.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        if step.to == LeadStage::Terminated && before.first_talk {
            // An ended lead holds nothing: the investor is free in the province.
            super::first_talk::drop_claim(&mut tx, id).await?;
        }
        let after = fetch_unscoped(&mut tx, id).await?;
        audit_lead(&mut tx, actor, AuditAction::Update, Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// `counting`: for the funnel, over every stage, each project once if the
/// filter asks.
fn lead_filter(q: &mut Sql, sight: &LeadSight, filter: &LeadFilter, counting: bool) {
    lead_scope(q, sight);
    if let Some(zone) = filter.zone_id {
        q.push(" AND l.zone_id = ").bind(zone);
    }
    if let (false, Some(stage)) = (counting, filter.stage) {
        q.push(" AND l.stage = ").bind(stage.code());
    }
    if let Some(investor) = filter.investor_id {
        q.push(" AND l.investor_id = ").bind(investor);
    }
    if let Some(owner) = filter.owner_id {
        q.push(" AND l.owner_id = ").bind(owner);
    }
    if let Some(name) = &filter.name_contains {
        q.words_in(&["l.name", "i.name"], name);
    }
    if let Some(year) = filter.signed_in {
        q.push(" AND l.signed_on >= ")
            .bind(format!("{year}-01-01"))
            .push(" AND l.signed_on <= ")
            .bind(format!("{year}-12-31"))
            .push(" AND l.stage <> ")
            .bind(LeadStage::Terminated.code());
    }
    if let Some(year) = filter.started_in {
        q.push(" AND l.started_on >= ")
            .bind(format!("{year}-01-01"))
            .push(" AND l.started_on <= ")
            .bind(format!("{year}-12-31"));
    }
    if let Some(origin) = filter.origin {
        q.push(" AND i.origin = ").bind(origin.code());
    }
    if let Some(min) = filter.min_signed {
        q.push(" AND l.signed_amount >= ").bind(min.yuan());
    }
    if let Some(under) = &filter.under {
        q.push(" AND z.path LIKE ")
            .bind(format!("{}%", under.as_str()));
    }
}
