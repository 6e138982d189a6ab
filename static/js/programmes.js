/* Legwork programmes: small enhancements only; every page works without this file.
 * Shows the estimated 1RM beside each baseline test as the clinician types
 * (the same formulas as programmes/progression.py; the server computes what is stored). */
(function () {
  "use strict";

  function estimate(load, reps, formula) {
    if (!(load > 0) || load > 500 || !Number.isInteger(reps) || reps < 1 || reps > 12) {
      return null;
    }
    if (reps === 1) { return load; }
    return formula === "epley" ? load * (1 + reps / 30) : load * 36 / (37 - reps);
  }

  function update(fieldset) {
    var load = parseFloat((fieldset.querySelector("input[name$='-load_kg']") || {}).value);
    var reps = Number((fieldset.querySelector("input[name$='-reps']") || {}).value);
    var formula = (fieldset.querySelector("select[name$='-formula']") || {}).value;
    var output = fieldset.querySelector(".one-rm-estimate");
    var value = estimate(load, reps, formula);
    if (output) {
      output.textContent = value === null ? "—" : (Math.round(value * 100) / 100) + " kg";
    }
  }

  document.querySelectorAll("fieldset.baseline").forEach(function (fieldset) {
    fieldset.addEventListener("input", function () { update(fieldset); });
    fieldset.addEventListener("change", function () { update(fieldset); });
    update(fieldset);
  });
})();
