//! Accounts: registration, password sign-in (argon2id), server-side sessions with a CSRF
//! token, API-token authentication, and the first operator account.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Duration;
use credence_domain::registry::{Email, Role};
use credence_domain::validate::{email_problem, text_problem};
use credence_domain::{AccountId, FormProblems};
use credence_store::registry::{AccountRow, SessionRow};
use credence_store::Tx;
use serde::Serialize;
use serde_json::json;

use crate::actor::{Actor, Grant};
use crate::desks::{AccountsDesk, HolderDesk, OperatorDesk};
use crate::registry::{audit, random_secret, sha256_hex, PasswordCost, Registry};
use crate::ServiceError;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (argon2 has no limit; this bounds the work per request).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A new account's details.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: Password,
}

/// A password in memory: zeroized on drop, never printed.
#[derive(Clone)]
pub struct Password(zeroize::Zeroizing<String>);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

impl<'de> serde::Deserialize<'de> for Password {
    /// Read straight from a request body, so the text never sits in a plain `String` of a
    /// type that prints it.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl Default for Password {
    fn default() -> Self {
        Self::new(String::new())
    }
}

impl Password {
    pub fn new(text: String) -> Self {
        Self(zeroize::Zeroizing::new(text))
    }

    fn expose(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An account as shown to its owner.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct AccountView {
    #[schema(value_type = String)]
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub is_operator: bool,
    pub did: Option<String>,
    pub portfolio_slug: Option<String>,
    pub portfolio_public: bool,
    /// Whether the public portfolio shows progress towards pathways.
    pub portfolio_show_progress: bool,
    /// The workforce archetypes the holder follows.
    pub archetypes: Vec<String>,
    pub roles: Vec<RoleView>,
    /// Whether the address was confirmed by the link sent to it (or the operator made the
    /// account).
    pub email_confirmed: bool,
}

/// A role as shown to its holder.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct RoleView {
    pub org: String,
    #[schema(value_type = crate::schemas::Role)]
    pub role: Role,
}

/// A new session: the cookie value (shown once) and its CSRF token.
#[derive(Clone)]
pub struct NewSession {
    pub cookie_value: String,
    pub csrf_token: String,
    pub account: AccountView,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("account", &self.account.id)
            .finish_non_exhaustive()
    }
}

/// The actor behind a session, and the session's CSRF token.
#[derive(Clone)]
pub struct SessionActor {
    pub actor: Actor,
    pub csrf_token: String,
}

impl std::fmt::Debug for SessionActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionActor")
            .field("actor", &self.actor)
            .field("csrf_token", &"[redacted]")
            .finish()
    }
}

fn argon2(cost: PasswordCost) -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, None)
        .map_err(ServiceError::wrap("setting the argon2 parameters"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The problem of a new password, if any.
pub(crate) fn password_problem(password: &Password) -> Option<String> {
    let n = password.expose().chars().count();
    if n == 0 {
        Some(format!(
            "Choose a password of at least {MIN_PASSWORD_CHARS} characters."
        ))
    } else if n < MIN_PASSWORD_CHARS {
        Some(format!(
            "Choose a longer password: it needs at least {MIN_PASSWORD_CHARS} characters and has {n}."
        ))
    } else if n > MAX_PASSWORD_CHARS {
        Some(format!(
            "Choose a shorter password: it may have at most {MAX_PASSWORD_CHARS} characters."
        ))
    } else {
        None
    }
}

/// Hashes a password with argon2id on a blocking thread (it takes tens of milliseconds).
pub(crate) async fn hash_password(
    cost: PasswordCost,
    password: Password,
) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let mut salt_bytes = [0u8; 16];
        getrandom::fill(&mut salt_bytes)
            .map_err(|e| ServiceError::internal(format!("drawing a password salt: {e}")))?;
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(ServiceError::wrap("encoding a password salt"))?;
        argon2(cost)?
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ServiceError::wrap("hashing a password with argon2"))
    })
    .await
    .map_err(ServiceError::wrap(
        "waiting for the password hashing thread",
    ))?
}

pub(crate) async fn password_matches(
    cost: PasswordCost,
    hash: Option<String>,
    password: Password,
) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || {
        // An account without a password (or no account) still costs one hash, so timing
        // does not tell which e-mail addresses have accounts.
        let dummy;
        let hash = match &hash {
            Some(h) => h.as_str(),
            None => {
                dummy = DUMMY_HASH.get_or_init(|| {
                    let salt = SaltString::encode_b64(b"credence-dummy-s").expect("a valid salt");
                    argon2(cost)
                        .and_then(|a| {
                            a.hash_password(b"never a real password", &salt)
                                .map(|h| h.to_string())
                                .map_err(ServiceError::wrap("hashing a stand-in password"))
                        })
                        .unwrap_or_default()
                });
                dummy.as_str()
            }
        };
        let Ok(parsed) = PasswordHash::new(hash) else {
            return Ok(false);
        };
        let ok = argon2(cost)?
            .verify_password(password.expose().as_bytes(), &parsed)
            .is_ok();
        Ok(ok)
    })
    .await
    .map_err(ServiceError::wrap(
        "waiting for the password checking thread",
    ))?
}

