//! Accounts as use cases: an account placed (a role at a unit) by someone
//! who administers that unit and may grant that role, edited at its version,
//! its password reset. The domain's `UnitAdmin` rule decides; passwords are
//! hashed off the async workers (slow on purpose).

use kfq_domain::{FieldErrors, Principal, Role, UnitAdmin};
use kfq_store::{
    hash_password, Actor, ApiToken, LoginFailures, OrgUnit, Store, User, UserInput, UserUpdate,
};

use crate::error::{Error, Result};
use crate::off_the_workers;

/// Where an account goes: its role at a unit (and, for an enterprise's
/// account, the enterprise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub role: Role,
    pub org_unit_id: i64,
    pub enterprise_id: Option<i64>,
}

/// The caller may place an account with this role at this unit: the proof.
/// A unit out of sight, or a role above what the caller may grant, is a field
/// error on the form's choice.
pub async fn placement_proof(
    store: &Store,
    principal: &Principal,
    placement: &Placement,
) -> Result<(OrgUnit, UnitAdmin)> {
    let unit = store
        .org(&principal.org_visibility(), placement.org_unit_id)
        .await
        .map_err(|_| {
            Error::Invalid(FieldErrors::single(
                "org_unit_id",
                "error.org.parent_missing",
            ))
        })?;
    let proof = principal
        .unit_admin(&unit.org_path())
        .filter(|p| p.may_grant(placement.role))
        .ok_or_else(|| Error::Invalid(FieldErrors::single("role", "error.role.not_allowed")))?;
    Ok((unit, proof))
}

/// Hashing is slow on purpose; keep it off the async workers.
pub async fn hash(password: String) -> Result<String> {
    off_the_workers(move || hash_password(&password)).await
}

/// An account the caller sees and may manage, with the proof of it.
#[derive(Debug, Clone)]
pub struct UserTarget {
    user: User,
    proof: UnitAdmin,
}

impl UserTarget {
    /// Out of sight: not found; in sight but not the caller's to manage: forbidden.
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<UserTarget> {
        let user = store.user(&principal.user_visibility(), id).await?;
        let proof = principal
            .unit_admin(&user.unit_org_path())
            .filter(|p| p.may_grant(user.role()))
            .ok_or(Error::Forbidden)?;
        Ok(UserTarget { user, proof })
    }

    pub fn user(&self) -> &User {
        &self.user
    }
}

pub async fn create(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    user: &UserInput,
    password: String,
) -> Result<User> {
    let placement = Placement {
        role: user.role,
        org_unit_id: user.org_unit_id,
        enterprise_id: user.enterprise_id,
    };
    let (_, proof) = placement_proof(store, principal, &placement).await?;
    let hash = hash(password).await?;
    Ok(store.create_user(actor, &proof, user, &hash).await?)
}

/// Saves the account at `expected` version. The proof is of where it goes (the
/// store checks it covers where it is, too), and nobody disables their own
/// account by accident.
pub async fn update(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    target: &UserTarget,
    expected: i64,
    update: &UserUpdate,
) -> Result<User> {
    let placement = Placement {
        role: update.role,
        org_unit_id: update.org_unit_id,
        enterprise_id: update.enterprise_id,
    };
    let (_, proof) = placement_proof(store, principal, &placement).await?;
    let update = UserUpdate {
        active: update.active || target.user.id == principal.user_id,
        ..update.clone()
    };
    Ok(store
        .update_user(actor, &proof, target.user.id, expected, &update)
        .await?)
}

/// Sets a new password for someone else's account, ending its sessions and
/// revoking its API tokens (the owner changes theirs
/// on the account page).
pub async fn reset_password(
    store: &Store,
    actor: &Actor,
    target: &UserTarget,
    password: String,
) -> Result<()> {
    let hash = hash(password).await?;
    store
        .set_password(actor, &target.proof, target.user.id, &hash)
        .await?;
    Ok(())
}

/// The live API tokens of an account the caller manages.
pub async fn tokens(store: &Store, target: &UserTarget) -> Result<Vec<ApiToken>> {
    Ok(store.api_tokens(target.user.id).await?)
}

/// Revokes a token of an account the caller manages (audited on the account).
pub async fn revoke_token(
    store: &Store,
    actor: &Actor,
    target: &UserTarget,
    token_id: i64,
) -> Result<()> {
    Ok(store
        .revoke_user_api_token(actor, &target.proof, target.user.id, token_id)
        .await?)
}

/// The failed password checks of an account the caller manages, last 30 days.
pub async fn failures(store: &Store, target: &UserTarget) -> Result<LoginFailures> {
    crate::account::failures_of(store, &target.user.username).await
}
