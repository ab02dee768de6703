// The check-in desk (Content-Security-Policy: script-src 'self'). Branch fix-checkin replaces this file with
// its jsQR-backed scanner; on merge, take that version.
(function () {
  "use strict";
  var unit = document.getElementById("unit");
  if (unit && unit.hasAttribute("data-autosubmit")) {
    unit.addEventListener("change", function () { unit.form.submit(); });
  }
})();
  // Phones whose browser can read QR codes (BarcodeDetector) scan tickets with the camera; others type the code.
  (function () {
    var button = document.getElementById("scan-button");
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var video = document.getElementById("scan-video");
      var detector = new window.BarcodeDetector({formats: ["qr_code"]});
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
        video.srcObject = stream; video.hidden = false; button.hidden = true; video.play();
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              document.getElementById("ticket_code").value = codes[0].rawValue;
              document.getElementById("code-form").submit();
            } else { window.requestAnimationFrame(look); }
          }).catch(function () { window.requestAnimationFrame(look); });
        };
        look();
      }).catch(function () { button.textContent = "The camera is not available: type the code instead"; button.disabled = true; });
    });
  })();
