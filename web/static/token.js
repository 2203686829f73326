/* The token entry page: a typo in an answer code is named before the server is asked.
   The code's last character is a check character (survey/token.go): this script reads the code
   as survey.ParseToken does — full-width letters, spaces, hyphens and long-vowel marks, case,
   I/L for 1, O for 0, U for V — and when it is a code with a wrong check character or a wrong
   number of characters, it says so under the field instead of sending the form. Anything else
   (an earlier version's code, a code the server does not know) goes to the server, which
   decides. Without JavaScript the server gives the same messages. Served from the binary
   (CSP script-src 'self'); no inline code. */
(function () {
  "use strict";
  var SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var DASHES = "-ーｰ−‐‑‒–—―";
  var MSG = {
    ja: {
      typo: "回答用コードに打ち間違いがあります（最後の確認用の文字と合いません）。用紙のコードと1文字ずつ見比べてください。",
      length: "回答用コードの文字数が違います。コードは 4・4・4・5 文字の17文字です（例: K7QF-2M9X-HD4R-8WNCS）。"
    },
    en: {
      typo: "The answer code has a typo (it does not match its last, check character). Please compare it with your slip character by character.",
      length: "The answer code has the wrong number of characters: it has 17, grouped 4-4-4-5 (e.g. K7QF-2M9X-HD4R-8WNCS)."
    }
  };

  function gfMul(a, b) {
    var p = 0;
    for (; b; b >>= 1) {
      if (b & 1) { p ^= a; }
      a <<= 1;
      if (a & 32) { a ^= 37; } // x^5 + x^2 + 1
    }
    return p;
  }

  // check returns "" when s may be a token (the server decides), or "typo" / "length".
  function check(s) {
    var t = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xFF01 && c <= 0xFF5E) { c -= 0xFEE0; }
      var ch = String.fromCharCode(c);
      if (/\s/.test(ch) || DASHES.indexOf(ch) >= 0) { continue; }
      if (ch >= "a" && ch <= "z") { ch = ch.toUpperCase(); }
      t += ch;
    }
    if (t.length === 32 && /^[0-9A-F]+$/.test(t)) { return ""; } // an earlier version's code
    var vs = [];
    for (var j = 0; j < t.length; j++) {
      var d = t.charAt(j);
      d = d === "I" || d === "L" ? "1" : d === "O" ? "0" : d === "U" ? "V" : d;
      var v = SYMBOLS.indexOf(d);
      if (v < 0) { return ""; }
      vs.push(v);
    }
    if (vs.length === 17) {
      var sum = 0, w = 1;
      for (var k = 0; k < 16; k++) { w = gfMul(w, 2); sum ^= gfMul(vs[k], w); }
      return sum === vs[16] ? "" : "typo";
    }
    return vs.length >= 14 && vs.length <= 20 ? "length" : "";
  }

  function setup() {
    var form = document.querySelector("form.token-form");
    var input = form && form.querySelector("input[name=t]");
    if (!input) { return; }
    var lang = document.documentElement.lang === "en" ? "en" : "ja";
    var hint = document.getElementById("t-hint");
    var card = form.closest("section");

    function show(kind) {
      var err = document.getElementById("t-error");
      if (!kind) {
        if (err && err.dataset.local) { err.remove(); input.removeAttribute("aria-invalid"); input.setAttribute("aria-describedby", "t-hint"); }
        return;
      }
      if (!err) {
        err = document.createElement("p");
        err.id = "t-error";
        err.className = "field-error";
        err.setAttribute("role", "alert");
        card.insertBefore(err, card.querySelector("h2").nextSibling);
      }
      err.dataset.local = "1";
      err.textContent = MSG[lang][kind];
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", (hint ? "t-hint " : "") + "t-error");
    }

    form.addEventListener("submit", function (e) {
      var kind = check(input.value);
      if (kind) {
        e.preventDefault();
        show(kind);
        input.focus();
      }
    });
    // Once the field holds a whole code, say at once whether it is typed right.
    input.addEventListener("input", function () {
      var kind = check(input.value);
      show(kind === "typo" ? kind : "");
    });
  }

  if (typeof module === "object" && module.exports) { // node, for web's TestTokenScriptAgrees
    module.exports.check = check;
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
