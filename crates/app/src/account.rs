//! The signed-in user's own account: their password and personal API tokens,
//! and the throttling of password checks (signing in and changing the
//! password) by client and by account. Every write here takes the caller's
//! own-account proof, so nobody changes another person's password or tokens
//! through these doors.

use kfq_domain::throttle::{self, Limits};
use kfq_domain::user::check_password_for;
use kfq_domain::validation::required_text;
use kfq_domain::{FieldErrors, Principal};
use kfq_store::{
    now_ms, verify_password, Actor, LoginFailures, NewApiToken, Store, FAILURES_KEPT_MS,
};

use crate::error::{Error, Result};
use crate::off_the_workers;
use crate::users::hash;

/// The longest name a token may be given (it labels the token in the list).
const TOKEN_NAME_CHARS: usize = 50;
/// A token lives this many days unless its maker chooses (1 to 365).
pub const TOKEN_DAYS_DEFAULT: i64 = 90;
pub const TOKEN_DAYS_MAX: i64 = 365;
/// How many of an account's recent failures are listed.
const FAILURES_LISTED: i64 = 10;

/// Whether a client may check a password for a login name now (known or
/// not: the answer is the same either way). `Error::Throttled` says how many
/// seconds to wait.
pub async fn check_throttle(
    store: &Store,
    limits: &Limits,
    username: &str,
    client: &str,
) -> Result<()> {
    let now = now_ms();
    let facts = store.failure_facts(username, client, limits, now).await?;
    match throttle::wait_ms(limits, &facts, now) {
        Some(wait) => {
            tracing::warn!(username = %username, client = %client, wait_ms = wait, "password checks throttled");
            Err(Error::Throttled(throttle::wait_seconds(wait)))
        }
        None => Ok(()),
    }
}

/// Changes the caller's own password after checking the current one, the
/// check throttled like signing in. Other sessions and every API token of
/// the account end; `keep_session` (the one the change was made from) stays
/// signed in.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    limits: &Limits,
    client: &str,
    current: String,
    new: String,
    keep_session: Option<&str>,
) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    let account = store.own_account(principal.user_id).await?;
    check_throttle(store, limits, &account.username, client).await?;
    let mut errors = FieldErrors::new();
    errors.check(
        "new_password",
        check_password_for(&new, &account.username, &account.display_name),
    );
    let (_, stored, _) = store
        .credentials(&account.username)
        .await?
        .ok_or(Error::NotFound)?;
    // Verifying is slow on purpose, like hashing.
    if off_the_workers(move || verify_password(&current, &stored)).await? {
        store
            .clear_login_failures(&account.username, client)
            .await?;
    } else {
        store
            .record_login_failure(&account.username, client, "password")
            .await?;
        errors.add("current_password", "error.password.wrong");
    }
    errors.into_result()?;
    let hashed = hash(new).await?;
    Ok(store
        .set_own_password(actor, &proof, principal.user_id, &hashed, keep_session)
        .await?)
}

/// The caller's own failed password checks of the last 30 days.
pub async fn own_failures(store: &Store, principal: &Principal) -> Result<LoginFailures> {
    let account = store.own_account(principal.user_id).await?;
    failures_of(store, &account.username).await
}

pub(crate) async fn failures_of(store: &Store, username: &str) -> Result<LoginFailures> {
    Ok(store
        .login_failures_of(username, now_ms() - FAILURES_KEPT_MS, FAILURES_LISTED)
        .await?)
}

/// A personal API token for the caller, living `days` (1 to 365, 90 if not
/// chosen); its secret is in the answer only.
pub async fn create_token(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    name: &str,
    days: Option<i64>,
) -> Result<NewApiToken> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(name, TOKEN_NAME_CHARS));
    let days = days.unwrap_or(TOKEN_DAYS_DEFAULT);
    if !(1..=TOKEN_DAYS_MAX).contains(&days) {
        errors.add("expires_in_days", "error.token_days");
    }
    errors.into_result()?;
    let expires_at = now_ms() + days * 86_400_000;
    Ok(store
        .create_api_token(
            actor,
            &proof,
            principal.user_id,
            &name.unwrap_or_default(),
            Some(expires_at),
        )
        .await?)
}

/// Revokes one of the caller's tokens; another's is not found.
pub async fn revoke_token(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    token_id: i64,
) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    Ok(store
        .revoke_api_token(actor, &proof, principal.user_id, token_id)
        .await?)
}
