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
  // The statement picker: a search box, shown only with script, narrows the statements
  // to those whose code or words contain every word typed, opening the pathways that
  // hold a match. Without script every pathway can still be opened and read.
  const search = document.querySelector("[data-picker-search]");
  if (search) {
    const input = search.querySelector("input");
    const count = search.querySelector("[data-picker-count]");
    const items = Array.from(document.querySelectorAll("[data-picker-item]"));
    const groups = Array.from(document.querySelectorAll("[data-picker-group]"));
    const pathways = Array.from(document.querySelectorAll("[data-picker-pathway]"));
    const wasOpen = pathways.map((p) => p.open);
    search.hidden = false;
    const filter = () => {
      const words = input.value.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
      let shown = 0;
      for (const item of items) {
        const text = item.dataset.search || "";
        const match = words.every((w) => text.includes(w));
        item.hidden = !match;
        if (match) shown += 1;
      }
      for (const group of groups) {
        group.hidden = !group.querySelector("[data-picker-item]:not([hidden])");
      }
      pathways.forEach((pathway, i) => {
        const any = !!pathway.querySelector("[data-picker-item]:not([hidden])");
        pathway.hidden = !any;
        pathway.open = words.length > 0 ? any : wasOpen[i];
      });
      if (words.length === 0) {
        count.textContent = "";
      } else if (shown === 0) {
        count.textContent = "No statement matches.";
      } else {
        count.textContent = shown === 1 ? "1 statement matches." : `${shown} statements match.`;
      }
    };
    input.addEventListener("input", filter);
    // Enter in the search box narrows the list; it does not send the form.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  }
});
