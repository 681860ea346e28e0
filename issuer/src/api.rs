//! The authenticated API: VC-API issuing and status (VC-API §3.2.1 "Issue Credential" and
//! §3.2.3 "Update Status", in the Digital Credentials Consortium's status shape), and the admin
//! API for issuers, keys, achievements, awards, batches, CLRs, endorsements, tokens and the
//! audit log. Every write is audited; see [`crate::auth`] for who may do what.

use accolade_verifier::{ApiError, AppJson};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::achievements::{self, AchievementDefinition};
use crate::auth::{self, Caller, NewToken};
use crate::batch;
use crate::credentials::{self, Award, Endorsement, IssueOptions, Recipient};
use crate::status_lists::{self, Change};
use crate::store::Store;
use crate::tenants::{self, NewIssuer, Profile};
use crate::{AppState, ServiceError};

type ApiResult = Result<Response, ApiError>;

fn created(value: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

fn ok(value: Value) -> ApiResult {
    Ok(Json(value).into_response())
}

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credentials/issue", post(issue_default))
        .route("/issuers/{issuer}/credentials/issue", post(issue))
        .route("/credentials/status", post(status_default))
        .route("/issuers/{issuer}/credentials/status", post(status))
        .route("/admin/issuers", post(create_issuer).get(list_issuers))
        .route("/admin/issuers/{issuer}", get(show_issuer))
        .route("/admin/issuers/{issuer}/profile", axum::routing::put(update_profile))
        .route("/admin/issuers/{issuer}/keys", post(rotate_key))
        .route("/admin/issuers/{issuer}/achievements", post(create_achievement).get(list_achievements))
        .route("/admin/issuers/{issuer}/achievements/{achievement}", get(show_achievement).put(update_achievement))
        .route("/admin/issuers/{issuer}/achievements/{achievement}/retire", post(retire_achievement))
        .route("/admin/issuers/{issuer}/awards", post(award))
        .route(
            "/admin/issuers/{issuer}/batches",
            post(run_batch).layer(axum::extract::DefaultBodyLimit::max(batch::MAX_CSV_BYTES)),
        )
        .route("/admin/issuers/{issuer}/clr", post(clr))
        .route("/admin/issuers/{issuer}/endorsements", post(endorse))
        .route("/admin/credentials/{id}", get(show_credential))
        .route("/admin/credentials/{id}/status", post(change_status))
        .route("/admin/tokens", post(create_token))
        .route("/admin/audit", get(audit_log))
}

/// VC-API issue request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    /// The credential to sign, without proof.
    #[schema(value_type = Object)]
    pub credential: Value,
    /// How to sign it.
    #[serde(default)]
    pub options: IssueOptions,
}

/// The issuer a VC-API call without an issuer in its path acts for: the token's, or the
/// server's only one.
async fn default_issuer(state: &AppState, caller: &Caller) -> Result<String, ServiceError> {
    if let Some(tenant) = &caller.tenant {
        return Ok(tenant.clone());
    }
    let tenants = state.store().tenants().await?;
    match tenants.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => Err(ServiceError::invalid(
            "NO_ISSUER",
            "this server has no issuer yet; create one with POST /admin/issuers",
        )),
        _ => Err(ServiceError::invalid(
            "ISSUER_REQUIRED",
            "this server has several issuers: use /issuers/{issuer}/credentials/issue or a token bound to one issuer",
        )),
    }
}

/// Issues a credential as the token's (or the server's only) issuer.
#[utoipa::path(post, path = "/credentials/issue", request_body = IssueRequest, tag = "VC-API",
    responses((status = 201, description = "`{verifiableCredential}`"), (status = 400, description = "Malformed request"),
        (status = 401, description = "No valid token"), (status = 403, description = "Another issuer's credential")),
    security(("bearer" = [])))]
async fn issue_default(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(request): AppJson<IssueRequest>,
) -> ApiResult {
    let tenant = default_issuer(&state, &caller).await?;
    issue_as(&state, &caller, &tenant, request).await
}

/// Issues a credential as `issuer`.
#[utoipa::path(post, path = "/issuers/{issuer}/credentials/issue", request_body = IssueRequest, tag = "VC-API",
    params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 201, description = "`{verifiableCredential}`"), (status = 400, description = "Malformed request"),
        (status = 401, description = "No valid token"), (status = 403, description = "Wrong issuer")),
    security(("bearer" = [])))]
async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(request): AppJson<IssueRequest>,
) -> ApiResult {
    issue_as(&state, &caller, &tenant, request).await
}