static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

pub(crate) fn random_salt() -> Result<String, ServiceError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("drawing random bytes for a secret: {e}")))?;
    Ok(hex::encode(bytes))
}

impl Registry {
    async fn create_account(
        &self,
        new: NewAccount,
        is_operator: bool,
        actor_label: &str,
    ) -> Result<AccountView, ServiceError> {
        // Every field is checked before anything is refused.
        let mut problems = FormProblems::new();
        problems.check(
            "/email",
            email_problem(&new.email, "Enter your e-mail address."),
        );
        problems.check(
            "/display_name",
            text_problem(&new.display_name, "your name", "Enter your name.", 1, 200),
        );
        problems.check("/password", password_problem(&new.password));
        problems.finish().map_err(ServiceError::Invalid)?;
        let email =
            Email::new(&new.email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let display_name = new.display_name.trim().to_owned();
        let hash = {
            let _slot = self.guard.slot().await?;
            hash_password(self.config.password_cost, new.password).await?
        };
        let now = self.now();
        let row = AccountRow {
            id: AccountId::random(),
            email: email.as_str().to_owned(),
            display_name,
            password_hash: Some(hash),
            is_operator,
            did: None,
            email_salt: random_salt()?,
            portfolio_slug: None,
            portfolio_public: false,
            portfolio_show_progress: false,
            archetypes: String::new(),
            created_at: now,
            // The operator vouches for the accounts it makes; a person who registers
            // confirms the address by the link sent to it.
            email_confirmed_at: (!actor_label.is_empty()).then_some(now),
        };
        let tx = self.store.write().await?;
        if tx.account_by_email(email.as_str()).await?.is_some() {
            return Err(ServiceError::Conflict(format!(
                "An account with the e-mail address {email} already exists: sign in instead."
            )));
        }
        tx.insert_account(row.clone()).await?;
        if row.email_confirmed_at.is_none() && self.config.confirm_addresses {
            self.queue_confirmation(&tx, &row, now).await?;
        }
        if self.address_proven(&row) {
            self.bind_waiting_claims(&tx, &row, now).await?;
        }
        let label = if actor_label.is_empty() {
            format!("account:{}", row.id)
        } else {
            actor_label.to_owned()
        };
        audit(
            &tx,
            now,
            &label,
            if is_operator {
                "account.create-operator"
            } else {
                "account.create"
            },
            None,
            &format!("account:{}", row.id),
            json!({"email": row.email}),
        )
        .await?;
        tx.commit().await?;
        Ok(view(&row, Vec::new()))
    }
}

impl AccountsDesk<'_> {
    /// Self-registration of a holder (when the installation allows it).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn register(&self, new: NewAccount) -> Result<AccountView, ServiceError> {
        if !self.config.open_registration {
            return Err(ServiceError::Forbidden(
                "This Credence does not take new accounts; ask its operator.".into(),
            ));
        }
        self.create_account(new, false, "").await
    }
}

impl OperatorDesk<'_> {
    /// An operator account (`credence admin create`), or any account made by the self.operator.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn create_account_as_operator(
        &self,
        new: NewAccount,
        is_operator: bool,
    ) -> Result<AccountView, ServiceError> {
        let operator = &self.operator;
        self.create_account(new, is_operator, &operator.label).await
    }
}

