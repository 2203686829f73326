// The review of comments (admin_review.html): one key per decision, and any span of a comment
// selected with the mouse or a finger joins the words to hide. Without JavaScript every
// decision is a button and the words can be typed.
(function () {
  "use strict";

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("section.review"));
  }

  function current() {
    var el = document.activeElement;
    while (el && !(el.classList && el.classList.contains("review"))) {
      el = el.parentElement;
    }
    return el || items()[0];
  }

  function move(by) {
    var list = items();
    var i = list.indexOf(current());
    var next = list[Math.min(Math.max(i + by, 0), list.length - 1)];
    if (next) {
      next.focus();
      next.scrollIntoView({ block: "center" });
    }
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || t.tagName === "INPUT" || t.tagName === "TEXTAREA") {
      return;
    }
    var key = e.key.toLowerCase();
    if (key === "j") {
      move(1);
    } else if (key === "k") {
      move(-1);
    } else if (key === "p" || key === "h" || key === "w") {
      var item = current();
      var button = item && item.querySelector('button[data-key="' + key + '"]');
      if (button) {
        e.preventDefault();
        button.click();
      }
    }
  });

  // A selection inside a comment is added to that comment's words to hide.
  function takeSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) {
      return;
    }
    var node = sel.getRangeAt(0).commonAncestorContainer;
    while (node && !(node.tagName === "BLOCKQUOTE" && node.getAttribute("data-words"))) {
      node = node.parentNode;
    }
    if (!node) {
      return;
    }
    var text = sel.toString().trim();
    var input = document.getElementById(node.getAttribute("data-words"));
    if (!text || !input) {
      return;
    }
    var words = input.value ? input.value.split(/[,、，\s　]+/) : [];
    if (words.indexOf(text) < 0) {
      words.push(text);
      input.value = words.join(", ");
    }
  }
  document.addEventListener("mouseup", takeSelection);
  document.addEventListener("touchend", takeSelection);

  function start() {
    var first = items()[0];
    if (first) {
      first.focus({ preventScroll: true });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