async fn issue_as(state: &AppState, caller: &Caller, tenant: &str, request: IssueRequest) -> ApiResult {
    caller.require_issue(tenant)?;
    let issuer = tenants::load(state, tenant).await?;
    let issued = credentials::issue_vc_api(state, &issuer, request.credential, &request.options).await?;
    caller.audit(state, "credential.issue", &issued.id, json!({"issuer": tenant, "via": "vc-api"})).await?;
    created(issued.to_json(state))
}

/// VC-API status request (the DCC shape).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    /// The credential's `id` (its public URL) or its public id.
    pub credential_id: String,
    /// One change: `[{"type": "BitstringStatusListCredential", "status": "revoked" | "suspended" | "unsuspended"}]`.
    #[schema(value_type = Vec<Object>)]
    pub credential_status: Vec<Value>,
    /// Why, for the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/credentials/status", request_body = StatusRequest, tag = "VC-API",
    responses((status = 200, description = "The new status"), (status = 404, description = "No such credential"),
        (status = 409, description = "Revocation is final")),
    security(("bearer" = [])))]
async fn status_default(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(request): AppJson<StatusRequest>,
) -> ApiResult {
    update_status(&state, &caller, None, request).await
}

#[utoipa::path(post, path = "/issuers/{issuer}/credentials/status", request_body = StatusRequest, tag = "VC-API",
    params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 200, description = "The new status"), (status = 404, description = "No such credential"),
        (status = 409, description = "Revocation is final")),
    security(("bearer" = [])))]
async fn status(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(request): AppJson<StatusRequest>,
) -> ApiResult {
    update_status(&state, &caller, Some(&tenant), request).await
}

async fn update_status(state: &AppState, caller: &Caller, tenant: Option<&str>, request: StatusRequest) -> ApiResult {
    let [entry] = request.credential_status.as_slice() else {
        return Err(
            ServiceError::invalid("INVALID_STATUS_REQUEST", "credentialStatus must hold exactly one change").into()
        );
    };
    let change = entry.get("status").and_then(Value::as_str).and_then(Change::parse).ok_or_else(|| {
        ServiceError::invalid(
            "INVALID_STATUS_REQUEST",
            "credentialStatus[0].status must be revoked, suspended or unsuspended",
        )
    })?;
    let public_prefix = format!("{}/c/", state.config().public_url);
    let id = request.credential_id.strip_prefix(&public_prefix).unwrap_or(&request.credential_id).to_owned();
    let reason = request.reason.unwrap_or_default();
    change_status_of(state, caller, tenant, &id, change, &reason).await
}

async fn change_status_of(
    state: &AppState,
    caller: &Caller,
    tenant: Option<&str>,
    id: &str,
    change: Change,
    reason: &str,
) -> ApiResult {
    let row = state.store().credential(id).await.map_err(ServiceError::from)?;
    // Another tenant's credential is "not found", so ids cannot be probed across tenants.
    let row = row
        .filter(|r| tenant.is_none_or(|t| t == r.tenant_id) && caller.check_tenant(&r.tenant_id).is_ok())
        .ok_or_else(|| ServiceError::NotFound(format!("credential {id}")))?;
    caller.require_admin(Some(&row.tenant_id))?;
    let issuer = tenants::load(state, &row.tenant_id).await?;
    let status = status_lists::apply(state, &issuer, &row.id, change).await?;
    let action = match change {
        Change::Revoke => "credential.revoke",
        Change::Suspend => "credential.suspend",
        Change::Unsuspend => "credential.unsuspend",
    };
    caller.audit(state, action, &row.id, json!({"issuer": row.tenant_id, "reason": reason})).await?;
    ok(json!({"credentialId": credentials::credential_url(state, &row.id), "status": status}))
}

#[utoipa::path(post, path = "/admin/issuers", request_body = NewIssuer, tag = "Admin",
    responses((status = 201, description = "The issuer, its DID and public keys"), (status = 409, description = "The id is taken")),
    security(("bearer" = [])))]
async fn create_issuer(State(state): State<AppState>, caller: Caller, AppJson(new): AppJson<NewIssuer>) -> ApiResult {
    caller.require_admin(None)?;
    if caller.tenant.is_some() {
        return Err(ServiceError::forbidden("WRONG_ISSUER", "a token bound to one issuer cannot create issuers").into());
    }
    let id = new.id.clone();
    let issuer = tenants::create(&state, new).await.map_err(|e| match e {
        ServiceError::Store(crate::store::StoreError::Duplicate(_)) => {
            ServiceError::conflict("DUPLICATE_ISSUER", format!("issuer {id:?} already exists"))
        }
        other => other,
    })?;
    caller.audit(&state, "issuer.create", issuer.id(), json!({"did": issuer.did()})).await?;
    created(issuer.to_json())
}

