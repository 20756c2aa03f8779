//! The issuer's sections of the console: achievements (publish one from a pathway, with its
//! badge image), the award form, and one award with its status form (the list of awards is
//! `award_list.rs`, bulk awards `bulk.rs`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use credence_documents::Product;
use credence_domain::framework::PathwayKind;
use credence_domain::registry::{AwardStatus, StatusAction};
use credence_domain::{AwardId, FormProblems, FrameworkSlug};
use credence_service::awards::{AchievementView, NewAchievement, NewAward, DEFAULT_FRAMEWORK};
use credence_service::claims::ClaimView;
use credence_service::ServiceError;
use serde::Deserialize;
use serde_json::Value;

use super::missing::missing_count;
use super::{award_lines, console_for, when, AwardLine, Console};
use crate::error::record_id;
use crate::pages::holder::{Choice, ChoiceGroup};
use crate::pages::session::{notice, Nav, SignedIn};
use crate::pages::{error_for, form_errors, render, render_with, FieldError};
use crate::{AppState, WebError};

/// The messages of a refused form, as one sentence list (for forms without fields).
/// The achievements of the console's organisation as choices.
pub(super) fn achievement_choices(achievements: &[AchievementView]) -> Vec<Choice> {
    achievements
        .iter()
        .map(|a| Choice {
            value: a.uuid.to_string(),
            label: a.name.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Achievements.

/// What the achievement form holds, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AchievementForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pathway: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    validity_days: String,
    #[serde(default)]
    product_name: String,
    #[serde(default)]
    product_version: String,
    /// Present (`yes`) when the achievement's awards can be suspended.
    #[serde(default)]
    suspendable: Option<String>,
    /// Present (`yes`) when the achievement's awards are public at once.
    #[serde(default)]
    awards_public: Option<String>,
}

/// A published achievement as the console lists it.
pub struct AchievementLine {
    pub uuid: String,
    pub name: String,
    pub pathway: String,
    pub validity_days: Option<i64>,
    pub suspendable: bool,
    pub awards_public: bool,
    pub created: String,
}

#[derive(Template)]
#[template(path = "console_achievements.html")]
struct AchievementsPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    items: Vec<AchievementLine>,
    pathways: Vec<ChoiceGroup>,
    form: AchievementForm,
    errors: Vec<FieldError>,
}

impl AchievementsPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// The pathways of the default framework's latest version, grouped by kind, and the codes
/// of the product-specific ones.
async fn pathway_choices(state: &AppState) -> Result<(Vec<ChoiceGroup>, Vec<String>), WebError> {
    let slug = FrameworkSlug::new(DEFAULT_FRAMEWORK)
        .map_err(ServiceError::wrap("naming the default framework"))?;
    let fw = state.services.frameworks.get(&slug, None).await?;
    let mut groups = Vec::new();
    let mut product = Vec::new();
    for kind in [
        PathwayKind::Foundational,
        PathwayKind::Advanced,
        PathwayKind::ProductTemplate,
    ] {
        let choices: Vec<Choice> = fw
            .document()
            .pathways
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| {
                if kind == PathwayKind::ProductTemplate {
                    product.push(p.code.as_str().to_owned());
                }
                Choice {
                    value: p.code.as_str().to_owned(),
                    label: p.name.clone(),
                }
            })
            .collect();
        if !choices.is_empty() {
            groups.push(ChoiceGroup {
                label: kind.label().to_owned(),
                choices,
            });
        }
    }
    Ok((groups, product))
}

async fn achievements_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: AchievementForm,
    errors: Vec<FieldError>,
    notice_code: Option<&str>,
) -> Result<AchievementsPage, WebError> {
    let items = state
        .services
        .registry
        .public()
        .achievements(&c.slug)
        .await?
        .into_iter()
        .map(|a| AchievementLine {
            created: when(&a.created_at),
            uuid: a.uuid.into_string(),
            name: a.name,
            pathway: a.pathway,
            validity_days: a.validity_days,
            suspendable: a.suspendable,
            awards_public: a.awards_public,
        })
        .collect();
    let (pathways, _) = pathway_choices(state).await?;
    Ok(AchievementsPage {
        nav: user.nav,
        title: format!("Achievements of {}", c.name),
        notice: notice(notice_code),
        c,
        items,
        pathways,
        form,
        errors,
    })
}

