//! Organisations: creation with a DID and a first signing key, members and roles, API
//! tokens, key rotation, the public profile and the `did:web` document. Signing keys are
//! sealed under the master key; only [`Registry::active_signer`] opens one, to sign.

use chrono::Duration;
use credence_domain::registry::{DidMethod, Email, OrgKind, Role};
use credence_domain::{AccountId, KeyId, OrgId, OrgSlug, Problem, Problems, TokenId};
use credence_store::registry::{KeyRow, MembershipRow, OrgRow, TokenRow};
use credence_store::Tx;
use credence_vc::did::{did_web_document, WebKey};
use credence_vc::keys::{SigningKey, VerifyingKey};
use serde::Serialize;
use serde_json::{json, Value};

use crate::desks::{OperatorDesk, OrgAdminDesk, PublicDesk};
pub use crate::issuing::Signer;
use crate::registry::{audit, random_secret, sha256_hex, Registry};
use crate::ServiceError;

/// A new organisation's details.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub did_method: DidMethod,
    pub url: Option<String>,
    pub description: Option<String>,
}

/// An organisation as anyone may see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct OrgView {
    #[schema(value_type = String)]
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    #[schema(value_type = String)]
    pub kind: OrgKind,
    #[schema(value_type = String)]
    pub did_method: DidMethod,
    pub did: String,
    pub url: Option<String>,
    pub description: Option<String>,
    /// The cryptosuite it signs with unless a request names one.
    pub cryptosuite: String,
}

/// A member's roles, as an admin sees them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct MemberView {
    #[schema(value_type = String)]
    pub account_id: AccountId,
    pub email: String,
    pub display_name: String,
    pub role: String,
}

/// A token as listed (never its value).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct TokenView {
    pub id: String,
    pub role: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked: bool,
}

/// A new token: its value is shown once and never stored.
#[derive(Clone)]
pub struct NewToken {
    pub value: String,
    pub view: TokenView,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("view", &self.view)
            .field("value", &"[redacted]")
            .finish()
    }
}

/// A key as listed (public part only).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct KeyView {
    pub verification_method: String,
    pub public_key_multibase: String,
    pub active: bool,
    pub created_at: String,
    pub retired_at: Option<String>,
}

/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// An organisation as anyone may see it.
pub fn org_view(row: &OrgRow) -> OrgView {
    OrgView {
        id: row.id.clone(),
        slug: row.slug.clone(),
        name: row.name.clone(),
        kind: row.kind,
        did_method: row.did_method,
        did: row.did.clone(),
        url: row.url.clone(),
        description: row.description.clone(),
        cryptosuite: crate::issuing::default_suite(row).name().to_owned(),
    }
}

/// The verification method id of `key` for an organisation.
pub(crate) fn verification_method(org: &OrgRow, key: &KeyRow) -> String {
    if org.did_method == DidMethod::Key {
        format!("did:key:{0}#{0}", key.public_key_multibase)
    } else {
        format!("{}#{}", org.did, key.fragment)
    }
}

/// An optional text field, trimmed; empty means absent; longer than `max` is refused.
pub(crate) fn optional_text(
    value: Option<String>,
    pointer: &str,
    max: usize,
) -> Result<Option<String>, ServiceError> {
    let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        return Err(ServiceError::invalid(
            pointer,
            format!("At most {max} characters."),
        ));
    }
    Ok(value)
}

/// Every problem with a new organisation's slug, name and web address, at once (empty when
/// they are all acceptable), so a form can show each beside its field.
pub(crate) fn org_field_problems(slug: &str, name: &str, url: Option<&str>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |pointer: &str, message: String| {
        problems.push(Problem {
            pointer: pointer.to_owned(),
            message,
        });
    };
    if slug.trim().is_empty() {
        problem(
            "/slug",
            "Enter a short name: lower-case letters, digits and hyphens.".into(),
        );
    } else if let Err(e) = OrgSlug::new(slug.trim()) {
        problem("/slug", e.to_string());
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problem(
            "/name",
            "The name must have between 1 and 200 characters.".into(),
        );
    }
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    if let Some(u) = url {
        if u.chars().count() > 500 {
            problem("/url", "At most 500 characters.".into());
        } else if !(u.starts_with("https://") || u.starts_with("http://"))
            || url::Url::parse(u).is_err()
        {
            problem("/url", "The web address must be an http(s) URL.".into());
        }
    }
    problems
}

