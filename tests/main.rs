//! Credence's integration tests, all in one binary: HTTP, CLI, storage, and the browser.

mod support;