/// `GET /console/{org}/achievements`: the published achievements and the form to publish one.
pub async fn achievements(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<crate::pages::credentials::NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "achievements").await?;
    c.issuer()?;
    let page = achievements_page(
        &state,
        user,
        c,
        AchievementForm::default(),
        Vec::new(),
        query.notice.as_deref(),
    )
    .await?;
    Ok(render(&page))
}

/// `POST /console/{org}/achievements`: publishes an achievement for a pathway.
pub async fn create_achievement(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<AchievementForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "achievements").await?;
    let issuer = c.issuer()?.clone();
    let (_, product_pathways) = pathway_choices(&state).await?;
    let is_product = product_pathways.contains(&form.pathway.trim().to_owned());
    // A validity that is not a number is said together with every other problem.
    let mut problems = FormProblems::new();
    let validity_days = match form.validity_days.trim() {
        "" => None,
        text => problems.take("/validity_days", text.parse::<i64>(), |_| {
            "Give the validity as a whole number of days, such as 365, or leave it empty.".into()
        }),
    };
    let product = (is_product
        || !form.product_name.trim().is_empty()
        || !form.product_version.trim().is_empty())
    .then(|| Product {
        name: form.product_name.trim().to_owned(),
        version: form.product_version.trim().to_owned(),
    });
    let new = NewAchievement {
        pathway: form.pathway.clone(),
        framework: None,
        name: Some(form.name.clone()),
        description: Some(form.description.clone()),
        validity_days,
        product,
        suspendable: form.suspendable.is_some(),
        awards_public: form.awards_public.is_some(),
        product_version: None,
    };
    let registry = &state.services.registry;
    let result = if problems.is_empty() {
        registry
            .with_issuer(&issuer)
            .create_achievement(new)
            .await
            .map(|_| ())
    } else {
        registry
            .with_issuer(&issuer)
            .check_achievement(&new, &mut problems)
            .await
    };
    let outcome = match result {
        Ok(()) => Ok(()),
        Err(e) => Err(form_errors(e)?.1),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/console/{}/achievements?notice=achievement-created",
            c.slug
        ))
        .into_response()),
        Err(errors) => {
            let page = achievements_page(&state, user, c, form, errors, None).await?;
            Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

// ---------------------------------------------------------------------------------------
// The award form.

/// What the award form holds, kept when it is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AwardForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    achievement: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    override_justification: String,
    /// The id of the award this one renews (optional).
    #[serde(default)]
    renews: String,
}

#[derive(Template)]
#[template(path = "console_award.html")]
struct AwardPage {
    nav: Nav,
    title: String,
    c: Console,
    achievements: Vec<Choice>,
    form: AwardForm,
    errors: Vec<FieldError>,
    /// What the completion check found missing, one line per group of statements (or
    /// prerequisite pathway).
    missing: Vec<String>,
    /// How many statements (and prerequisite pathways) are missing, in words.
    missing_count: String,
}

impl AwardPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn award_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    form: AwardForm,
    errors: Vec<FieldError>,
) -> Result<AwardPage, WebError> {
    let achievements = achievement_choices(
        &state
            .services
            .registry
            .public()
            .achievements(&c.slug)
            .await?,
    );
    let missing = errors
        .iter()
        .filter(|e| e.field == "missing")
        .map(|e| e.message.clone())
        .collect::<Vec<_>>();
    Ok(AwardPage {
        nav: user.nav,
        title: "Award a credential".into(),
        c,
        achievements,
        form,
        errors,
        missing_count: missing_count(&missing),
        missing,
    })
}

#[derive(Debug, Deserialize)]
pub struct AwardQuery {
    achievement: Option<String>,
    email: Option<String>,
    renews: Option<String>,
}

/// `GET /console/{org}/award`, optionally filled in: `?achievement=`, `?email=` and the
/// award it renews, `?renews=` (the expiry list's "Renew" links).
pub async fn award_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<AwardQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "award").await?;
    c.issuer()?;
    let form = AwardForm {
        achievement: query.achievement.unwrap_or_default(),
        email: query.email.unwrap_or_default(),
        renews: query.renews.unwrap_or_default(),
        ..AwardForm::default()
    };
    Ok(render(
        &award_page(&state, user, c, form, Vec::new()).await?,
    ))
}

