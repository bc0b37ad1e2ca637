//! Economic indicators: the catalogue, each zone's monthly figures (every
//! revision kept, so what a month's bulletin showed can be rebuilt), yearly
//! targets and the warning rules. Figures are stored as given — integers in
//! ten-thousandths of the unit; the maths lives in `kfq-indicators`.

use kfq_domain::audit::AuditAction;
use kfq_domain::{OrgPath, Oversight, UnitAdmin, UnitWrite, Visibility, ZoneWrite};
use serde::Serialize;

use crate::audit::{record, Actor, Change};
use crate::copy_out::{CopyRow, Fields, Transport};
use crate::error::{Result, StoreError};
use crate::sql::{in_list, Sql, Value};
use crate::{now_ms, unit_within, within, Store};

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub roll_up: String,
    pub direction: String,
    pub sort: i64,
    /// One of the province's standard set (not removable).
    pub standard: i64,
}

/// A new indicator, already checked.
#[derive(Debug, Clone)]
pub struct IndicatorInput {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub roll_up: String,
    pub direction: String,
}

/// A zone's figure for one indicator and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorValue {
    pub zone_id: i64,
    pub indicator_id: i64,
    pub year: i64,
    pub month: i64,
    /// Ten-thousandths of the unit.
    pub value: i64,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    /// 1 for the first report; each correction adds one.
    pub revision: i64,
    pub source: String,
    pub actor_name: String,
    pub at: i64,
}

/// A figure to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureInput {
    pub indicator_id: i64,
    pub year: i32,
    pub month: u32,
    pub value: i64,
    pub parts: Option<(i64, i64)>,
}

/// A zone's target for one indicator and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorTarget {
    pub zone_id: i64,
    pub indicator_id: i64,
    pub year: i64,
    /// Ten-thousandths of the unit.
    pub annual: Option<i64>,
    pub growth_tenths: Option<i64>,
}

/// A figure as a board reads it: numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct BoardFigure {
    pub zone_id: i64,
    pub indicator_id: i64,
    pub year: i64,
    pub month: i64,
    pub value: i64,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
}

impl CopyRow for BoardFigure {
    fn from_fields(fields: &mut Fields<'_>) -> Option<Self> {
        Some(BoardFigure {
            zone_id: fields.next()?,
            indicator_id: fields.next()?,
            year: fields.next()?,
            month: fields.next()?,
            value: fields.next()?,
            numerator: fields.next()?,
            denominator: fields.next()?,
        })
    }
}

/// Which figures to read.
#[derive(Debug, Clone, Default)]
pub struct ValueFilter {
    pub zone_id: Option<i64>,
    pub indicator_id: Option<i64>,
    /// (year, month) inclusive bounds.
    pub from: Option<(i32, u32)>,
    pub to: Option<(i32, u32)>,
    /// The figures as they stood at this instant (ms), from the revisions.
    pub as_of: Option<i64>,
}

const VALUE_COLUMNS: &str =
    "v.zone_id, v.indicator_id, v.year, v.month, v.value, v.numerator, v.denominator, \
     v.revision, v.source, v.actor_name, v.at";

/// How a revision is recorded in the audit trail.
#[derive(Serialize)]
struct Recorded<'a> {
    indicator: &'a str,
    year: i32,
    month: u32,
    value: i64,
    numerator: Option<i64>,
    denominator: Option<i64>,
    revision: i64,
    source: &'a str,
}

