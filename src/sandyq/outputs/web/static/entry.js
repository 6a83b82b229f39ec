/* sandyq entry form: the figures a data owner types are checked as a submission would be (POST
   /api/submissions/check, debounced), and each row's problems are shown beside its field in the page's language.
   Without this script the form still works: the server checks the figures when they are submitted. */
(function () {
  "use strict";
  var form = document.querySelector("form.flow-entry[data-check]");
  if (!form || !window.fetch) return;
  var csrf = form.querySelector('input[name="csrf"]').value;
  var count = parseInt(form.querySelector('input[name="count"]').value, 10) || 0;
  var general = document.getElementById("entry-problems");
  var timer = null;
  var asked = 0;

  function field(i, name) {
    var input = form.querySelector('[name="' + name + "_" + i + '"]');
    return input ? String(input.value).trim() : "";
  }
  function show(i, problems) {
    var box = document.getElementById("problems_" + i);
    if (!box) return;
    box.textContent = "";
    var wrong = { value: false, period: false };
    (problems || []).forEach(function (p) {
      var li = document.createElement("li");
      li.className = "flow-" + p.kind;
      li.setAttribute("data-field", p.field);
      li.textContent = p.text;
      box.appendChild(li);
      if (p.kind === "error" && wrong.hasOwnProperty(p.field)) wrong[p.field] = true;
    });
    ["value", "period"].forEach(function (name) {
      var input = form.querySelector('[name="' + name + "_" + i + '"]');
      if (input) input.setAttribute("aria-invalid", wrong[name] ? "true" : "false");
    });
  }
  function check() {
    var rows = [], at = [];
    for (var i = 0; i < count; i++) {
      var value = field(i, "value");
      if (!value) { show(i, []); continue; }
      rows.push({
        indicator: form.getAttribute("data-indicator"), geo: field(i, "geo"), dims: field(i, "dims"),
        source: field(i, "source"), unit: field(i, "unit"), period: field(i, "period"), value: value
      });
      at.push(i);
    }
    general.textContent = "";
    if (!rows.length) return;
    var mine = ++asked;
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ rows: rows })
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (mine !== asked) return;  // a later check is on its way: its answer counts
      if (!answer.ok) {
        general.textContent = (answer.body.error && answer.body.error.message) || "";
        return;
      }
      at.forEach(function (i, k) { show(i, answer.body.rows[k]); });
      general.textContent = (answer.body.problems || []).join(" ");
    }).catch(function () { /* offline or refused: the server checks the figures on submit */ });
  }
  form.addEventListener("input", function (e) {
    if (!/^(value|period)_\d+$/.test(e.target.name || "")) return;
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  });
})();
