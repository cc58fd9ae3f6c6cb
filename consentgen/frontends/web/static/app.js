// consentgen's local page: the wizard's questions, checked on the server as you type, with a preview.
(function () {
  "use strict";
  const CG = window.CG;
  // Keep the secret in this tab only (sessionStorage is per port; a cookie is not), and take it out of the
  // address bar, so a reload asks for the page with it and nothing else ever carries it.
  window.sessionStorage.setItem("consentgen-token", CG.token);
  window.history.replaceState(null, "", "/");
  const form = document.getElementById("answers");
  const status = document.getElementById("status");
  const frame = document.getElementById("frame");
  const editionSelect = document.getElementById("edition");
  let wantedEdition = "";  // the edition the user chose last, kept through answers that are briefly invalid
  const documentSelect = document.getElementById("document");
  const languageSelect = document.getElementById("language");
  (CG.languages || []).forEach(function (lang) {  // the preview's language picker, from the language registry
    const option = document.createElement("option");
    option.value = lang.code;
    option.textContent = lang.label;
    languageSelect.appendChild(option);
  });
  (CG.documents || []).forEach(function (doc) {  // the document picker, from the document types' manifests
    const option = document.createElement("option");
    option.value = doc.code;
    option.textContent = doc.label;
    documentSelect.appendChild(option);
  });
  const warnings = document.getElementById("warnings");
  const byKey = {};
  let timer = null;
  let latest = 0;
  // Counts downloads asked for: a preview that finishes after one never overwrites its message (busy, an error).
  let downloads = 0;

  function id(key) { return "q-" + key.replace(/[^a-z0-9]/gi, "-"); }

  function build(question) {
    const wrap = document.createElement("div");
    wrap.className = "field";
    wrap.dataset.key = question.key;
    const err = document.createElement("p");
    err.className = "error";
    err.id = id(question.key) + "-error";
    let input;
    if (question.kind === "checkbox") {
      const set = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = question.message;
      set.appendChild(legend);
      question.choices.forEach(function (choice) {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox"; box.name = question.key; box.value = choice[0];
        box.checked = (question.default || []).indexOf(choice[0]) >= 0;
        box.setAttribute("aria-describedby", err.id);
        label.appendChild(box); label.appendChild(document.createTextNode(" " + choice[1]));
        set.appendChild(label);
      });
      wrap.appendChild(set);
    } else if (question.kind === "confirm") {
      const label = document.createElement("label");
      input = document.createElement("input");
      input.type = "checkbox"; input.id = id(question.key); input.name = question.key;
      input.checked = !!question.default;
      label.appendChild(input); label.appendChild(document.createTextNode(" " + question.message));
      wrap.appendChild(label);
    } else {
      const label = document.createElement("label");
      label.htmlFor = id(question.key); label.textContent = question.message;
      wrap.appendChild(label);
      if (question.kind === "select") {
        input = document.createElement("select");
        if (question.default === null || question.default === undefined) {
          // Nothing is chosen for the user: the first option would otherwise be picked silently.
          const none = document.createElement("option");
          none.value = ""; none.textContent = "Choose\u2026";
          input.appendChild(none);
        }
        question.choices.forEach(function (choice) {
          const option = document.createElement("option");
          option.value = choice[0]; option.textContent = choice[1];
          input.appendChild(option);
        });
      } else {
        input = document.createElement("input");
        input.type = "text"; input.autocomplete = "off";
        if (question.kind === "autocomplete") {
          input.setAttribute("list", "states");
        }
      }
      input.id = id(question.key); input.name = question.key;
      if (question.required) { input.setAttribute("aria-required", "true"); }
      wrap.appendChild(input);
    }
    if (input) { input.setAttribute("aria-describedby", err.id); }
    wrap.appendChild(err);
    return wrap;
  }

  const states = document.createElement("datalist");
  states.id = "states";
  CG.states.forEach(function (s) { const o = document.createElement("option"); o.value = s[1]; states.appendChild(o); });
  document.body.appendChild(states);
  CG.questions.forEach(function (question) {
    const node = build(question);
    byKey[question.key] = node;
    form.appendChild(node);
  });

  // Credentials that name one profession (LPC, PhD, LCSW) choose it, as the wizard does, while none is chosen.
  const credentials = byKey["clinician.credentials"] && byKey["clinician.credentials"].querySelector("input");
  const profession = byKey["clinician.profession"] && byKey["clinician.profession"].querySelector("select");
  if (credentials && profession && CG.aliases) {
    credentials.addEventListener("change", function () {
      if (profession.value) { return; }
      const named = {};
      credentials.value.split(/[,;\/\s]+/).forEach(function (part) {
        const key = part.replace(/\./g, "").toLowerCase();
        if (CG.aliases[key]) { named[CG.aliases[key]] = true; }
      });
      const found = Object.keys(named);
      if (found.length === 1) { profession.value = found[0]; profession.dispatchEvent(new Event("change")); }
    });
  }

  // The answers file opened (or given to serve --answers), sent back with every request: what the page does not
  // ask about (translations, branding, logo, templates, address lines, form date...) is kept from it.
  let base = CG.base || null;

  function answers() {
    const out = {};
    CG.questions.forEach(function (question) {
      const node = byKey[question.key];
      if (question.kind === "checkbox") {
        out[question.key] = Array.from(node.querySelectorAll("input:checked")).map(function (b) { return b.value; });
      } else if (question.kind === "confirm") {
        out[question.key] = node.querySelector("input").checked;
      } else {
        out[question.key] = node.querySelector("input, select").value;
      }
    });
    return out;
  }

  function fill(values) {
    CG.questions.forEach(function (question) {
      if (!(question.key in values)) { return; }
      const node = byKey[question.key];
      const value = values[question.key];
      if (question.kind === "checkbox") {
        node.querySelectorAll("input").forEach(function (b) { b.checked = (value || []).indexOf(b.value) >= 0; });
      } else if (question.kind === "confirm") {
        node.querySelector("input").checked = !!value;
      } else {
        node.querySelector("input, select").value = value === null || value === undefined ? "" : value;
      }
    });
  }

  function post(path, payload) {
    return fetch(path, {method: "POST", headers: {"Content-Type": "application/json", "X-Consentgen-Token": CG.token},
                        body: JSON.stringify(payload), credentials: "same-origin"});
  }

  function request() {
    const given = answers();
    if (languageSelect.dataset.chosen !== "yes") {  // the preview follows the form-language answer
      languageSelect.value = String(given["form.language"] || "en").split(",")[0];
    }
    return {answers: given, edition: editionSelect.value, document: documentSelect.value,
            language: languageSelect.value, base: base};
  }

  async function refresh() {
    const mine = ++latest;
    const asked = downloads;
    const reply = await post("/api/check", {answers: answers(), base: base});
    if (!reply.ok || mine !== latest) { return; }
    const result = await reply.json();
    let first = null;
    CG.questions.forEach(function (question) {
      const node = byKey[question.key];
      node.hidden = result.active.indexOf(question.key) < 0;
      const message = result.errors[question.key] || "";
      const touched = node.dataset.touched === "yes";
      node.querySelector(".error").textContent = touched ? message : "";
      node.classList.toggle("invalid", touched && !!message);
      const input = node.querySelector("input, select");
      if (input) { input.setAttribute("aria-invalid", touched && message ? "true" : "false"); }
      if (touched && message && !first) { first = question.label + ": " + message; }
    });
    const have = Array.from(editionSelect.options).map(function (o) { return o.value; });
    // Rebuild only when the offered editions change, and never while the answers are incomplete (a half-typed
    // answer offers none): the edition the user chose stays chosen, and comes back when it is offered again.
    if (result.editions.length && have.join() !== result.editions.join()) {
      editionSelect.innerHTML = "";
      result.editions.forEach(function (edition) {
        const option = document.createElement("option");
        option.value = edition;
        option.textContent = (CG.editionLabels && CG.editionLabels[edition]) || edition.replace("_", " ");
        editionSelect.appendChild(option);
      });
      if (result.editions.indexOf(wantedEdition) >= 0) { editionSelect.value = wantedEdition; }
    }
    if (Object.keys(result.errors).length) {
      status.textContent = first || "Some answers are still missing.";
      return;
    }
    const shown = await post("/api/preview", request());
    if (mine !== latest) { return; }
    const data = await shown.json();
    if (!shown.ok) { status.textContent = data.error; return; }
    frame.srcdoc = data.html;
    if (asked === downloads) { status.textContent = "Preview updated (ID " + data.fingerprint + ")."; }
    warnings.innerHTML = "";
    if (data.warnings.length) {
      const list = document.createElement("ul");
      data.warnings.forEach(function (w) { const li = document.createElement("li"); li.textContent = w; list.appendChild(li); });
      warnings.appendChild(list);
    }
  }

  function later(event) {
    const node = event.target.closest(".field");
    if (node) { node.dataset.touched = "yes"; }
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  editionSelect.addEventListener("change", function () { wantedEdition = editionSelect.value; refresh(); });
  documentSelect.addEventListener("change", refresh);
  languageSelect.addEventListener("change", function () { languageSelect.dataset.chosen = "yes"; refresh(); });

  async function download(path) {
    // Check first, so errors show beside their fields; then fetch the file and hand it to the browser.
    downloads += 1;
    const reply = await post("/api/check", {answers: answers(), base: base});
    const result = await reply.json();
    if (Object.keys(result.errors).length) {
      form.querySelectorAll(".field").forEach(function (n) { n.dataset.touched = "yes"; });
      await refresh();
      status.textContent = "Please fix the answers marked in red first.";
      return;
    }
    // Fetched, not posted as a form: a refusal (busy, an error) is shown here and the page, with every
    // answer typed, stays as it is.
    status.textContent = "Making your file...";
    let made;
    try {
      made = await post(path, request());
    } catch (error) {
      status.textContent = "The page could not reach consentgen. Is it still running?";
      return;
    }
    if (!made.ok) {
      status.textContent = (await made.text()) || "The file was not made. Please try again.";
      return;
    }
    const named = /filename="([^"]+)"/.exec(made.headers.get("Content-Disposition") || "");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(await made.blob());
    link.download = named ? named[1] : "consentgen";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    status.textContent = "Your download has started.";
  }
  document.getElementById("pdf").addEventListener("click", function () { download("/api/pdf"); });
  // Every edition the answers offer, in every form language, as one zip of PDFs.
  document.getElementById("pdf-all").addEventListener("click", function () { download("/api/pdf-all"); });
  document.getElementById("save").addEventListener("click", function () { download("/api/answers"); });
  document.getElementById("open").addEventListener("change", async function (event) {
    const file = event.target.files[0];
    if (!file) { return; }
    const reply = await fetch("/api/open", {method: "POST", headers: {"X-Consentgen-Token": CG.token},
                                            body: await file.arrayBuffer(), credentials: "same-origin"});
    const data = await reply.json();
    if (!reply.ok) { status.textContent = data.error; return; }
    base = data.base;
    fill(data.answers);
    form.querySelectorAll(".field").forEach(function (n) { n.dataset.touched = "yes"; });
    status.textContent = "Opened " + file.name + ".";
    refresh();
  });

  // "Check a signed copy": the file goes to the page's own server, is checked in memory, and is not kept.
  document.getElementById("verify-file").addEventListener("change", async function (event) {
    const file = event.target.files[0];
    const result = document.getElementById("verify-result");
    if (!file) { return; }
    result.textContent = "Checking " + file.name + "...";
    const reply = await fetch("/api/verify", {method: "POST", headers: {"X-Consentgen-Token": CG.token},
                                              body: await file.arrayBuffer(), credentials: "same-origin"});
    let data;
    try {
      data = await reply.json();
    } catch (error) {  // a refusal before the check (too large, busy) may not be JSON
      data = {error: reply.status === 413 ? "The file is larger than 1 MB." : "The file could not be checked."};
    }
    result.textContent = "";
    const heading = document.createElement("p");
    heading.className = reply.ok && data.ok ? "verify-ok" : "verify-problem";
    if (reply.ok) {  // "AS ISSUED     your file: the content ..." -> "NAME: AS ISSUED - the content ..."
      const first = data.lines[0];
      const cut = first.indexOf("your file: ");
      heading.textContent = file.name + ": " + first.slice(0, cut).trim() + " - " + first.slice(cut + 11);
    } else {
      heading.textContent = file.name + ": " + (data.error || "could not be checked");
    }
    result.appendChild(heading);
    if (reply.ok) {
      const list = document.createElement("ul");
      data.lines.slice(1).forEach(function (line) {
        const item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      result.appendChild(list);
    }
    event.target.value = "";
  });

  if (CG.start && Object.keys(CG.start).length) {
    fill(CG.start);
    form.querySelectorAll(".field").forEach(function (n) { n.dataset.touched = "yes"; });
  }
  refresh();
}());
