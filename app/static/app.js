// The site's own behaviour, served from the app (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";
  // Destructive forms ask first; the text comes from data-confirm (escaped by Jinja).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // The profile's calendar feed address: a Copy button.
  function copyButton() {
    var button = document.getElementById("calendar-feed-copy");
    if (!button) return;
    button.addEventListener("click", function () {
      var field = document.getElementById("calendar-feed-url");
      field.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value); } else { document.execCommand("copy"); }
      button.textContent = button.getAttribute("data-copied") || "Copied";
    });
  }
  function ready() { copyButton(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