impl AccountsDesk<'_> {
    /// Checks a password and opens a session.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn sign_in(
        &self,
        email: &str,
        password: Password,
    ) -> Result<NewSession, ServiceError> {
        let refused = || {
            ServiceError::Unauthenticated("The e-mail address or the password is not right.".into())
        };
        // Empty fields are said beside the fields; anything typed is checked as a whole.
        let mut problems = FormProblems::new();
        if email.trim().is_empty() {
            problems.add("/email", "Enter your e-mail address.");
        }
        if password.expose().is_empty() {
            problems.add("/password", "Enter your password.");
        }
        problems.finish().map_err(ServiceError::Invalid)?;
        let email = Email::new(email).map_err(|_| refused())?;
        // A locked address is refused before any hashing, known or not (the same answer).
        self.guard.check(email.as_str())?;
        let account = {
            let tx = self.store.read().await?;
            tx.account_by_email(email.as_str()).await?
        };
        let hash = account.as_ref().and_then(|a| a.password_hash.clone());
        let ok = {
            let _slot = self.guard.slot().await?;
            password_matches(self.config.password_cost, hash, password).await?
        };
        let account = match account {
            Some(a) if ok => a,
            _ => {
                // The failure that locks the address says so, in place of "not right".
                self.guard.failed(email.as_str())?;
                return Err(refused());
            }
        };
        self.guard.succeeded(email.as_str())?;
        let cookie_value = random_secret()?;
        let csrf_token = random_secret()?;
        let now = self.now();
        let tx = self.store.write().await?;
        tx.purge_sessions(now).await?;
        tx.insert_session(SessionRow {
            token_hash: sha256_hex(&cookie_value),
            account_id: account.id.clone(),
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at: now + Duration::hours(self.config.session_hours),
        })
        .await?;
        let role_views = roles_of(&tx, &account.id).await?;
        tx.commit().await?;
        Ok(NewSession {
            cookie_value,
            csrf_token,
            account: view(&account, role_views),
        })
    }

    /// Ends a session.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn sign_out(&self, cookie_value: &str) -> Result<(), ServiceError> {
        let tx = self.store.write().await?;
        tx.delete_session(&sha256_hex(cookie_value)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The actor behind a session cookie, or `None` when the session is unknown or expired.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn session_actor(
        &self,
        cookie_value: &str,
    ) -> Result<Option<SessionActor>, ServiceError> {
        let tx = self.store.read().await?;
        let Some((session, account)) = tx.session(&sha256_hex(cookie_value), self.now()).await?
        else {
            return Ok(None);
        };
        let grants = grants(&tx.memberships_of_account(&account.id).await?);
        Ok(Some(SessionActor {
            actor: Actor::account(account.id, account.is_operator, grants),
            csrf_token: session.csrf_token,
        }))
    }

    /// The actor behind an API token, or `None` when it is unknown, revoked or expired.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>, ServiceError> {
        let tx = self.store.read().await?;
        let Some(row) = tx.live_token(&sha256_hex(token), self.now()).await? else {
            return Ok(None);
        };
        let role: Role = row.role;
        Ok(Some(Actor::token(
            &row.id,
            Grant {
                org_id: row.org_id,
                role,
            },
        )))
    }
}

impl HolderDesk<'_> {
    /// The signed-in account, with its roles.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn me(&self) -> Result<AccountView, ServiceError> {
        let holder = &self.holder;
        let tx = self.store.read().await?;
        let account = tx
            .account(&holder.account_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("your account".into()))?;
        let roles = roles_of(&tx, &account.id).await?;
        Ok(view(&account, roles))
    }
}

impl Registry {
    /// The actor of an account with all its roles, for use cases run on a person's behalf
    /// from inside the service (the demo seeder); never reachable from a request.
    pub(crate) async fn account_actor(
        &self,
        account_id: &AccountId,
    ) -> Result<Actor, ServiceError> {
        let tx = self.store.read().await?;
        let account = tx
            .account(account_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("account '{account_id}'")))?;
        let grants = grants(&tx.memberships_of_account(&account.id).await?);
        Ok(Actor::account(account.id, account.is_operator, grants))
    }

    /// The account with this e-mail address, if there is one.
    pub(crate) async fn account_by_email(
        &self,
        email: &str,
    ) -> Result<Option<AccountView>, ServiceError> {
        let email =
            Email::new(email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let tx = self.store.read().await?;
        Ok(tx
            .account_by_email(email.as_str())
            .await?
            .map(|row| view(&row, Vec::new())))
    }
}

/// An account's roles, by organisation slug.
pub(crate) async fn roles_of(
    tx: &Tx,
    account_id: &AccountId,
) -> Result<Vec<RoleView>, ServiceError> {
    let mut roles = Vec::new();
    for m in tx.memberships_of_account(account_id).await? {
        if let Some(org) = tx.org(&m.org_id).await? {
            roles.push(RoleView {
                org: org.slug,
                role: m.role,
            });
        }
    }
    Ok(roles)
}

fn grants(rows: &[credence_store::registry::MembershipRow]) -> Vec<Grant> {
    rows.iter()
        .map(|m| Grant {
            org_id: m.org_id.clone(),
            role: m.role,
        })
        .collect()
}

pub(crate) fn view(row: &AccountRow, roles: Vec<RoleView>) -> AccountView {
    AccountView {
        id: row.id.clone(),
        email: row.email.clone(),
        display_name: row.display_name.clone(),
        is_operator: row.is_operator,
        did: row.did.clone(),
        portfolio_slug: row.portfolio_slug.clone(),
        portfolio_public: row.portfolio_public,
        portfolio_show_progress: row.portfolio_show_progress,
        archetypes: row
            .archetypes
            .split(',')
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        roles,
        email_confirmed: row.email_confirmed_at.is_some(),
    }
}
