//! The signed-in user's own account: their password and personal API tokens.
//! Every write here takes the caller's own-account proof, so nobody changes
//! another person's password or tokens through these doors.

use kfq_domain::user::check_password;
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, Principal};
use kfq_store::{verify_password, Actor, NewApiToken, Store};

use crate::error::{Error, Result};
use crate::off_the_workers;
use crate::users::hash;

/// The longest name a token may be given (it labels the token in the list).
const TOKEN_NAME_CHARS: usize = 50;

/// Changes the caller's own password after checking the current one. Other
/// sessions and tokens of the account end; `keep_session` (the one the change
/// was made from) stays signed in.
pub async fn change_password(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    current: String,
    new: String,
    keep_session: Option<&str>,
) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    let mut errors = FieldErrors::new();
    errors.check("new_password", check_password(&new));
    let account = store.own_account(principal.user_id).await?;
    let (_, stored, _) = store
        .credentials(&account.username)
        .await?
        .ok_or(Error::NotFound)?;
    // Verifying is slow on purpose, like hashing.
    if !off_the_workers(move || verify_password(&current, &stored)).await? {
        errors.add("current_password", "error.password.wrong");
    }
    errors.into_result()?;
    let hashed = hash(new).await?;
    Ok(store
        .set_own_password(actor, &proof, principal.user_id, &hashed, keep_session)
        .await?)
}

/// A personal API token for the caller; its secret is in the answer only.
pub async fn create_token(store: &Store, principal: &Principal, name: &str) -> Result<NewApiToken> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    let name = required_text(name, TOKEN_NAME_CHARS)
        .map_err(|key| Error::Invalid(FieldErrors::single("name", key)))?;
    Ok(store
        .create_api_token(&proof, principal.user_id, &name, None)
        .await?)
}

/// Revokes one of the caller's tokens; another's is not found.
pub async fn revoke_token(store: &Store, principal: &Principal, token_id: i64) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    Ok(store
        .revoke_api_token(&proof, principal.user_id, token_id)
        .await?)
}