/// `POST /console/{org}/award`: awards one credential; a refusal (such as an incomplete
/// pathway without a justification) shows the form again, filled in, with what is missing.
pub async fn award(
    State(state): State<AppState>,
    user: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<AwardForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "award").await?;
    let issuer = c.issuer()?.clone();
    let new = NewAward {
        achievement: form.achievement.clone(),
        email: form.email.clone(),
        name: Some(form.name.clone()),
        override_justification: Some(form.override_justification.trim().to_owned())
            .filter(|j| !j.is_empty()),
        renews: Some(form.renews.trim().to_owned()).filter(|r| !r.is_empty()),
        ..NewAward::default()
    };
    match state
        .services
        .registry
        .with_issuer(&issuer)
        .award(new)
        .await
    {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/console/{}/awards/{}?notice=awarded",
            c.slug, outcome.award.id
        ))
        .into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let page = award_page(&state, user, c, form, errors).await?;
            Ok(render_with(status, &page))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Awards.

#[derive(Template)]
#[template(path = "console_award_detail.html")]
pub(super) struct AwardDetailPage {
    nav: Nav,
    title: String,
    notice: Option<&'static str>,
    c: Console,
    a: AwardLine,
    credential_name: String,
    valid_from: String,
    valid_until: Option<String>,
    public: bool,
    override_justification: Option<String>,
    key: Option<String>,
    renews: Option<String>,
    /// The claim, when the award went to an address without a proven account.
    claim: Option<ClaimView>,
    /// The address correction form, as last sent.
    correction: Correction,
    history: Vec<HistoryLine>,
    /// The actions the award's state allows, as (value, label).
    actions: Vec<Choice>,
    action: String,
    reason: String,
    errors: Vec<FieldError>,
}

impl AwardDetailPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// The address correction form of an award waiting for a claim, as last sent.
#[derive(Debug, Default)]
pub struct Correction {
    pub email: String,
    pub reason: String,
}

/// One event in an award's history.
pub struct HistoryLine {
    pub at: String,
    pub what: String,
    pub who: String,
    pub reason: Option<String>,
}

/// An award's audit entries as sentences; the viewer's own entries say "you".
fn history_lines(
    entries: Vec<credence_service::audit_chain::AuditView>,
    me: Option<&str>,
) -> Vec<HistoryLine> {
    entries
        .into_iter()
        .map(|e| {
            let text = |key: &str| e.detail.get(key).and_then(Value::as_str).map(str::to_owned);
            let what = match e.action.as_str() {
                "award.issue" => "Issued".to_owned(),
                "award.suspend" => "Suspended".to_owned(),
                "award.reinstate" => "Reinstated".to_owned(),
                "award.revoke" => "Revoked".to_owned(),
                "award.claim" => "Claimed by its recipient".to_owned(),
                "award.claim-resend" => "Claim link sent again".to_owned(),
                "award.visibility" => {
                    if e.detail.get("public").and_then(Value::as_bool) == Some(true) {
                        "Made public by its holder".to_owned()
                    } else {
                        "Made private by its holder".to_owned()
                    }
                }
                other => other.to_owned(),
            };
            let who = match (me, e.actor.strip_prefix("account:")) {
                (Some(me), Some(id)) if me == id => "you".to_owned(),
                _ => e.actor_name.clone().unwrap_or_else(|| e.actor.clone()),
            };
            HistoryLine {
                at: when(&e.at),
                reason: text("reason").or_else(|| text("override_justification")),
                what,
                who,
            }
        })
        .collect()
}

/// What the issuer last sent on an award's page, to show again with its errors.
#[derive(Debug, Default)]
pub(super) struct Sent {
    /// The status form's action and reason.
    pub action: String,
    pub reason: String,
    pub correction: Correction,
    pub errors: Vec<FieldError>,
}

