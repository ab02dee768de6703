// Registration and profile: propose the browser's own IANA time zone when the field is still empty
// (the server falls back to the main zone of the chosen country when the browser gives none).
(function () {
  "use strict";
  function fill() {
    var fields = document.querySelectorAll("input[data-browser-timezone]");
    if (!fields.length || !window.Intl || !Intl.DateTimeFormat) return;
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
    for (var i = 0; i < fields.length; i++) {
      if (zone && !fields[i].value) { fields[i].value = zone; }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fill); } else { fill(); }
})();
