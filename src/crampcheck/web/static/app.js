// Live match preview of food lines: progressive enhancement only (the form works without it).
// Calls this server's own /api/nutrients (same origin; no other request is ever made).
(function () {
  "use strict";
  var box = document.getElementById("lines");
  var out = document.getElementById("preview");
  if (!box || !out) { return; }
  var timer = null;
  var seq = 0;

  function lines() {
    return box.value.split(/\n|;/).map(function (s) { return s.trim(); })
      .filter(function (s) { return s.length > 0; }).slice(0, 50);
  }

  function fmt(v) { return v === null || v === undefined ? "?" : Math.round(v).toString(); }

  function show(data) {
    out.textContent = "";
    var ul = document.createElement("ul");
    (data.items || []).forEach(function (it) {
      var li = document.createElement("li");
      li.textContent = it.text + " → " + it.food.name + ", " + Math.round(it.grams) + " g (Ca " +
        fmt(it.nutrients.calcium_mg) + " mg, Mg " + fmt(it.nutrients.magnesium_mg) + " mg)";
      ul.appendChild(li);
    });
    (data.unmatched || []).forEach(function (u) {
      var li = document.createElement("li");
      li.className = "miss";
      li.textContent = u.text + ": not matched (" + u.reason + "); it will be kept as unknown";
      ul.appendChild(li);
    });
    var h = document.createElement("strong");
    h.textContent = "Preview";
    out.appendChild(h);
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