impl Store {
    pub async fn indicators(&self) -> Result<Vec<IndicatorRow>> {
        Ok(sqlx::query_as(
            "SELECT id, code, name, unit, kind, roll_up, direction, sort, standard FROM indicators ORDER BY sort, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds an indicator to the catalogue (administrators).
    pub async fn add_indicator(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        input: &IndicatorInput,
    ) -> Result<IndicatorRow> {
        // The catalogue is every zone's: only a proof for everything.
        within(proof.covers_everything())?;
        let mut tx = self.begin_write().await?;
        let sort: Option<i64> =
            sqlx::query_scalar("SELECT CAST(MAX(sort) AS BIGINT) FROM indicators")
                .fetch_one(&mut *tx)
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO indicators (code, name, unit, kind, roll_up, direction, sort, standard, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8) RETURNING id",
        )
        .bind(&input.code)
        .bind(&input.name)
        .bind(&input.unit)
        .bind(&input.kind)
        .bind(&input.roll_up)
        .bind(&input.direction)
        .bind(sort.unwrap_or(0) + 1)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        ?;
        let row: IndicatorRow = sqlx::query_as(
            "SELECT id, code, name, unit, kind, roll_up, direction, sort, standard FROM indicators WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "indicator",
                entity_id: id,
                zone_id: None,
                scope_path: &OrgPath::root_of(0),
                before: None,
                after: Some(&row),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Records a zone's figures (a form, a sheet or the API), all in one
    /// transaction. A figure that differs from the one held is a revision;
    /// an identical one changes nothing. Returns how many changed.
    pub async fn record_figures(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        zone: (i64, &OrgPath),
        figures: &[FigureInput],
        source: &str,
    ) -> Result<usize> {
        let zones = [(zone.0, zone.1.clone(), figures.to_vec())];
        self.record_many(actor, |path| proof.covers(path), &zones, source)
            .await
    }

    /// Records figures of several zones (a statistics table, brought by a
    /// zone or by the supervisors above it) in one transaction: all or none.
    pub async fn record_zones_figures(
        &self,
        actor: &Actor,
        proof: &UnitWrite,
        zones: &[(i64, OrgPath, Vec<FigureInput>)],
        source: &str,
    ) -> Result<usize> {
        self.record_many(actor, |path| proof.covers(path), zones, source)
            .await
    }

    async fn record_many(
        &self,
        actor: &Actor,
        covers: impl Fn(&OrgPath) -> bool,
        zones: &[(i64, OrgPath, Vec<FigureInput>)],
        source: &str,
    ) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let mut changed = 0;
        for (zone_id, _, figures) in zones {
            // Filed under the zone as stored, which the proof must cover.
            let zone_path = unit_within(&mut tx, *zone_id, &covers).await?;
            changed += record_in(&mut tx, actor, (*zone_id, &zone_path), figures, source).await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Figures within `visibility` (now, or as they stood at `as_of`).
    pub async fn indicator_values(
        &self,
        visibility: &Visibility,
        filter: &ValueFilter,
    ) -> Result<Vec<IndicatorValue>> {
        let mut q = match filter.as_of {
            None => Sql::new(&format!(
                "SELECT {VALUE_COLUMNS} FROM indicator_values v JOIN org_units z ON z.id = v.zone_id WHERE "
            )),
            Some(at) => {
                // The latest revision of each figure made by then.
                let mut q = Sql::new(&format!(
                    "SELECT {VALUE_COLUMNS} FROM indicator_revisions v JOIN org_units z ON z.id = v.zone_id \
                     WHERE v.at <= "
                ));
                q.bind(at).push(
                    " AND NOT EXISTS (SELECT 1 FROM indicator_revisions later WHERE later.zone_id = v.zone_id \
                     AND later.indicator_id = v.indicator_id AND later.year = v.year AND later.month = v.month \
                     AND later.revision > v.revision AND later.at <= ",
                );
                q.bind(at).push(") AND ");
                q
            }
        };
        q.scope(visibility, "z.path", None);
        if let Some(zone) = filter.zone_id {
            q.push(" AND v.zone_id = ").bind(zone);
        }
        if let Some(indicator) = filter.indicator_id {
            q.push(" AND v.indicator_id = ").bind(indicator);
        }
        if let Some((year, month)) = filter.from {
            q.push(" AND v.year * 100 + v.month >= ")
                .bind(i64::from(year) * 100 + i64::from(month));
        }
        if let Some((year, month)) = filter.to {
            q.push(" AND v.year * 100 + v.month <= ")
                .bind(i64::from(year) * 100 + i64::from(month));
        }
        q.push(" ORDER BY v.zone_id, v.indicator_id, v.year, v.month");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// The current figures of `zones` from `from` to `to` (inclusive), lean:
    /// a province's board reads tens of thousands of them per request.
    pub async fn board_figures(
        &self,
        zones: &[i64],
        from: (i32, u32),
        to: (i32, u32),
    ) -> Result<Vec<BoardFigure>> {
        self.board_figures_via(zones, from, to, Transport::Auto)
            .await
    }

    /// [`Store::board_figures`] sent as `transport` says (the tests hold
    /// the transports to the same figures).
    #[doc(hidden)]
    pub async fn board_figures_via(
        &self,
        zones: &[i64],
        from: (i32, u32),
        to: (i32, u32),
        transport: Transport,
    ) -> Result<Vec<BoardFigure>> {
        if transport.for_zones(zones.len()) == Transport::Copy {
            // A province's or the country's figures (575,000 for 2,500
            // zones): by COPY, or rusqlite, with the zones inlined.
            let sql = format!(
                "SELECT zone_id, indicator_id, year, month, value, numerator, denominator \
                 FROM indicator_values WHERE {} AND year >= $1 AND year <= $2 \
                 AND (year > $1 OR month >= $3) AND (year < $2 OR month <= $4)",
                in_list("zone_id", zones)
            );
            let bounds = [
                i64::from(from.0),
                i64::from(to.0),
                i64::from(from.1),
                i64::from(to.1),
            ]
            .map(Value::Int);
            return self.bulk_rows(&sql, &bounds, Transport::Copy).await;
        }
        let mut figures = Vec::new();
        for chunk in zones.chunks(500) {
            let mut q = Sql::new(
                "SELECT zone_id, indicator_id, year, month, value, numerator, denominator FROM indicator_values \
                 WHERE zone_id IN (",
            );
            for (n, zone) in chunk.iter().enumerate() {
                if n > 0 {
                    q.push(", ");
                }
                q.bind(*zone);
            }
            // Whole years between, the months of the first and last: ranges
            // the (zone, indicator, year, month) index can read.
            q.push(") AND year >= ")
                .bind(i64::from(from.0))
                .push(" AND year <= ")
                .bind(i64::from(to.0))
                .push(" AND (year > ")
                .bind(i64::from(from.0))
                .push(" OR month >= ")
                .bind(i64::from(from.1))
                .push(") AND (year < ")
                .bind(i64::from(to.0))
                .push(" OR month <= ")
                .bind(i64::from(to.1))
                .push(")");
            figures.extend(q.query_as::<BoardFigure>().fetch_all(&self.pool).await?);
        }
        Ok(figures)
    }

    /// Every version of one figure, oldest first.
    pub async fn figure_revisions(
        &self,
        visibility: &Visibility,
        zone_id: i64,
        indicator_id: i64,
        (year, month): (i32, u32),
    ) -> Result<Vec<IndicatorValue>> {
        let mut q = Sql::new(&format!(
            "SELECT {VALUE_COLUMNS} FROM indicator_revisions v JOIN org_units z ON z.id = v.zone_id WHERE "
        ));
        q.scope(visibility, "z.path", None)
            .push(" AND v.zone_id = ")
            .bind(zone_id)
            .push(" AND v.indicator_id = ")
            .bind(indicator_id)
            .push(" AND v.year = ")
            .bind(i64::from(year))
            .push(" AND v.month = ")
            .bind(i64::from(month))
            .push(" ORDER BY v.revision");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Sets a zone's targets for a year (one row per indicator; `None` for
    /// both clears it).
    pub async fn set_targets(
        &self,
        actor: &Actor,
        proof: &Oversight,
        (zone_id, _): (i64, &OrgPath),
        year: i32,
        targets: &[(i64, Option<i64>, Option<i64>)],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let zone_path = &unit_within(&mut tx, zone_id, |path| proof.covers(path)).await?;
        for &(indicator_id, annual, growth_tenths) in targets {
            let before: Option<IndicatorTarget> = sqlx::query_as(
                "SELECT zone_id, indicator_id, year, annual, growth_tenths FROM indicator_targets \
                 WHERE zone_id = $1 AND indicator_id = $2 AND year = $3",
            )
            .bind(zone_id)
            .bind(indicator_id)
            .bind(i64::from(year))
            .fetch_optional(&mut *tx)
            .await?;
            let after = IndicatorTarget {
                zone_id,
                indicator_id,
                year: i64::from(year),
                annual,
                growth_tenths,
            };
            if before.as_ref() == Some(&after)
                || (before.is_none() && annual.is_none() && growth_tenths.is_none())
            {
                continue;
            }
            sqlx::query("DELETE FROM indicator_targets WHERE zone_id = $1 AND indicator_id = $2 AND year = $3")
                .bind(zone_id)
                .bind(indicator_id)
                .bind(i64::from(year))
                .execute(&mut *tx)
                .await?;
            if annual.is_some() || growth_tenths.is_some() {
                sqlx::query(
                    "INSERT INTO indicator_targets (zone_id, indicator_id, year, annual, growth_tenths, actor_name, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(zone_id)
                .bind(indicator_id)
                .bind(i64::from(year))
                .bind(annual)
                .bind(growth_tenths)
                .bind(&actor.name)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            }
            record(
                &mut tx,
                actor,
                Change {
                    action: if before.is_some() {
                        AuditAction::Update
                    } else {
                        AuditAction::Create
                    },
                    entity: "indicator_target",
                    entity_id: indicator_id,
                    zone_id: Some(zone_id),
                    scope_path: zone_path,
                    before: before.as_ref(),
                    after: Some(&after),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn indicator_targets(
        &self,
        visibility: &Visibility,
        year: i32,
        zone_id: Option<i64>,
    ) -> Result<Vec<IndicatorTarget>> {
        let mut q = Sql::new(
            "SELECT t.zone_id, t.indicator_id, t.year, t.annual, t.growth_tenths FROM indicator_targets t \
             JOIN org_units z ON z.id = t.zone_id WHERE ",
        );
        q.scope(visibility, "z.path", None)
            .push(" AND t.year = ")
            .bind(i64::from(year));
        if let Some(zone) = zone_id {
            q.push(" AND t.zone_id = ").bind(zone);
        }
        q.push(" ORDER BY t.zone_id, t.indicator_id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Changes whenever any audited data changes (figures, targets, rules,
    /// the catalogue, the org tree, the ledger, an issued report): each
    /// audit record moves its chain's head one on, so the sum of the heads
    /// only ever grows; so does the count of status refreshes, the one
    /// derived change made without an audit record.
    pub async fn audit_stamp(&self) -> Result<String> {
        let row: (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(CAST(SUM(seq) AS BIGINT), 0), \
             (SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM refresh_counts) FROM audit_heads",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(format!("{}/{}/{}", row.0, row.1, row.2))
    }

    /// The warning rules as JSON (none: the defaults apply).
    pub async fn warning_rules(&self) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT rules FROM warning_rules WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn set_warning_rules(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        rules_json: &str,
    ) -> Result<()> {
        // The rules are every zone's: only a proof for everything.
        within(proof.covers_everything())?;
        let mut tx = self.begin_write().await?;
        let before: Option<String> =
            sqlx::query_scalar("SELECT rules FROM warning_rules WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO warning_rules (id, rules, updated_by, updated_at) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(rules_json)
        .bind(&actor.name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or_default();
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "warning_rules",
                entity_id: 1,
                zone_id: None,
                scope_path: &OrgPath::root_of(0),
                before: before.as_deref().map(parse).as_ref(),
                after: Some(&parse(rules_json)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Records one zone's figures within the caller's transaction.
async fn record_in(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    (zone_id, zone_path): (i64, &OrgPath),
    figures: &[FigureInput],
    source: &str,
) -> Result<usize> {
    let mut changed = 0;
    let now = now_ms();
    for f in figures {
        let code: String = sqlx::query_scalar("SELECT code FROM indicators WHERE id = $1")
            .bind(f.indicator_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let held: Option<(i64, Option<i64>, Option<i64>, i64)> = sqlx::query_as(
            "SELECT value, numerator, denominator, revision FROM indicator_values \
                 WHERE zone_id = $1 AND indicator_id = $2 AND year = $3 AND month = $4",
        )
        .bind(zone_id)
        .bind(f.indicator_id)
        .bind(i64::from(f.year))
        .bind(i64::from(f.month))
        .fetch_optional(&mut *conn)
        .await?;
        let (numerator, denominator) = f.parts.unzip();
        let revision = match held {
            Some((value, n, d, _)) if value == f.value && n == numerator && d == denominator => {
                continue
            }
            Some((_, _, _, revision)) => {
                sqlx::query(
                        "UPDATE indicator_values SET value = $1, numerator = $2, denominator = $3, revision = $4, \
                         source = $5, actor_name = $6, at = $7 \
                         WHERE zone_id = $8 AND indicator_id = $9 AND year = $10 AND month = $11",
                    )
                    .bind(f.value)
                    .bind(numerator)
                    .bind(denominator)
                    .bind(revision + 1)
                    .bind(source)
                    .bind(&actor.name)
                    .bind(now)
                    .bind(zone_id)
                    .bind(f.indicator_id)
                    .bind(i64::from(f.year))
                    .bind(i64::from(f.month))
                    .execute(&mut *conn)
                    .await?;
                revision + 1
            }
            None => {
                sqlx::query(
                        "INSERT INTO indicator_values (zone_id, indicator_id, year, month, value, numerator, \
                         denominator, revision, source, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10)",
                    )
                    .bind(zone_id)
                    .bind(f.indicator_id)
                    .bind(i64::from(f.year))
                    .bind(i64::from(f.month))
                    .bind(f.value)
                    .bind(numerator)
                    .bind(denominator)
                    .bind(source)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                1
            }
        };
        let id: i64 = sqlx::query_scalar(
                "INSERT INTO indicator_revisions (zone_id, indicator_id, year, month, revision, value, numerator, \
                 denominator, source, actor_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(zone_id)
            .bind(f.indicator_id)
            .bind(i64::from(f.year))
            .bind(i64::from(f.month))
            .bind(revision)
            .bind(f.value)
            .bind(numerator)
            .bind(denominator)
            .bind(source)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
        let before = held.map(|(value, numerator, denominator, revision)| Recorded {
            indicator: &code,
            year: f.year,
            month: f.month,
            value,
            numerator,
            denominator,
            revision,
            source,
        });
        let after = Recorded {
            indicator: &code,
            year: f.year,
            month: f.month,
            value: f.value,
            numerator,
            denominator,
            revision,
            source,
        };
        record(
            &mut *conn,
            actor,
            Change {
                action: if held.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: "indicator_value",
                entity_id: id,
                zone_id: Some(zone_id),
                scope_path: zone_path,
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        changed += 1;
    }
    Ok(changed)
}
