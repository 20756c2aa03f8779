//! A `credence serve` process killed with SIGKILL while its mail worker is sending: the
//! message is not lost. The SMTP server (aiosmtpd) keeps the message but withholds its
//! "250", the process dies not knowing it was delivered, and the next process sends it
//! again once the lease has run out, with the same `Message-ID`, which lets the
//! recipient's server see it is the same message. Nothing else is sent twice.

use std::time::Duration;

use credence_domain::registry::OutboxState;
use serde_json::json;

use crate::multiprocess::Registry;
use crate::registry_awards::{award, issuer_setup};
use crate::smtp_sink::SmtpSink;

/// The lease of the processes started here: short, so the test waits seconds, not minutes.
const LEASE_SECS: u64 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_send_loses_no_mail_and_resends_it_with_its_message_id() {
    let sink = SmtpSink::start_holding_first(60);
    let registry = Registry::with_server_settings(&format!(
        "\n[mail]\nsmtp_url = \"{}\"\npoll_ms = 100\nlease_secs = {LEASE_SECS}\n",
        sink.url()
    ))
    .await;
    // Two messages wait in the outbox: claim links of awards to addresses without accounts.
    let app = registry.app().await;
    let (token, achievement) = issuer_setup(&app, "crash-ics", "web").await;
    for email in ["first@crash.test", "second@crash.test"] {
        let made = award(
            &app,
            "crash-ics",
            &token,
            json!({"achievement": achievement, "email": email, "override_justification": "Completed the course in person, assessed by its lead."}),
        )
        .await;
        assert_eq!(
            made.status,
            axum::http::StatusCode::CREATED,
            "{}",
            made.body
        );
    }
    let outbox = || crate::mail::outbox(&app);
    assert_eq!(outbox().await.messages.len(), 2);

    // A server sends the first; the SMTP server has it but has not said so yet: kill.
    let server = registry.serve();
    let first = sink.wait_for(1).await;
    assert_eq!(first.len(), 1, "the first message reached the SMTP server");
    drop(server); // SIGKILL, and wait for the process to end
    let after_kill = outbox().await;
    let held = after_kill
        .messages
        .iter()
        .find(|m| first[0].to.iter().any(|t| m.recipient.contains(t.as_str())))
        .expect("the message being sent");
    assert_eq!(
        held.state,
        OutboxState::Queued,
        "not recorded as sent: {after_kill:?}"
    );

    // The next process sends it again once the lease ran out, and the other one once.
    tokio::time::sleep(Duration::from_secs(LEASE_SECS + 1)).await;
    let _server = registry.serve();
    let all = sink.wait_for(3).await;
    assert_eq!(all.len(), 3, "{all:?}");
    let mut finished = outbox().await;
    for _ in 0..100 {
        if finished
            .messages
            .iter()
            .all(|m| m.state == OutboxState::Sent)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        finished = outbox().await;
    }
    assert!(
        finished
            .messages
            .iter()
            .all(|m| m.state == OutboxState::Sent),
        "{finished:?}"
    );
    let ids: Vec<String> = all
        .iter()
        .map(|m| m.header("Message-ID").expect("a Message-ID"))
        .collect();
    assert_eq!(ids[0], held.message_id, "the id fixed in the outbox");
    assert_eq!(
        ids.iter().filter(|id| **id == ids[0]).count(),
        2,
        "the interrupted message came twice, with one Message-ID: {ids:?}"
    );
    assert_ne!(
        ids[0],
        ids.iter()
            .find(|id| **id != ids[0])
            .cloned()
            .unwrap_or_default()
    );
    // Nothing more arrives.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(sink.received().len(), 3);
}