pub(super) async fn award_detail_page(
    state: &AppState,
    user: SignedIn,
    c: Console,
    id: &AwardId,
    notice_code: Option<&str>,
    sent: Sent,
) -> Result<AwardDetailPage, WebError> {
    let Sent {
        action,
        reason,
        correction,
        errors,
    } = sent;
    let registry = &state.services.registry;
    let visible = registry.caller(&user.actor).visible_award(id).await?;
    let (view, text) = (visible.award, visible.credential);
    if view.org_id != c.org_id {
        return Err(WebError::not_found(format!(
            "{} has no award '{id}'.",
            c.name
        )));
    }
    let issuer_desk = registry.with_issuer(c.issuer()?);
    let history = history_lines(
        issuer_desk.award_history(id).await?,
        user.actor.account_id().map(|a| a.as_str()),
    );
    let claim = issuer_desk.award_claim(id).await?;
    let credential: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let credential_name = credential
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let choose = Choice {
        value: String::new(),
        label: "Choose the new status…".into(),
    };
    // Only the changes this award's state and credential allow: suspension needs a
    // credential with a suspension entry, and only a suspended award can be reinstated.
    let status = view.status;
    let actions = std::iter::once(choose)
        .chain(
            [
                (
                    StatusAction::Suspend,
                    "Suspend (can be reinstated)",
                    view.suspendable && status == AwardStatus::Active,
                ),
                (
                    StatusAction::Reinstate,
                    "Reinstate (lift a suspension)",
                    status == AwardStatus::Suspended,
                ),
                (
                    StatusAction::Revoke,
                    "Revoke (permanent)",
                    status != AwardStatus::Revoked,
                ),
            ]
            .into_iter()
            .filter(|(_, _, allowed)| *allowed)
            .map(|(a, label, _)| Choice {
                value: a.as_str().to_owned(),
                label: label.to_owned(),
            }),
        )
        .collect();
    let achievements = registry.public().achievements(&c.slug).await?;
    let valid_from = when(&view.valid_from);
    let valid_until = view.valid_until.as_deref().map(when);
    let public = view.public;
    let override_justification = view.override_justification.clone();
    let key = view.idempotency_key.clone();
    let renews = view.replaces_award_id.as_ref().map(ToString::to_string);
    let a = award_lines(vec![view], &achievements)
        .pop()
        .ok_or_else(|| WebError::from(ServiceError::internal("no award line")))?;
    Ok(AwardDetailPage {
        nav: user.nav,
        title: format!("Award of {}", a.achievement),
        notice: notice(notice_code),
        c,
        a,
        credential_name,
        valid_from,
        valid_until,
        public,
        override_justification,
        key,
        renews,
        claim,
        correction,
        history,
        actions,
        action,
        reason,
        errors,
    })
}

/// `GET /console/{org}/awards/{id}`: one award, its credential and its status form.
pub async fn award_detail(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Query(query): Query<crate::pages::credentials::NoticeQuery>,
) -> Result<Response, WebError> {
    let c = console_for(&state, &user, &slug, "awards").await?;
    let id: AwardId = record_id(&id, "credential")?;
    let page = award_detail_page(
        &state,
        user,
        c,
        &id,
        query.notice.as_deref(),
        Sent::default(),
    )
    .await?;
    Ok(render(&page))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// Present (`yes`) when the issuer confirmed a revocation, which cannot be undone.
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /console/{org}/awards/{id}/status`: revokes, suspends or reinstates, with a reason.
pub async fn change_status(
    State(state): State<AppState>,
    user: SignedIn,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let c = console_for(&state, &user, &slug, "awards").await?;
    let issuer = c.issuer()?.clone();
    let id: AwardId = record_id(&id, "award")?;
    let outcome = match state
        .services
        .registry
        .with_issuer(&issuer)
        .change_award_status_from_form(&id, &form.action, &form.reason, form.confirm.is_some())
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(form_errors(e)?.1),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/console/{}/awards/{id}?notice=status-changed",
            c.slug
        ))
        .into_response()),
        Err(errors) => {
            let status = if errors.iter().any(|e| e.field.is_empty()) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let sent = Sent {
                action: form.action,
                reason: form.reason,
                correction: Correction::default(),
                errors,
            };
            let page = award_detail_page(&state, user, c, &id, None, sent).await?;
            Ok(render_with(status, &page))
        }
    }
}