impl Registry {
    /// The `did:web` identifier of an organisation of this Credence.
    pub(crate) fn did_web_of(&self, slug: &str) -> String {
        format!("did:web:{}:orgs:{slug}", self.config.did_web_host())
    }

    /// Makes a key, seals it and stores it as the organisation's active key.
    async fn add_key(&self, tx: &Tx, org: &OrgRow, fragment: &str) -> Result<KeyRow, ServiceError> {
        let key = SigningKey::generate().map_err(ServiceError::wrap("generating a signing key"))?;
        let id = KeyId::random();
        let sealed = self
            .config
            .master_key
            .seal(&key, id.as_str().as_bytes())
            .map_err(ServiceError::wrap("sealing a signing key"))?;
        let row = KeyRow {
            id,
            org_id: org.id.clone(),
            fragment: fragment.to_owned(),
            public_key_multibase: key.verifying_key().to_multibase(),
            sealed_private_key: sealed,
            active: true,
            created_at: self.now(),
            retired_at: None,
        };
        tx.insert_key(row.clone()).await?;
        Ok(row)
    }
}

impl OperatorDesk<'_> {
    /// Creates an organisation with its DID and first key (operator only).
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn create_org(&self, new: NewOrg) -> Result<OrgView, ServiceError> {
        let operator = &self.operator;
        let problems = org_field_problems(&new.slug, &new.name, new.url.as_deref());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(Problems(problems)));
        }
        let slug = OrgSlug::new(new.slug.trim())
            .map_err(|e| ServiceError::invalid("/slug", e.to_string()))?;
        let name = new.name.trim().to_owned();
        let url = optional_text(new.url, "/url", 500)?;
        let description = optional_text(new.description, "/description", 2000)?;
        let now = self.now();
        let tx = self.store.write().await?;
        if tx.org_by_slug(slug.as_str()).await?.is_some() {
            return Err(ServiceError::Conflict(format!(
                "An organisation with the slug {slug} already exists."
            )));
        }
        let mut org = OrgRow {
            id: OrgId::random(),
            slug: slug.as_str().to_owned(),
            name,
            kind: new.kind,
            did_method: new.did_method,
            did: String::new(),
            url,
            description,
            created_at: now,
            cryptosuite: None,
        };
        // A did:key organisation's DID is its key, which does not exist yet: store a
        // placeholder unique to the row, then set the DID once the key is made.
        org.did = match new.did_method {
            DidMethod::Web => self.did_web_of(slug.as_str()),
            DidMethod::Key => format!("pending:{}", org.id),
        };
        tx.insert_org(org.clone()).await?;
        let key = self.add_key(&tx, &org, "key-1").await?;
        if new.did_method == DidMethod::Key {
            org.did = format!("did:key:{}", key.public_key_multibase);
            tx.set_org_did(&org.id, &org.did).await?;
        }
        audit(
            &tx,
            now,
            &operator.label,
            "org.create",
            Some(&org.id),
            &format!("org:{}", org.slug),
            json!({"name": org.name, "kind": org.kind, "did": org.did}),
        )
        .await?;
        tx.commit().await?;
        Ok(org_view(&org))
    }
}

impl Registry {
    /// An organisation by slug.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub(crate) async fn org(&self, slug: &OrgSlug) -> Result<OrgRow, ServiceError> {
        let tx = self.store.read().await?;
        tx.org_by_slug(slug.as_str())
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("organisation '{slug}'")))
    }

    /// An organisation by a slug given as text inside the registry (a form's choice, the
    /// demo world, a status list's URL): one that is not a slug is not found, as one that
    /// names no organisation. Paths are read at the edge into an [`OrgSlug`].
    pub(crate) async fn org_named(&self, slug: &str) -> Result<OrgRow, ServiceError> {
        let slug: OrgSlug = crate::record_id(slug, "organisation")?;
        self.org(&slug).await
    }
}

impl PublicDesk<'_> {
    /// An organisation by slug (public).
    pub async fn org(&self, slug: &OrgSlug) -> Result<OrgRow, ServiceError> {
        Registry::org(self, slug).await
    }

    /// The `did:web` identifier an organisation `slug` has here.
    pub fn did_web_of(&self, slug: &str) -> String {
        Registry::did_web_of(self, slug)
    }
}

