//! Org units: the province → city → county → zone → department tree.

use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, OrgKind, OrgPath, UnitAdmin, Visibility, ZoneLevel, ZoneType};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::{Paged, Sql};
use crate::versioned::{claim, delete_claimed, one_row, refuse_if_referred};
use crate::{now_ms, within, Page, Store};

/// An org unit as read, its codes in their domain types (see [`crate::decode`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnit {
    pub id: i64,
    pub parent_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: OrgKind,
    pub name: String,
    pub code: Option<String>,
    pub path: String,
    pub zone_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub zone_level: Option<ZoneLevel>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub zone_type: Option<ZoneType>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for OrgUnit {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(OrgUnit {
            id: row.try_get("id")?,
            parent_id: row.try_get("parent_id")?,
            kind: crate::decode::code(row, "kind")?,
            name: row.try_get("name")?,
            code: row.try_get("code")?,
            path: row.try_get("path")?,
            zone_id: row.try_get("zone_id")?,
            zone_level: crate::decode::opt_code(row, "zone_level")?,
            zone_type: crate::decode::opt_code(row, "zone_type")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl OrgUnit {
    pub fn kind(&self) -> OrgKind {
        self.kind
    }

    pub fn org_path(&self) -> OrgPath {
        OrgPath::parse(&self.path).unwrap_or_else(|_| OrgPath::root_of(self.id))
    }
}

/// A new unit, or the editable fields of one (kind and parent never change:
/// moving a unit would move its history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgInput {
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub name: String,
    pub code: Option<String>,
    pub zone_level: Option<ZoneLevel>,
    pub zone_type: Option<ZoneType>,
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub parent_id: Option<i64>,
    pub kind: Option<OrgKind>,
    pub name_contains: Option<String>,
}

const COLUMNS: &str =
    "o.id, o.parent_id, o.kind, o.name, o.code, o.path, o.zone_id, o.zone_level, o.zone_type, \
                       o.version, o.created_at, o.updated_at";

async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<OrgUnit> {
    sqlx::query_as::<_, OrgUnit>(&format!(
        "SELECT {COLUMNS} FROM org_units o WHERE o.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)
}

fn check_shape(input: &OrgInput, parent: Option<&OrgUnit>) -> Result<()> {
    let mut errors = FieldErrors::new();
    match parent {
        Some(parent) if !parent.kind().may_contain(input.kind) => {
            errors.add("parent_id", "error.org.parent_kind")
        }
        None if !input.kind.may_be_root() => errors.add("parent_id", "error.required"),
        _ => {}
    }
    if input.kind == OrgKind::Zone {
        if input.code.is_none() {
            errors.add("code", "error.required");
        }
        if input.zone_level.is_none() {
            errors.add("zone_level", "error.required");
        }
        if input.zone_type.is_none() {
            errors.add("zone_type", "error.required");
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

impl Store {
    /// One unit, if the caller may see it.
    pub async fn org(&self, visibility: &Visibility, id: i64) -> Result<OrgUnit> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM org_units o WHERE o.id = "));
        sql.bind(id).push(" AND ").scope(visibility, "o.path", None);
        sql.query_as::<OrgUnit>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A unit by its code, whatever the scope: for the command line and imports.
    pub async fn org_by_code_unscoped(&self, code: &str) -> Result<OrgUnit> {
        sqlx::query_as::<_, OrgUnit>(&format!(
            "SELECT {COLUMNS} FROM org_units o WHERE o.code = $1"
        ))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    /// The units the caller may see, in tree order.
    pub async fn orgs(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<OrgUnit>> {
        let list = Paged {
            from: "org_units o",
            columns: COLUMNS,
            order: "o.path",
        };
        let filter = |q: &mut Sql| {
            q.scope(visibility, "o.path", None);
            if let Some(parent) = filter.parent_id {
                q.push(" AND o.parent_id = ").bind(parent);
            }
            if let Some(kind) = filter.kind {
                q.push(" AND o.kind = ").bind(kind.code());
            }
            if let Some(name) = &filter.name_contains {
                q.words_in(&["o.name"], name);
            }
        };
        list.fetch(&self.pool, filter, offset, limit).await
    }

    /// Every unit the caller may see, in tree order (for pickers and the tree view).
    pub async fn org_tree(&self, visibility: &Visibility) -> Result<Vec<OrgUnit>> {
        Ok(self
            .orgs(visibility, &OrgFilter::default(), 0, 100_000)
            .await?
            .items)
    }

    /// Creates a unit under a parent `proof` covers (a province: a proof
    /// that covers everything).
    pub async fn create_org(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        input: &OrgInput,
    ) -> Result<OrgUnit> {
        let mut tx = self.begin_write().await?;
        let parent = match input.parent_id {
            Some(id) => Some(fetch_unscoped(&mut tx, id).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::Invalid(FieldErrors::single(
                    "parent_id",
                    "error.org.parent_missing",
                )),
                other => other,
            })?),
            None => None,
        };
        within(
            proof.may_shape(input.kind)
                && parent
                    .as_ref()
                    .map_or(proof.covers_everything(), |p| proof.covers(&p.org_path())),
        )?;
        check_shape(input, parent.as_ref())?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO org_units (parent_id, kind, name, code, path, zone_level, zone_type, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, '', $5, $6, $7, $7) RETURNING id",
        )
        .bind(input.parent_id)
        .bind(input.kind.code())
        .bind(&input.name)
        .bind(&input.code)
        .bind(input.zone_level.map(|l| l.code()))
        .bind(input.zone_type.map(|t| t.code()))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        ?;
        let path = match &parent {
            Some(parent) => parent.org_path().child(id),
            None => OrgPath::root_of(id),
        };
        let zone_id = match input.kind {
            OrgKind::Zone => Some(id),
            _ => parent.as_ref().and_then(|p| p.zone_id),
        };
        sqlx::query("UPDATE org_units SET path = $1, zone_id = $2 WHERE id = $3")
            .bind(path.as_str())
            .bind(zone_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let created = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "org_unit",
                entity_id: id,
                zone_id,
                scope_path: &path,
                before: None,
                after: Some(&created),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes name, code and zone fields, if nobody changed the unit since
    /// the caller read `expected_version`.
    pub async fn update_org(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        id: i64,
        expected_version: i64,
        input: &OrgInput,
    ) -> Result<OrgUnit> {
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&before.org_path()) && proof.may_shape(before.kind()))?;
        let parent = match before.parent_id {
            Some(pid) => Some(fetch_unscoped(&mut tx, pid).await?),
            None => None,
        };
        let input = OrgInput {
            kind: before.kind(),
            parent_id: before.parent_id,
            ..input.clone()
        };
        check_shape(&input, parent.as_ref())?;
        one_row(
            sqlx::query(
                "UPDATE org_units SET name = $1, code = $2, zone_level = $3, zone_type = $4, \
             version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7",
            )
            .bind(&input.name)
            .bind(&input.code)
            .bind(input.zone_level.map(|l| l.code()))
            .bind(input.zone_type.map(|t| t.code()))
            .bind(now_ms())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?,
        )?;
        let after = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "org_unit",
                entity_id: id,
                zone_id: after.zone_id,
                scope_path: &after.org_path(),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes an empty unit (no sub-units, accounts or enterprises).
    pub async fn delete_org(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let unit = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&unit.org_path()) && proof.may_shape(unit.kind()))?;
        claim(&mut tx, "org_units", id, expected_version).await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        let dependants: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM org_units WHERE parent_id = $1) \
                  + (SELECT COUNT(*) FROM users WHERE org_unit_id = $1) \
                  + (SELECT COUNT(*) FROM enterprises WHERE zone_id = $1)",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        refuse_if_referred(dependants, "error.org.not_empty")?;
        delete_claimed(
            &mut tx,
            actor,
            ("org_units", "org_unit"),
            id,
            (before.zone_id, &before.org_path()),
            &before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