#[utoipa::path(get, path = "/admin/issuers", tag = "Admin", responses((status = 200, description = "The issuers")),
    security(("bearer" = [])))]
async fn list_issuers(State(state): State<AppState>, caller: Caller) -> ApiResult {
    let all = tenants::list(&state).await?;
    let visible: Vec<Value> =
        all.iter().filter(|i| caller.check_tenant(i.id()).is_ok()).map(tenants::Issuer::to_json).collect();
    ok(Value::Array(visible))
}

async fn visible_issuer(state: &AppState, caller: &Caller, tenant: &str) -> Result<tenants::Issuer, ServiceError> {
    caller.check_tenant(tenant)?;
    tenants::load(state, tenant).await
}

#[utoipa::path(get, path = "/admin/issuers/{issuer}", tag = "Admin", params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 200, description = "The issuer"), (status = 404, description = "No such issuer")), security(("bearer" = [])))]
async fn show_issuer(State(state): State<AppState>, caller: Caller, Path(tenant): Path<String>) -> ApiResult {
    ok(visible_issuer(&state, &caller, &tenant).await?.to_json())
}

#[utoipa::path(put, path = "/admin/issuers/{issuer}/profile", request_body = Profile, tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id")), responses((status = 200, description = "The issuer")),
    security(("bearer" = [])))]
async fn update_profile(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(profile): AppJson<Profile>,
) -> ApiResult {
    caller.require_admin(Some(&tenant))?;
    let issuer = tenants::update_profile(&state, &tenant, profile).await?;
    caller.audit(&state, "issuer.profile", &tenant, json!({"profile": issuer.profile()})).await?;
    ok(issuer.to_json())
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/keys", tag = "Admin", params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 201, description = "The issuer with its new signing key"), (status = 409, description = "did:key cannot rotate")),
    security(("bearer" = [])))]
async fn rotate_key(State(state): State<AppState>, caller: Caller, Path(tenant): Path<String>) -> ApiResult {
    caller.require_admin(Some(&tenant))?;
    let issuer = tenants::rotate_key(&state, &tenant).await?;
    let newest = issuer.to_json()["keys"].as_array().and_then(|k| k.last()).cloned().unwrap_or_default();
    caller.audit(&state, "issuer.rotate-key", &tenant, json!({"key": newest["id"]})).await?;
    created(issuer.to_json())
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/achievements", request_body = AchievementDefinition, tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 201, description = "The achievement"), (status = 400, description = "Invalid definition"),
        (status = 409, description = "The id is taken")), security(("bearer" = [])))]
async fn create_achievement(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(definition): AppJson<AchievementDefinition>,
) -> ApiResult {
    caller.require_admin(Some(&tenant))?;
    let issuer = tenants::load(&state, &tenant).await?;
    let achievement = achievements::create(&state, &issuer, definition).await?;
    caller.audit(&state, "achievement.create", &format!("{tenant}/{}", achievement.definition.id), json!({})).await?;
    created(achievement.to_json(&state, &issuer))
}

#[utoipa::path(get, path = "/admin/issuers/{issuer}/achievements", tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id")), responses((status = 200, description = "The achievements")),
    security(("bearer" = [])))]
async fn list_achievements(State(state): State<AppState>, caller: Caller, Path(tenant): Path<String>) -> ApiResult {
    let issuer = visible_issuer(&state, &caller, &tenant).await?;
    let list = achievements::list(&state, &issuer).await?;
    ok(Value::Array(list.iter().map(|a| a.to_json(&state, &issuer)).collect()))
}

#[utoipa::path(get, path = "/admin/issuers/{issuer}/achievements/{achievement}", tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id"), ("achievement" = String, Path, description = "Achievement id")),
    responses((status = 200, description = "The achievement"), (status = 404, description = "No such achievement")),
    security(("bearer" = [])))]
async fn show_achievement(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> ApiResult {
    let issuer = visible_issuer(&state, &caller, &tenant).await?;
    ok(achievements::load(&state, &issuer, &id).await?.to_json(&state, &issuer))
}

#[utoipa::path(put, path = "/admin/issuers/{issuer}/achievements/{achievement}", request_body = AchievementDefinition, tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id"), ("achievement" = String, Path, description = "Achievement id")),
    responses((status = 200, description = "The achievement")), security(("bearer" = [])))]
