//! The organisation tree (province, city, county, zone, department) as use
//! cases: a unit added under one the caller administers, edited at its
//! version, deleted when empty. The domain's `UnitAdmin` rule decides, and
//! within a zone it lets a zone administrator shape departments only.

use kfq_domain::{FieldErrors, Principal, UnitAdmin};
use kfq_store::{Actor, OrgInput, OrgUnit, Store};

use crate::error::{Error, Result};

/// A unit the caller sees and may edit or delete, with the proof of it.
#[derive(Debug, Clone)]
pub struct OrgTarget {
    org: OrgUnit,
    proof: UnitAdmin,
}

impl OrgTarget {
    /// Out of sight: not found; in sight but not the caller's to shape: forbidden.
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<OrgTarget> {
        let org = store.org(&principal.org_visibility(), id).await?;
        let proof = principal
            .unit_admin(&org.org_path())
            .filter(|p| p.may_shape(org.kind()))
            .ok_or(Error::Forbidden)?;
        Ok(OrgTarget { org, proof })
    }

    pub fn org(&self) -> &OrgUnit {
        &self.org
    }
}

/// Adds a unit under its parent (a province, which has none, only by the
/// system administrator).
pub async fn create(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    org: &OrgInput,
) -> Result<OrgUnit> {
    let proof = match org.parent_id {
        Some(parent_id) => {
            let parent = store
                .org(&principal.org_visibility(), parent_id)
                .await
                .map_err(|_| {
                    Error::Invalid(FieldErrors::single("parent_id", "error.org.parent_missing"))
                })?;
            principal
                .unit_admin(&parent.org_path())
                .filter(|p| p.may_shape(org.kind))
        }
        None if !org.kind.may_be_root() => {
            return Err(Error::Invalid(FieldErrors::single(
                "parent_id",
                "error.required",
            )));
        }
        None => principal.system_admin(),
    };
    let proof = proof.ok_or(Error::Forbidden)?;
    Ok(store.create_org(actor, &proof, org).await?)
}

pub async fn update(
    store: &Store,
    actor: &Actor,
    target: &OrgTarget,
    expected: i64,
    org: &OrgInput,
) -> Result<OrgUnit> {
    Ok(store
        .update_org(actor, &target.proof, target.org.id, expected, org)
        .await?)
}

/// Deletes the unit at `expected` version; one with units, people or
/// enterprises under it is refused by the store.
pub async fn delete(store: &Store, actor: &Actor, target: &OrgTarget, expected: i64) -> Result<()> {
    Ok(store
        .delete_org(actor, &target.proof, target.org.id, expected)
        .await?)
}
