// The little the admin pages do in the browser. Charts are drawn on the server (inline SVG
// and HTML), so no page loads a chart library.
(function () {
  "use strict";

  // rolePickers shows a form's fieldsets marked data-role-only="ROLE" only while that role is
  // chosen in the form's role select (the users page: sections apply to managers only).
  function rolePickers() {
    var selects = document.querySelectorAll("form select[name=role]");
    for (var i = 0; i < selects.length; i++) {
      (function (sel) {
        var sets = sel.form.querySelectorAll("fieldset[data-role-only]");
        var sync = function () {
          for (var j = 0; j < sets.length; j++) {
            sets[j].hidden = sets[j].getAttribute("data-role-only") !== sel.value;
          }
        };
        sel.addEventListener("change", sync);
        sync();
      })(selects[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", rolePickers);
  } else {
    rolePickers();
  }
})();
