// Live match preview of food lines: progressive enhancement only (the form works without it).
// Calls this server's own /api/nutrients and /api/pins (same origin; no other request is ever
// made). Each match shows how sure it is; a line crampcheck is not sure of shows suggestions,
// and picking one (or another food for a match) pins it: later lines use it.
(function () {
  "use strict";
  var box = document.getElementById("lines");
  var out = document.getElementById("preview");
  if (!box || !out) { return; }
  var timer = null;
  var seq = 0;

  function lines() {
    return box.value.split(/\n|;/).map(function (s) { return s.trim(); })
      .filter(function (s) { return s.length > 0; }).slice(0, 40);  // the server takes 40 a request
  }

  function fmt(v) { return v === null || v === undefined ? "?" : Math.round(v).toString(); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function sure(c) {
    var pct = Math.round(100 * c) + " %";
    var span = el("span", "conf " + (c >= 0.9 ? "conf-high" : c >= 0.7 ? "conf-mid" : "conf-low"),
      (c >= 0.9 ? "✓ " : c >= 0.7 ? "~ " : "? ") + pct);
    span.title = "how sure crampcheck is of this match";
    return span;
  }

  function choices(phrase, foods, label) {
    var div = el("div", "choices");
    div.appendChild(el("span", "muted", label + " "));
    foods.forEach(function (f) {
      var b = el("button", "small pick", f.name);
      b.type = "button";
      b.setAttribute("data-food", f.id);
      b.setAttribute("aria-label", "Use " + f.name + " for '" + phrase + "'");
      b.addEventListener("click", function () { pin(phrase, f.id, b); });
      div.appendChild(b);
    });
    return div;
  }

  function pin(phrase, foodId, button) {
    button.disabled = true;
    fetch("/api/pins", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ phrase: phrase, food_id: foodId })
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    }).then(function (res) {
      if (!res.ok) {
        button.disabled = false;
        out.appendChild(el("p", "miss", res.body.detail || "Could not save this choice."));
        return;
      }
      update();
    }).catch(function () { button.disabled = false; });
  }

  function show(data) {
    out.textContent = "";
    var ul = el("ul");
    (data.items || []).forEach(function (it) {
      var li = el("li", "item");
      li.appendChild(document.createTextNode(it.text + " → " + it.food.name + ", " +
        Math.round(it.grams) + " g (Ca " + fmt(it.nutrients.calcium_mg) + " mg, Mg " +
        fmt(it.nutrients.magnesium_mg) + " mg) "));
      li.appendChild(sure(it.confidence));
      if (it.notes && it.notes.indexOf("your choice") >= 0) {
        li.appendChild(el("span", "muted", " your choice"));
      } else if (it.confidence < 0.9 && it.alternatives && it.alternatives.length && it.phrase) {
        // a match crampcheck is less than sure of offers the other foods it considered
        li.appendChild(choices(it.phrase, it.alternatives.slice(0, 3), "Not right? Use"));
      }
      ul.appendChild(li);
    });
    (data.unmatched || []).forEach(function (u) {
      var li = el("li", "miss");
      li.appendChild(document.createTextNode(u.text + ": not sure (" + u.reason +
        "); it will be kept as unknown"));
      if (u.suggestions && u.suggestions.length && u.phrase) {
        li.appendChild(choices(u.phrase, u.suggestions, "Did you mean"));
      }
      ul.appendChild(li);
    });
    out.appendChild(el("strong", "", "Preview"));
    out.appendChild(ul);
    out.hidden = false;
  }

  function update() {
    var ls = lines();
    if (ls.length === 0) { out.hidden = true; return; }
    var mine = ++seq;
    fetch("/api/nutrients", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ lines: ls })
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, body: j }; });
    }).then(function (res) {
      if (mine !== seq) { return; }
      if (res.ok) { show(res.body); } else {
        out.textContent = res.body.detail || "Could not read these lines.";
        out.hidden = false;
      }
    }).catch(function () { /* the form still works without the preview */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 350);
  });
})();
