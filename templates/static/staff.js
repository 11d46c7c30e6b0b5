/* Staff pages: save each answer as it is given, show the evidence field when it applies,
   filter the role list, print the plan.
   Everything works without this script; it only makes saving immediate. */
(function () {
  "use strict";

  function autosave(form) {
    var url = form.getAttribute("data-autosave");
    var status = form.querySelector("[data-save-status]");
    var lr = form.querySelector("input[name=lr]").value;
    var timers = {};
    // One save in flight at a time, each sending the competency's state as it is *then*:
    // replies cannot overtake each other, so the last answer given is the one kept.
    var queue = [];
    var busy = false;

    function say(text) { if (status) { status.textContent = text; } }

    function body(box) {
      var cid = box.getAttribute("data-competency");
      var checked = box.querySelector("input[type=radio]:checked");
      if (!checked) { return null; }
      var data = new URLSearchParams();
      data.set("lr", lr);
      data.set("competency", cid);
      data.set("rating", checked.value);
      var evidence = box.querySelector("#evidence-" + CSS.escape(cid));
      var note = box.querySelector("#note-" + CSS.escape(cid));
      if (evidence) { data.set("evidence", evidence.value); }
      if (note) { data.set("note", note.value); }
      return data;
    }

    function next() {
      if (busy || !queue.length) { return; }
      var box = queue.shift();
      var data = body(box);
      if (!data) { next(); return; }
      busy = true;
      say("Saving…");
      fetch(url, {method: "POST", body: data, credentials: "omit",
                  headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json().then(function (d) { return {ok: r.ok, data: d}; }); })
        .then(function (res) {
          if (!res.ok) { say(res.data.message || "Not saved. Use the Save button."); return; }
          var bar = document.querySelector("[data-progress-bar]");
          var text = document.querySelector("[data-progress-text]");
          if (bar) { bar.value = res.data.answered; }
          if (text) { text.textContent = res.data.answered + " of " + res.data.total + " statements answered"; }
          if (!queue.length) { say("Saved."); }
        })
        .catch(function () { say("Not saved: check your connection, then use the Save button."); })
        .then(function () { busy = false; next(); });
    }

    function save(box) {
      if (queue.indexOf(box) === -1) { queue.push(box); }
      next();
    }

    form.querySelectorAll("[data-competency]").forEach(function (box) {
      box.addEventListener("change", function () { save(box); });
      box.addEventListener("input", function (event) {
        if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
        var cid = box.getAttribute("data-competency");
        clearTimeout(timers[cid]);
        timers[cid] = setTimeout(function () { save(box); }, 800);
      });
    });
  }

  // The evidence field belongs to one answer: show it once that answer is chosen. (Not
  // govuk-frontend's conditional reveal, which puts aria-expanded on a radio.)
  function evidenceReveal(box) {
    var prior = box.querySelector("input[type=radio][value='prior-qualification']");
    var field = box.querySelector(".app-evidence");
    if (!prior || !field) { return; }
    function sync() { field.hidden = !prior.checked; }
    box.addEventListener("change", sync);
    sync();
  }

  function roleFilter(input) {
    var items = document.querySelectorAll("[data-role-item]");
    var count = document.querySelector("[data-role-count]");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var match = words.every(function (w) { return item.getAttribute("data-search").indexOf(w) !== -1; });
        item.hidden = !(match || box.checked);
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = words.length ? shown + " roles match." : ""; }
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(autosave);
  document.querySelectorAll("[data-competency]").forEach(evidenceReveal);
  document.querySelectorAll("[data-role-filter]").forEach(roleFilter);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