async fn update_achievement(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
    AppJson(definition): AppJson<AchievementDefinition>,
) -> ApiResult {
    caller.require_admin(Some(&tenant))?;
    let issuer = tenants::load(&state, &tenant).await?;
    let achievement = achievements::update(&state, &issuer, &id, definition).await?;
    caller.audit(&state, "achievement.update", &format!("{tenant}/{id}"), json!({})).await?;
    ok(achievement.to_json(&state, &issuer))
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/achievements/{achievement}/retire", tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id"), ("achievement" = String, Path, description = "Achievement id")),
    responses((status = 200, description = "The retired achievement")), security(("bearer" = [])))]
async fn retire_achievement(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> ApiResult {
    caller.require_admin(Some(&tenant))?;
    let issuer = tenants::load(&state, &tenant).await?;
    let achievement = achievements::retire(&state, &issuer, &id).await?;
    caller.audit(&state, "achievement.retire", &format!("{tenant}/{id}"), json!({})).await?;
    ok(achievement.to_json(&state, &issuer))
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/awards", request_body = Award, tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 201, description = "The credential and its delivery links"), (status = 404, description = "Unknown achievement")),
    security(("bearer" = [])))]
async fn award(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(award): AppJson<Award>,
) -> ApiResult {
    caller.require_issue(&tenant)?;
    let issuer = tenants::load(&state, &tenant).await?;
    let achievement = achievements::load(&state, &issuer, &award.achievement).await?;
    let issued = credentials::award(&state, &issuer, &achievement, &award, None).await?;
    caller
        .audit(&state, "credential.issue", &issued.id, json!({"issuer": tenant, "achievement": award.achievement}))
        .await?;
    created(issued.to_json(&state))
}

/// Query of a batch run.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BatchQuery {
    /// The achievement awarded to every row.
    pub achievement: String,
    /// Validate every row and report, signing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// A name for the batch; re-sending the same batch id and file issues only the rows not yet
    /// issued. Defaults to a digest of the issuer, achievement and file.
    #[serde(default)]
    pub batch_id: Option<String>,
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/batches", tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id"), BatchQuery),
    request_body(content = String, content_type = "text/csv", description = "One learner per row"),
    responses((status = 200, description = "Dry-run report, or the batch's results"), (status = 400, description = "Bad rows, all listed")),
    security(("bearer" = [])))]
async fn run_batch(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(query): Query<BatchQuery>,
    body: String,
) -> ApiResult {
    caller.require_issue(&tenant)?;
    let issuer = tenants::load(&state, &tenant).await?;
    let achievement = achievements::load(&state, &issuer, &query.achievement).await?;
    let plan = match batch::plan(&state, &issuer, &achievement, body.as_bytes()) {
        Ok(plan) => plan,
        // Every bad row, with its line, so the admin can fix the file in one pass.
        Err(ServiceError::BadRows(rows)) => {
            let message = ServiceError::BadRows(rows.clone()).to_string();
            let body = json!({"error": {"code": "INVALID_ROWS", "message": message, "rows": rows}});
            return Ok((StatusCode::BAD_REQUEST, Json(body)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    if query.dry_run {
        return ok(plan.report());
    }
    let batch_id = query.batch_id.unwrap_or_else(|| plan.default_id(&issuer, &achievement));
    let summary = batch::run(&state, &issuer, &achievement, &plan, &batch_id, |_| {}).await?;
    caller
        .audit(
            &state,
            "batch.issue",
            &batch_id,
            json!({"issuer": tenant, "achievement": query.achievement, "issued": summary.issued, "already": summary.already}),
        )
        .await?;
    ok(summary.to_json(&state))
}

/// A CLR request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClrRequest {
    /// The learner, as their credentials were issued (same email or identifier).
    pub recipient: Recipient,
    /// The record's title.
    #[serde(default)]
    pub name: Option<String>,
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/clr", request_body = ClrRequest, tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 201, description = "The ClrCredential"), (status = 400, description = "Nothing to bundle")),
    security(("bearer" = [])))]
async fn clr(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(request): AppJson<ClrRequest>,
) -> ApiResult {
    caller.require_issue(&tenant)?;
    let issuer = tenants::load(&state, &tenant).await?;
    let issued = credentials::issue_clr(&state, &issuer, &request.recipient, request.name.as_deref()).await?;
    caller.audit(&state, "credential.issue-clr", &issued.id, json!({"issuer": tenant})).await?;
    created(issued.to_json(&state))
}

#[utoipa::path(post, path = "/admin/issuers/{issuer}/endorsements", request_body = Endorsement, tag = "Admin",
    params(("issuer" = String, Path, description = "Issuer id")),
    responses((status = 201, description = "The EndorsementCredential")), security(("bearer" = [])))]
