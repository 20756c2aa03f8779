// Credence's only script: small progressive enhancements. Every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // "Copy link" buttons: shown only where the clipboard can be written.
  for (const button of document.querySelectorAll("button[data-copy]")) {
    if (!navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const input = document.getElementById(button.dataset.copy);
      if (!input) return;
      try {
        await navigator.clipboard.writeText(input.value);
        button.textContent = "Copied";
      } catch (_) {
        input.select();
      }
    });
  }
  // The awards list: one box ticks every award on the page (without script, a link
  // reloads the page with every award ticked).
  for (const all of document.querySelectorAll("input[data-select-all]")) {
    const boxes = [...all.form.querySelectorAll('input[type=checkbox][name="award"]')];
    const link = all.form.querySelector("[data-select-all-link]");
    if (link) link.closest("p").hidden = true;
    all.hidden = false;
    const sync = () => {
      const ticked = boxes.filter((b) => b.checked).length;
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    };
    all.addEventListener("change", () => {
      for (const b of boxes) b.checked = all.checked;
      sync();
    });
    for (const b of boxes) b.addEventListener("change", sync);
    sync();
  }
  // Bulk award progress: a page with a [data-poll] element reloads its job's status.
  const poll = document.querySelector("[data-poll]");
  if (poll) {
    const url = poll.dataset.poll;
    const bar = poll.querySelector("progress");
    const text = poll.querySelector("[data-progress-text]");
    const tick = async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) return;
        const job = await response.json();
        if (bar) { bar.max = job.total || 1; bar.value = job.done || 0; }
        if (text) text.textContent = `${job.done} of ${job.total} rows processed`;
        if (job.state === "finished" || job.state === "failed" || job.finished_at) {
          window.location.reload();
          return;
        }
      } catch (_) { /* try again */ }
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  }
});