impl PublicDesk<'_> {
    /// Every organisation, as anyone may see them.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn orgs(&self) -> Result<Vec<OrgView>, ServiceError> {
        let tx = self.store.read().await?;
        Ok(tx.orgs().await?.iter().map(org_view).collect())
    }

    /// The organisation's public OB 3.0 `Profile`.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn org_profile(&self, slug: &OrgSlug) -> Result<Value, ServiceError> {
        let org = self.org(slug).await?;
        Ok(self.profile_json(&org))
    }
}

impl Registry {
    /// The OB 3.0 `Profile` of an organisation, as embedded in the credentials it issues.
    pub(crate) fn profile_json(&self, org: &OrgRow) -> Value {
        let mut profile = json!({
            "id": org.did,
            "type": ["Profile"],
            "name": org.name,
            "url": org.url.clone().unwrap_or_else(|| self.url(&format!("/orgs/{}", org.slug))),
        });
        if let Some(d) = &org.description {
            profile["description"] = json!(d);
        }
        profile
    }
}

impl PublicDesk<'_> {
    /// The organisation's `did:web` document, listing every key it has used.
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn did_document(&self, slug: &OrgSlug) -> Result<Value, ServiceError> {
        let org = self.org(slug).await?;
        if org.did_method != DidMethod::Web {
            return Err(ServiceError::NotFound(format!(
                "a did:web document for '{slug}' (it uses did:key)"
            )));
        }
        let tx = self.store.read().await?;
        let keys = tx.keys_of_org(&org.id).await?;
        let web_keys = keys
            .iter()
            .map(|k| {
                Ok(WebKey {
                    fragment: k.fragment.clone(),
                    public_key: VerifyingKey::from_multibase(&k.public_key_multibase)
                        .map_err(ServiceError::wrap("reading a stored public key"))?,
                    active: k.active,
                })
            })
            .collect::<Result<Vec<_>, ServiceError>>()?;
        Ok(did_web_document(&org.did, &web_keys))
    }
}

impl OrgAdminDesk<'_> {
    /// The organisation's keys (public parts), oldest first.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn keys(&self) -> Result<Vec<KeyView>, ServiceError> {
        let admin = &self.admin;
        let tx = self.store.read().await?;
        let org = &admin.0.org;
        Ok(tx
            .keys_of_org(&org.id)
            .await?
            .iter()
            .map(|k| KeyView {
                verification_method: verification_method(org, k),
                public_key_multibase: k.public_key_multibase.clone(),
                active: k.active,
                created_at: k.created_at.to_rfc3339(),
                retired_at: k.retired_at.map(|t| t.to_rfc3339()),
            })
            .collect())
    }

    /// Makes a new active key and retires the old one, which stays in the DID document.
    /// A `did:key` organisation gets a new DID (the new key's).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn rotate_key(&self) -> Result<KeyView, ServiceError> {
        let admin = &self.admin;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut org = tx
            .org(&admin.0.org.id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("the organisation".into()))?;
        let keys = tx.keys_of_org(&org.id).await?;
        let next = keys
            .iter()
            .filter_map(|k| k.fragment.strip_prefix("key-")?.parse::<u32>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        tx.retire_keys(&org.id, now).await?;
        let key = self.add_key(&tx, &org, &format!("key-{next}")).await?;
        if org.did_method == DidMethod::Key {
            org.did = format!("did:key:{}", key.public_key_multibase);
            tx.set_org_did(&org.id, &org.did).await?;
        }
        let vm = verification_method(&org, &key);
        audit(
            &tx,
            now,
            &admin.0.label,
            "key.rotate",
            Some(&org.id),
            &format!("org:{}", org.slug),
            json!({"new_key": vm, "did": org.did}),
        )
        .await?;
        tx.commit().await?;
        Ok(KeyView {
            verification_method: vm,
            public_key_multibase: key.public_key_multibase,
            active: true,
            created_at: key.created_at.to_rfc3339(),
            retired_at: None,
        })
    }

    /// Chooses the cryptosuite the organisation signs with unless a request names one:
    /// `eddsa-rdfc-2022` (the default, which Open Badges 3.0 verifiers expect) or
    /// `eddsa-jcs-2022`.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn set_cryptosuite(&self, name: &str) -> Result<OrgView, ServiceError> {
        let admin = &self.admin;
        let suite = crate::issuing::parse_suite(name, "/cryptosuite")?;
        let now = self.now();
        let tx = self.store.write().await?;
        let mut org = tx
            .org(&admin.0.org.id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("the organisation".into()))?;
        let from = crate::issuing::default_suite(&org);
        org.cryptosuite = Some(suite.name().to_owned());
        tx.set_org_cryptosuite(&org.id, org.cryptosuite.as_deref())
            .await?;
        audit(
            &tx,
            now,
            &admin.0.label,
            "org.cryptosuite",
            Some(&org.id),
            &format!("org:{}", org.slug),
            json!({"from": from.name(), "to": suite.name()}),
        )
        .await?;
        tx.commit().await?;
        Ok(org_view(&org))
    }
}

