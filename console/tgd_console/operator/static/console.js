// Console de régulation: live list (polled), dossier, actions, keyboard. No build step,
// no dependency. The server renders every piece of HTML; this only fetches and swaps.
"use strict";
(function () {
  const LIST_EVERY_MS = 1000;
  const LIVE_EVERY_MS = 1500;
  const REMINDERS_EVERY_MS = 60000;
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const list = document.getElementById("alert-list");
  const dossier = document.getElementById("dossier");
  let current = null; // the open alert's id
  const seen = new Set();

  function toLogin() { window.location.assign("/login"); }

  async function get(url) {
    // not "text/html": a fragment request without a session gets the guard's 401, not the login page
    const response = await fetch(url, { headers: { Accept: "*/*" }, credentials: "same-origin" });
    if (response.status === 401 || response.redirected) { toLogin(); return null; }
    return { status: response.status, html: await response.text() };
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {}),
    });
    if (response.status === 401 || response.redirected) { toLogin(); return null; }
    return { status: response.status, html: await response.text() };
  }

  // -- ages that tick ---------------------------------------------------------------
  function age(since) {
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
    if (s < 60) return "il y a " + s + " s";
    const m = Math.floor(s / 60);
    if (m < 60) return "il y a " + m + " min " + String(s % 60).padStart(2, "0") + " s";
    return "il y a " + Math.floor(m / 60) + " h " + String(m % 60).padStart(2, "0") + " min";
  }
  function tick() { document.querySelectorAll("[data-since]").forEach((el) => { el.textContent = age(el.dataset.since); }); }

  // -- the list -----------------------------------------------------------------------
  function items() { return Array.from(list.querySelectorAll(".alert-item")); }
  function markSelected() { items().forEach((b) => b.classList.toggle("selected", b.dataset.alertId === current)); }

  function markFresh() {
    let fresh = 0;
    items().forEach((b) => {
      if (!seen.has(b.dataset.alertId)) {
        seen.add(b.dataset.alertId);
        b.classList.add("fresh");
        fresh += 1;
      }
    });
    const waiting = list.querySelectorAll(".state-raised").length;
    document.title = (waiting ? "(" + waiting + ") " : "") + "Console de régulation — TGD";
    return fresh;
  }

  async function refreshList() {
    const got = await get("/regulation/alerts");
    if (!got) return;
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.alertId : null;
    if (got.html !== list.dataset.last) {
      list.dataset.last = got.html;
      list.innerHTML = got.html;
      markFresh();
      markSelected();
      tick();
      if (focused) { const again = list.querySelector('[data-alert-id="' + focused + '"]'); if (again) again.focus(); }
    }
  }

  // -- the dossier ----------------------------------------------------------------------
  function showDossier(html) {
    dossier.innerHTML = html;
    tick();
    const article = dossier.querySelector("article");
    current = article ? article.dataset.alertId : current;
    markSelected();
  }

  async function openAlert(id) {
    const got = await get("/regulation/alerts/" + id);
    if (!got) return;
    current = id;
    showDossier(got.html);
    const title = document.getElementById("dossier-title");
    (dossier.querySelector(".act") || title || dossier).focus();
  }

  async function refreshLive() {
    const status = document.getElementById("live-status");
    if (!current || !status) return;
    const got = await get("/regulation/alerts/" + current + "/live");
    if (!got || got.status !== 200) return;
    const parts = document.createElement("template");
    parts.innerHTML = got.html;
    parts.content.querySelectorAll("[data-part]").forEach((part) => {
      const target = document.getElementById(part.dataset.part);
      if (target && target.dataset.last !== part.innerHTML) {
        target.dataset.last = part.innerHTML;
        target.innerHTML = part.innerHTML;
      }
    });
    tick();
    // the state changed by itself (failsafe, another operator, the force's report): the
    // actions and the script of the old state must go; what was being typed stays
    const article = dossier.querySelector("article");
    const banner = document.querySelector("#live-status .banner");
    if (article && banner && banner.dataset.state !== article.dataset.state) await reloadDossier();
  }

  async function reloadDossier() {
    const typed = document.getElementById("note") ? document.getElementById("note").value : "";
    const hadFocus = dossier.contains(document.activeElement);
    const got = await get("/regulation/alerts/" + current);
    if (!got || got.status !== 200) return;
    showDossier(got.html);
    const noteBox = document.getElementById("note");
    if (noteBox) noteBox.value = typed;
    if (hadFocus) (dossier.querySelector(".act") || document.getElementById("dossier-title")).focus();
  }

  function note() { const el = document.getElementById("note"); return el && el.value.trim() ? el.value.trim() : null; }

  async function act(button) {
    if (!current) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    let url; let body;
    if (button.dataset.answer) {
      url = "/regulation/alerts/" + current + "/answers";
      body = { question_id: button.dataset.question, answer: button.dataset.answer, note: note() };
    } else {
      url = "/regulation/alerts/" + current + "/" + button.dataset.action;
      body = { note: note() };
      if (button.dataset.outcome) body.outcome = button.dataset.outcome;
    }
    const question = button.dataset.question;
    button.disabled = true;
    const got = await post(url, body);
    if (!got) return;
    if (got.status >= 400 && got.html.indexOf("<article") === -1) {
      window.alert("Action refusée (" + got.status + ").");
      button.disabled = false;
      return;
    }
    showDossier(got.html);
    refreshList();
    // focus goes on: the next unanswered question, or the decision buttons
    const next = question ? dossier.querySelector('.question:not(.answered) .answer') : null;
    (next || dossier.querySelector('.act[data-action="dispatch"]') || dossier.querySelector(".act") ||
      document.getElementById("dossier-title")).focus();
  }

  document.addEventListener("click", (event) => {
    const item = event.target.closest(".alert-item");
    if (item) { openAlert(item.dataset.alertId); return; }
    const button = event.target.closest(".act, .answer");
    if (button && dossier.contains(button)) { act(button); return; }
    if (event.target.id === "help-toggle") toggleHelp();
  });

  function toggleHelp() {
    const help = document.getElementById("help");
    if (!help) return;
    help.hidden = !help.hidden;
    document.getElementById("help-toggle").setAttribute("aria-expanded", String(!help.hidden));
  }

  function clickAction(name) {
    const button = dossier.querySelector('.act[data-action="' + name + '"]');
    if (button) button.click();
  }

  function clickOutcome(outcome) {
    const button = dossier.querySelector('.act[data-outcome="' + outcome + '"]');
    if (button) button.click();
  }

  function moveInList(step) {
    const all = items();
    if (!all.length) return;
    const at = all.indexOf(document.activeElement);
    const next = at === -1 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    all[next].focus();
  }

  document.addEventListener("keydown", (event) => {
    if (!list) return; // another page (the statistics): no alert shortcuts
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.matches && event.target.matches("input, textarea");
    if (event.key === "Escape") {
      event.target.blur && typing && event.target.blur();
      const back = list.querySelector(".selected") || items()[0];
      if (back) back.focus();
      return;
    }
    if (typing) return;
    const inList = event.target.classList && event.target.classList.contains("alert-item");
    const keys = {
      ArrowDown: () => inList && moveInList(1), ArrowUp: () => inList && moveInList(-1),
      j: () => moveInList(1), k: () => moveInList(-1), l: () => moveInList(0),
      p: () => clickAction("take"), d: () => clickAction("dispatch"),
      r: () => clickAction("redirect"), c: () => clickAction("close"),
      t: () => clickOutcome("test_call"), a: () => clickOutcome("accidental"),
      q: () => { const q = dossier.querySelector(".question:not(.answered) .answer") || dossier.querySelector(".answer"); if (q) q.focus(); },
      n: () => { const n = document.getElementById("note"); if (n) n.focus(); },
      "?": toggleHelp,
    };
    const run = keys[event.key] || keys[event.key.toLowerCase && event.key.toLowerCase()];
    if (run && (event.key.length === 1 || inList)) { event.preventDefault(); run(); }
  });

  // one request at a time per poller: a slow answer is never overtaken by a later one
  function every(ms, poll) {
    let busy = false;
    setInterval(async () => {
      if (busy) return;
      busy = true;
      try { await poll(); } catch (e) { /* network hiccup: the next round retries */ } finally { busy = false; }
    }, ms);
  }

  // the platform's reminders (out of stock): after the alerts, never before them
  const reminders = document.getElementById("reminders");
  async function refreshReminders() {
    const got = await get("/regulation/reminders");
    if (got && got.html !== reminders.dataset.last) { reminders.dataset.last = got.html; reminders.innerHTML = got.html; }
  }

  if (list) {
    if (reminders) { refreshReminders(); every(REMINDERS_EVERY_MS, refreshReminders); }
    items().forEach((b) => seen.add(b.dataset.alertId));
    markFresh();
    tick();
    every(LIST_EVERY_MS, refreshList);
    every(LIVE_EVERY_MS, refreshLive);
    setInterval(tick, 1000);
  }
})();
