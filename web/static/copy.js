// The copy form of the new-survey page (admin_survey_new.html): the id and year fields show,
// as placeholders, what the survey chosen would be copied as when they are left empty (the
// server computes the same; without this script the first survey's is shown).
(function () {
  "use strict";
  function start() {
    var from = document.querySelector("select.copy-from");
    if (!from) { return; }
    var form = from.form;
    function follow() {
      var o = from.options[from.selectedIndex];
      if (!o) { return; }
      form.elements.id.placeholder = o.getAttribute("data-id") || "";
      form.elements.year.placeholder = o.getAttribute("data-year") || "";
    }
    from.addEventListener("change", follow);
    follow();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