impl Registry {
    /// Opens the organisation's active key for signing, inside `tx`.
    pub(crate) async fn active_signer(
        &self,
        tx: &Tx,
        org: &OrgRow,
    ) -> Result<Signer, ServiceError> {
        let keys = tx.keys_of_org(&org.id).await?;
        let key = keys.iter().rev().find(|k| k.active).ok_or_else(|| {
            ServiceError::internal(format!("organisation {} has no active key", org.slug))
        })?;
        let opened = self
            .config
            .master_key
            .open(&key.sealed_private_key, key.id.as_str().as_bytes())
            .map_err(|e| ServiceError::internal_from(format!("signing key of {}", org.slug), e))?;
        Ok(Signer {
            verification_method: verification_method(org, key),
            key: opened,
            issuer_did: org.did.clone(),
        })
    }
}

impl OrgAdminDesk<'_> {
    /// Gives an account (by e-mail) a role in the organisation.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn add_member(&self, email: &str, role: Role) -> Result<MemberView, ServiceError> {
        let admin = &self.admin;
        let email =
            Email::new(email).map_err(|e| ServiceError::invalid("/email", e.to_string()))?;
        let now = self.now();
        let org = &admin.0.org;
        let tx = self.store.write().await?;
        let account = tx.account_by_email(email.as_str()).await?.ok_or_else(|| {
            ServiceError::invalid(
                "/email",
                format!("No account has the e-mail address {email}; ask them to create one first."),
            )
        })?;
        let existing = tx.memberships_of_org(&org.id).await?;
        if existing
            .iter()
            .any(|m| m.account_id == account.id && m.role == role)
        {
            return Err(ServiceError::Conflict(format!(
                "{email} is already {role} of {}.",
                org.name
            )));
        }
        tx.insert_membership(MembershipRow {
            org_id: org.id.clone(),
            account_id: account.id.clone(),
            role,
            created_at: now,
        })
        .await?;
        audit(
            &tx,
            now,
            &admin.0.label,
            "member.add",
            Some(&org.id),
            &format!("account:{}", account.id),
            json!({"role": role}),
        )
        .await?;
        tx.commit().await?;
        Ok(MemberView {
            account_id: account.id,
            email: account.email,
            display_name: account.display_name,
            role: role.as_str().to_owned(),
        })
    }

    /// Takes a role away.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug, account_id = %account_id))]
    pub async fn remove_member(
        &self,
        account_id: &AccountId,
        role: Role,
    ) -> Result<(), ServiceError> {
        let admin = &self.admin;
        let now = self.now();
        let org = &admin.0.org;
        let tx = self.store.write().await?;
        if !tx.delete_membership(&org.id, account_id, role).await? {
            return Err(ServiceError::NotFound(format!(
                "a {role} membership of account {account_id}"
            )));
        }
        audit(
            &tx,
            now,
            &admin.0.label,
            "member.remove",
            Some(&org.id),
            &format!("account:{account_id}"),
            json!({"role": role}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisation's members and their roles.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn members(&self) -> Result<Vec<MemberView>, ServiceError> {
        let admin = &self.admin;
        let tx = self.store.read().await?;
        let mut out = Vec::new();
        for m in tx.memberships_of_org(&admin.0.org.id).await? {
            if let Some(a) = tx.account(&m.account_id).await? {
                out.push(MemberView {
                    account_id: a.id,
                    email: a.email,
                    display_name: a.display_name,
                    role: m.role.to_string(),
                });
            }
        }
        Ok(out)
    }

    /// A new API token for one role of the organisation, valid for `days` days.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn create_token(
        &self,
        role: Role,
        label: &str,
        days: i64,
    ) -> Result<NewToken, ServiceError> {
        let admin = &self.admin;
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(ServiceError::invalid(
                "/days",
                format!("Give a lifetime between 1 and {MAX_TOKEN_DAYS} days."),
            ));
        }
        let label = label.trim();
        if label.chars().count() > 200 {
            return Err(ServiceError::invalid(
                "/label",
                "Shorten the label to at most 200 characters.",
            ));
        }
        let value = format!("crd_{}", random_secret()?);
        let now = self.now();
        let org = &admin.0.org;
        let row = TokenRow {
            id: TokenId::random(),
            token_hash: sha256_hex(&value),
            org_id: org.id.clone(),
            role,
            label: if label.is_empty() {
                format!("{role} token")
            } else {
                label.to_owned()
            },
            created_by: admin.0.account_id.clone(),
            created_at: now,
            expires_at: now + Duration::days(days),
            revoked_at: None,
        };
        let tx = self.store.write().await?;
        tx.insert_token(row.clone()).await?;
        audit(
            &tx,
            now,
            &admin.0.label,
            "token.create",
            Some(&org.id),
            &format!("token:{}", row.id),
            json!({"role": role, "label": row.label, "expires_at": row.expires_at.to_rfc3339()}),
        )
        .await?;
        tx.commit().await?;
        Ok(NewToken {
            value,
            view: token_view(&row),
        })
    }

    /// The organisation's tokens (never their values).
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug))]
    pub async fn tokens(&self) -> Result<Vec<TokenView>, ServiceError> {
        let admin = &self.admin;
        let tx = self.store.read().await?;
        Ok(tx
            .tokens_of_org(&admin.0.org.id)
            .await?
            .iter()
            .map(token_view)
            .collect())
    }

    /// Revokes a token at once.
    #[tracing::instrument(level = "info", skip_all, fields(org = %self.admin.0.org.slug, token_id = %token_id))]
    pub async fn revoke_token(&self, token_id: &TokenId) -> Result<(), ServiceError> {
        let admin = &self.admin;
        let now = self.now();
        let tx = self.store.write().await?;
        let token = tx
            .token(token_id)
            .await?
            .filter(|t| t.org_id == admin.0.org.id)
            .ok_or_else(|| ServiceError::NotFound(format!("token '{token_id}'")))?;
        if token.revoked_at.is_none() {
            tx.revoke_token(&token.id, now).await?;
            audit(
                &tx,
                now,
                &admin.0.label,
                "token.revoke",
                Some(&admin.0.org.id),
                &format!("token:{}", token.id),
                json!({}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl OperatorDesk<'_> {
    /// Marks an accrediting body as trusted by this installation (operator only).
    #[tracing::instrument(level = "info", skip_all, fields(slug = %slug))]
    pub async fn trust_body(&self, slug: &OrgSlug, trusted: bool) -> Result<(), ServiceError> {
        let operator = &self.operator;
        let org = self.org(slug).await?;
        if org.kind != OrgKind::AccreditingBody {
            return Err(ServiceError::invalid(
                "/org",
                format!("{slug} is not an accrediting body."),
            ));
        }
        let now = self.now();
        let tx = self.store.write().await?;
        let already = tx.trusted_bodies().await?.contains(&org.id);
        if trusted && !already {
            tx.trust_body(&org.id, now).await?;
        } else if !trusted && already {
            tx.distrust_body(&org.id).await?;
        } else {
            return Ok(());
        }
        audit(
            &tx,
            now,
            &operator.label,
            if trusted { "trust.add" } else { "trust.remove" },
            Some(&org.id),
            &format!("org:{slug}"),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn token_view(row: &TokenRow) -> TokenView {
    TokenView {
        id: row.id.to_string(),
        role: row.role.to_string(),
        label: row.label.clone(),
        created_at: row.created_at.to_rfc3339(),
        expires_at: row.expires_at.to_rfc3339(),
        revoked: row.revoked_at.is_some(),
    }
}
