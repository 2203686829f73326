// Checks each custodian's share on the close form as it is typed (web/custodians.go): the
// same rules as ballot.ParseShare — Crockford base32, 65 characters, the last one a check
// character (mod 37) — and the box's fingerprint, so that a typo or a share of another survey
// is named at once, with its field. The server checks every share again; this only saves a
// round trip. Nothing leaves the page.
(function () {
  "use strict";
  var ALPHA = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var CHECK = ALPHA + "*~$=U";
  var CHARS = 65;

  function normalise(text) {
    return text.toUpperCase().replace(/[\s\-\u3000\u30fc\uff0d]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  }

  function fingerprintText(bytes) {
    var out = "", acc = 0, bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      acc = (acc << 8) | bytes[i];
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out += ALPHA[(acc >> bits) & 31];
      }
      acc &= 0xff;
    }
    return out.slice(0, 4) + "-" + out.slice(4);
  }

  // check returns [ok, message in Japanese, message in English, share number].
  function check(text, fingerprint) {
    var s = normalise(text);
    if (s === "") return [null, "", "", 0];
    for (var i = 0; i < s.length; i++) {
      if (CHECK.indexOf(s[i]) < 0) return [false, "使えない文字「" + s[i] + "」があります（0〜9、A〜Z）", "\"" + s[i] + "\" is not a share character (0–9, A–Z)", 0];
    }
    if (s.length < CHARS) return [null, "あと " + (CHARS - s.length) + " 文字", (CHARS - s.length) + " characters to go", 0];
    if (s.length > CHARS) return [false, (s.length - CHARS) + " 文字多すぎます", (s.length - CHARS) + " characters too many", 0];
    var bytes = [], acc = 0, bits = 0;
    for (i = 0; i < CHARS - 1; i++) {
      var v = ALPHA.indexOf(s[i]);
      if (v < 0) return [false, (i + 1) + " 文字目「" + s[i] + "」は最後にしか使えません", "character " + (i + 1) + " may only be the last", 0];
      acc = (acc << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        bytes.push((acc >> bits) & 0xff);
      }
      acc &= 0xff;
    }
    var r = 0;
    for (i = 0; i < bytes.length; i++) r = (r * 256 + bytes[i]) % 37;
    if (CHECK[r] !== s[CHARS - 1]) return [false, "打ち間違いがあります（チェック文字が合いません）", "typo: the check character does not match", 0];
    if (bytes[0] !== 1) return [false, "この割符の形式は読めません", "unknown share format", 0];
    if (fingerprintText(bytes.slice(1, 6)) !== fingerprint) return [false, "別の調査（または別の回）の割符です", "a share of another survey", 0];
    return [true, "割符 " + bytes[7] + " 番: 正しく入力されています", "share no. " + bytes[7] + ": typed correctly", bytes[7]];
  }

  document.querySelectorAll("fieldset.custodians-close").forEach(function (set) {
    var fp = set.getAttribute("data-fingerprint");
    var en = document.documentElement.lang === "en";
    var inputs = set.querySelectorAll("input.share-input");
    function update() {
      var seen = {};
      inputs.forEach(function (input) {
        var out = document.getElementById(input.id + "-status");
        var res = check(input.value, fp);
        if (res[0] && seen[res[3]]) res = [false, "同じ割符が 2 回入力されています", "the same share twice", 0];
        if (res[0]) seen[res[3]] = true;
        out.textContent = en ? res[2] : res[1];
        out.className = "share-status" + (res[0] === true ? " ok" : res[0] === false ? " bad" : "");
        input.setAttribute("aria-invalid", res[0] === false ? "true" : "false");
      });
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  });
})();