async fn endorse(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    AppJson(endorsement): AppJson<Endorsement>,
) -> ApiResult {
    caller.require_issue(&tenant)?;
    let issuer = tenants::load(&state, &tenant).await?;
    let issued = credentials::endorse(&state, &issuer, &endorsement).await?;
    caller
        .audit(&state, "credential.endorse", &issued.id, json!({"issuer": tenant, "subject": endorsement.subject}))
        .await?;
    created(issued.to_json(&state))
}

#[utoipa::path(get, path = "/admin/credentials/{id}", tag = "Admin", params(("id" = String, Path, description = "Public id")),
    responses((status = 200, description = "The credential, its recipient and status")), security(("bearer" = [])))]
async fn show_credential(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult {
    let row = state
        .store()
        .credential(&id)
        .await
        .map_err(ServiceError::from)?
        .filter(|r| caller.check_tenant(&r.tenant_id).is_ok())
        .ok_or_else(|| ServiceError::NotFound(format!("credential {id}")))?;
    let status = status_lists::current(&state, &row.id).await?;
    ok(json!({
        "id": row.id,
        "issuer": row.tenant_id,
        "kind": row.kind,
        "achievement": row.achievement_id,
        "recipient": {"name": row.recipient_name, "identifier": row.recipient_identifier},
        "format": row.format,
        "issuedAt": row.issued_at,
        "status": status,
        "links": credentials::delivery_links(&state, &row.id),
        "verifiableCredential": credentials::stored_credential(&row)?,
    }))
}

/// An admin status change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `revoke`, `suspend` or `unsuspend`.
    pub action: String,
    /// Why; kept in the audit log.
    pub reason: String,
}

#[utoipa::path(post, path = "/admin/credentials/{id}/status", request_body = StatusChange, tag = "Admin",
    params(("id" = String, Path, description = "Public id")),
    responses((status = 200, description = "The new status"), (status = 409, description = "Revocation is final")),
    security(("bearer" = [])))]
async fn change_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(request): AppJson<StatusChange>,
) -> ApiResult {
    let change = Change::parse(&request.action).ok_or_else(|| {
        ServiceError::invalid("INVALID_STATUS_REQUEST", "action must be revoke, suspend or unsuspend")
    })?;
    if request.reason.trim().is_empty() {
        return Err(
            ServiceError::invalid("REASON_REQUIRED", "a reason is required; it is kept in the audit log").into()
        );
    }
    change_status_of(&state, &caller, None, &id, change, request.reason.trim()).await
}

#[utoipa::path(post, path = "/admin/tokens", request_body = NewToken, tag = "Admin",
    responses((status = 201, description = "`{token}`: shown once, not kept")), security(("bearer" = [])))]
async fn create_token(State(state): State<AppState>, caller: Caller, AppJson(new): AppJson<NewToken>) -> ApiResult {
    caller.require_admin(new.issuer.as_deref())?;
    if caller.tenant.is_some() && new.issuer.is_none() {
        return Err(
            ServiceError::forbidden("WRONG_ISSUER", "a token bound to one issuer can only make tokens for it").into()
        );
    }
    let token = auth::create_token(&state, &new).await?;
    caller.audit(&state, "token.create", &new.name, json!({"scope": new.scope, "issuer": new.issuer})).await?;
    created(json!({"token": token, "name": new.name, "scope": new.scope, "issuer": new.issuer}))
}

/// Query of the audit log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// How many lines, newest first (default 100, at most 1000).
    #[serde(default)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/admin/audit", tag = "Admin", params(AuditQuery),
    responses((status = 200, description = "Audit lines, newest first")), security(("bearer" = [])))]
async fn audit_log(State(state): State<AppState>, caller: Caller, Query(query): Query<AuditQuery>) -> ApiResult {
    caller.require_admin(None)?;
    if caller.tenant.is_some() {
        return Err(ServiceError::forbidden("WRONG_ISSUER", "the audit log is for server-wide admin tokens").into());
    }
    let rows = state.store().audit_log(query.limit.unwrap_or(100).clamp(1, 1000)).await.map_err(ServiceError::from)?;
    ok(serde_json::to_value(rows).unwrap_or_default())
}
