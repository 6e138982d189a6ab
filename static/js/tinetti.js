/* Live Tinetti subtotals and fall-risk band while the form is filled in.
 * The page works without this file: the server calculates everything on save. The cut-offs come
 * from the page (data-* attributes written from assessments/tinetti.py), never from here. */
(function () {
  "use strict";

  var panel = document.getElementById("tinetti-live");
  if (!panel) return;
  var form = document.querySelector("form.legwork-form");
  if (!form) return;
  var cfg = panel.dataset;
  var num = function (name) { return parseInt(cfg[name], 10); };

  function lineInputs() {
    return form.querySelectorAll("input[type=radio][data-tinetti-section]");
  }

  function out(name) {
    return panel.querySelector('[data-tinetti-out="' + name + '"]');
  }

  function notDone() {
    var choice = form.querySelector('input[name="tinetti_done"]:checked');
    return choice !== null && choice.value === "no";
  }

  function showLines(visible) {
    var seen = {};
    lineInputs().forEach(function (input) {
      if (seen[input.name]) return;
      seen[input.name] = true;
      var wrapper = input.closest("[id^=div_id_]");
      if (wrapper) wrapper.hidden = !visible;
    });
  }

  function update() {
    var sums = { balance: 0, gait: 0 };
    var lines = {};
    var answered = 0;
    lineInputs().forEach(function (input) {
      lines[input.name] = true;
      if (input.checked) {
        sums[input.dataset.tinettiSection] += parseInt(input.value, 10);
        answered += 1;
      }
    });
    var count = Object.keys(lines).length;
    var total = sums.balance + sums.gait;
    showLines(!notDone());
    panel.querySelector(".tinetti-live-values").hidden = notDone();
    out("balance").textContent = sums.balance;
    out("gait").textContent = sums.gait;
    out("total").textContent = total;

    var notes = out("notes");
    notes.textContent = "";
    var band = out("band");
    band.className = "";
    if (answered < count) {
      band.textContent = (count - answered) + " of " + count + " lines still to score.";
      return;
    }
    var risk = total <= num("highMax") ? "high" : total <= num("moderateMax") ? "moderate" : "low";
    band.textContent = cfg["label" + risk.charAt(0).toUpperCase() + risk.slice(1)];
    band.className = "badge tinetti-band tinetti-band-" + risk;
    var add = function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      notes.appendChild(li);
    };
    if (sums.balance < num("balanceAidBelow")) {
      add("Balance " + sums.balance + "/" + cfg.balanceMax + ": " + cfg.balanceAidNote);
    }
    if (sums.gait < num("gaitLimitedBelow")) {
      add("Gait " + sums.gait + "/" + cfg.gaitMax + ": " + cfg.gaitLimitedNote);
    }
  }

  panel.querySelector(".tinetti-live-static").hidden = true;
  panel.classList.add("tinetti-live-on");
  form.addEventListener("change", update);
  update();
})();
