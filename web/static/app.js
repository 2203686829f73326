/* The answering pages where JavaScript runs, so that nothing typed is lost. Without it they are plain forms and
   work the same; this file only adds:
   - a draft of the answers in this tab's sessionStorage, under a key the server derives from
     the token (data-draft), so two tokens never mix and the token itself is not stored. It is
     never sent anywhere; it is restored after a reload, a crash of the tab, Back/Forward and
     the language switch, and removed by 「入力を消去」 and once sending has succeeded (the
     thank-you page), so that a send that fails — no network, nothing answered — loses nothing;
   - one part at a time, with Back/Next, a progress bar screen readers hear, a list of the
     parts with questions still open, and a review of what is empty before sending.
   Served from the binary like every script (CSP script-src 'self'); no inline code. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var PREFIX = "staffsurvey-draft-";
  var T = {
    ja: {
      next: "次へ", toReview: "確認へ進む", back: "前へ",
      part: function (i, n) { return "分野 " + i + " / " + n; },
      answered: function (a, n) { return "回答済み " + a + " / " + n; },
      valuetext: function (a, n, p) { return n + "問中 " + a + "問に回答済み、" + p; },
      left: function (k) { return "未回答 " + k + "問"; },
      done: "回答済み",
      partsLeft: function (k) { return k ? "（未回答のある分野 " + k + "）" : "（すべて回答済み）"; },
      sep: "、",
      allDone: "すべての設問に回答しました。内容を確かめて、送信してください。",
      someLeft: function (k) { return "未回答の設問が " + k + "問あります。未回答のまま送信すると「わからない・該当しない」として扱われます。回答する場合は、下の一覧から設問へ移動できます。"; },
      none: "まだ1問も回答していません。1問以上回答しないと送信できません。",
      review: "送信前の確認",
      cleared: "入力を消去しました。",
      ask: "回答をすべて消去しますか？",
      restored: function (k) { return "このタブに保存していた " + k + "件の入力を復元しました。"; }
    },
    en: {
      next: "Next", toReview: "Review and send", back: "Back",
      part: function (i, n) { return "Part " + i + " of " + n; },
      answered: function (a, n) { return "Answered " + a + " / " + n; },
      valuetext: function (a, n, p) { return a + " of " + n + " questions answered, " + p; },
      left: function (k) { return k + " open"; },
      done: "done",
      partsLeft: function (k) { return k ? "(" + k + " with open questions)" : "(all answered)"; },
      sep: ", ",
      allDone: "You have answered every question. Please check, then send.",
      someLeft: function (k) { return k + " question(s) are still open. Sent as they are, they count as \"don't know / not applicable\". The list below takes you to them."; },
      none: "You have not answered any question yet. Please answer at least one before sending.",
      review: "Check before sending",
      cleared: "Your answers have been cleared.",
      ask: "Clear all answers?",
      restored: function (k) { return k + " answer(s) kept in this tab have been restored."; }
    }
  };

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function clearAllDrafts() {
    var ss = storage();
    if (!ss) { return; }
    for (var i = ss.length - 1; i >= 0; i--) {
      var k = ss.key(i);
      if (k && k.indexOf(PREFIX) === 0) { ss.removeItem(k); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("answer-form");
    if (form) {
      answer(form);
    } else if (document.querySelector(".thanks")) {
      clearAllDrafts();
    }
  });

  function answer(form) {
    var ss = storage();
    var key = form.getAttribute("data-draft");
    var t = T[form.getAttribute("data-lang")] || T.ja;
    var parts = Array.prototype.slice.call(form.querySelectorAll("section.part"));
    var review = document.getElementById("review");
    var send = form.querySelector("section.send");
    var nav = form.querySelector(".stepnav");
    var prev = nav.querySelector(".prev");
    var next = nav.querySelector(".next");
    var jump = document.querySelector("details.jump");
    var progress = form.querySelector(".progress");
    var total = parseInt(progress.getAttribute("data-total"), 10);
    var draftBox = document.querySelector(".draft");
    var draftStatus = draftBox.querySelector(".draft-status");
    var live = document.createElement("p");
    live.className = "vh";
    live.setAttribute("role", "status");
    form.appendChild(live);
    var N = parts.length; // step N is the review
    var step = 0;

    function titleOf(i) {
      var h = parts[i].querySelector("h2");
      return h.textContent.replace(/^\s*\d+\s*\/\s*\d+\s*/, "").trim();
    }

    // The draft: {a: {field: value}, s: step}.
    function collect() {
      var a = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.type === "radio" && el.checked) { a[el.name] = el.value; }
        if (el.tagName === "TEXTAREA" && el.value !== "") { a[el.name] = el.value; }
      });
      return a;
    }
    function save() {
      if (!ss || !key) { return; }
      try { ss.setItem(key, JSON.stringify({ a: collect(), s: step })); } catch (e) { /* full or denied: the page still works */ }
    }
    function load() {
      if (!ss || !key) { return null; }
      try { return JSON.parse(ss.getItem(key) || "null"); } catch (e) { return null; }
    }
    function restore(d) {
      var n = 0;
      Object.keys(d.a || {}).forEach(function (name) {
        var v = String(d.a[name]);
        Array.prototype.forEach.call(form.querySelectorAll("[name]"), function (el) {
          if (el.name !== name) { return; }
          if (el.type === "radio" && el.value === v) { el.checked = true; n++; }
          if (el.tagName === "TEXTAREA") { el.value = v; n++; }
        });
      });
      return n;
    }

    // Which questions are open (no option chosen; "not applicable" counts as an answer).
    function openQuestions(part) {
      return Array.prototype.filter.call(part.querySelectorAll("fieldset.q"), function (fs) {
        return !fs.querySelector("input:checked");
      });
    }

    function update() {
      var answered = form.querySelectorAll("fieldset.q input:checked").length;
      var here = step < N ? t.part(step + 1, N) : t.review;
      progress.setAttribute("aria-valuenow", String(answered));
      progress.setAttribute("aria-valuetext", t.valuetext(answered, total, here));
      progress.querySelector(".fill").style.width = (total ? 100 * answered / total : 0) + "%";
      progress.querySelector(".progress-text").textContent = t.answered(answered, total) + " ・ " + here;

      var partsLeft = 0;
      var items = jump.querySelectorAll("li");
      var list = review.querySelector(".review-list");
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var left = 0;
      parts.forEach(function (part, i) {
        var open = openQuestions(part);
        left += open.length;
        if (open.length) { partsLeft++; }
        var li = items[i];
        var asks = !!part.querySelector("fieldset.q"); // the comments part asks nothing to count
        li.classList.toggle("done", asks && open.length === 0);
        li.querySelector(".left").textContent = asks ? (open.length ? t.left(open.length) : t.done) : "";
        if (open.length) {
          var item = document.createElement("li");
          var a = document.createElement("a");
          a.href = "#" + open[0].id;
          a.textContent = titleOf(i);
          item.appendChild(a);
          item.appendChild(document.createTextNode("：" + open.map(function (fs) { return fs.querySelector(".qno").textContent; }).join(t.sep)));
          list.appendChild(item);
        }
      });
      jump.querySelector(".jump-left").textContent = t.partsLeft(partsLeft);
      var comments = Array.prototype.some.call(form.querySelectorAll("textarea"), function (ta) { return ta.value.trim() !== ""; });
      var summary = review.querySelector(".review-summary");
      if (answered === 0 && !comments) {
        summary.textContent = t.none;
      } else {
        summary.textContent = left ? t.someLeft(left) : t.allDone;
      }
      list.hidden = left === 0;
    }

    function show(i, how) {
      step = Math.max(0, Math.min(N, i));
      parts.forEach(function (part, j) { part.hidden = j !== step; });
      review.hidden = step !== N;
      send.hidden = step !== N;
      prev.hidden = step === 0;
      next.hidden = step === N;
      next.textContent = step === N - 1 ? t.toReview : t.next;
      prev.textContent = t.back;
      update();
      save();
      var target = step < N ? parts[step] : review;
      if (how === "push" && window.history.pushState) {
        window.history.pushState({ step: step }, "", "#" + target.id);
      } else if (how === "load" && window.history.replaceState) {
        window.history.replaceState({ step: step }, "", window.location.hash || ("#" + target.id));
      }
      if (how === "push" || how === "pop") {
        var h = target.querySelector("h2");
        target.scrollIntoView({ block: "start" });
        h.focus({ preventScroll: true });
        live.textContent = (step < N ? t.part(step + 1, N) + "：" + titleOf(step) : t.review) + "。" +
          progress.getAttribute("aria-valuetext");
      }
    }

    // The step that holds the element with this id, or -1.
    function stepOf(id) {
      var el = id && document.getElementById(id);
      if (!el) { return -1; }
      if (el === review || review.contains(el)) { return N; }
      for (var i = 0; i < N; i++) {
        if (parts[i] === el || parts[i].contains(el)) { return i; }
      }
      return -1;
    }
    function goTo(id) {
      var s = stepOf(id);
      if (s < 0) { return false; }
      show(s, "push");
      var el = document.getElementById(id);
      if (el && el !== parts[s] && el !== review) {
        el.scrollIntoView({ block: "center" });
        var first = el.querySelector("input, textarea");
        if (first) { first.focus({ preventScroll: true }); }
      }
      return true;
    }

    // Answers just posted (data-posted) are newer than the draft.
    var d = load();
    if (d && !form.hasAttribute("data-posted")) {
      var n = restore(d);
      if (n) { draftStatus.textContent = t.restored(n); }
    }

    // The stepper.
    form.classList.add("stepper");
    nav.hidden = false;
    jump.hidden = false;
    draftBox.hidden = false;
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-label", progress.getAttribute("data-label"));
    progress.setAttribute("aria-valuemin", "0");
    progress.setAttribute("aria-valuemax", String(total));

    var first = stepOf(window.location.hash.slice(1));
    var invalid = form.querySelector(".invalid");
    if (invalid) {
      first = stepOf(invalid.id);
    } else if (first < 0) {
      first = d && typeof d.s === "number" ? d.s : 0;
    }
    show(first, "load");

    prev.addEventListener("click", function () { show(step - 1, "push"); });
    next.addEventListener("click", function () { show(step + 1, "push"); });
    window.addEventListener("popstate", function (e) {
      var s = e.state && typeof e.state.step === "number" ? e.state.step : stepOf(window.location.hash.slice(1));
      if (s >= 0) { show(s, "pop"); }
    });
    // Links to a question or part (error summary, jump list, review) open its part.
    document.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a[href^='#']") : null;
      if (!a) { return; }
      if (goTo(a.getAttribute("href").slice(1))) {
        e.preventDefault();
        if (jump.contains(a)) { jump.open = false; }
      }
    });

    // Enter on an option would "submit" with the form's first button, the language switch.
    form.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target.type === "radio") { e.preventDefault(); }
    });
    var timer = 0;
    form.addEventListener("change", function () { update(); save(); });
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { update(); save(); }, 250);
    });
    form.addEventListener("submit", function (e) {
      var lang = e.submitter && e.submitter.name === "lang" ? e.submitter.value : "";
      if (lang) {
        // The language switch: the answers stay in the tab; only the page changes.
        e.preventDefault();
        save();
        var tok = form.querySelector("input[name=t]").value;
        window.location.href = "/a?t=" + encodeURIComponent(tok) + "&lang=" + lang + window.location.hash;
        return;
      }
      save();
    });

    draftBox.querySelector(".clear").addEventListener("click", function () {
      if (!window.confirm(t.ask)) { return; }
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.type === "radio") { el.checked = false; }
        if (el.tagName === "TEXTAREA") { el.value = ""; }
      });
      show(0, "push");
      if (ss && key) { ss.removeItem(key); }
      draftStatus.textContent = t.cleared;
    });
  }
})();
