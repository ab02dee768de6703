// The check-in desk: choosing a session reloads the page; ticket QR codes are read from the camera or from a
// photo through one decoder (the browser's own BarcodeDetector where it reads QR codes, else the vendored
// jsQR), and the code found is submitted through the ticket code form, as if it had been typed.
(function () {
  "use strict";

  var unit = document.getElementById("unit");
  if (unit && unit.hasAttribute("data-autosubmit")) {
    unit.addEventListener("change", function () { unit.form.submit(); });
  }

  var scan = document.getElementById("scan");
  var codeForm = document.getElementById("code-form");
  var codeInput = document.getElementById("ticket_code");
  if (!scan || !codeForm || !codeInput) { return; }
  var status = document.getElementById("scan-status");
  var say = function (key, code) {
    status.textContent = (scan.getAttribute("data-" + key) || "").replace("%(code)s", code || "");
  };

  var nativeDetector = null;
  function detector() {
    if (nativeDetector === null) {
      nativeDetector = Promise.resolve(null);
      if ("BarcodeDetector" in window) {
        var formats = window.BarcodeDetector.getSupportedFormats
          ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
        nativeDetector = formats.then(function (supported) {
          return supported.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
        }).catch(function () { return null; });
      }
    }
    return nativeDetector;
  }

  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", {willReadFrequently: true});
  function readWithJsQR(source, width, height) {
    if (typeof window.jsQR !== "function" || !width || !height) { return null; }
    var scale = Math.min(1, 1280 / Math.max(width, height));  // jsQR's time grows with the pixels
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(pixels.data, pixels.width, pixels.height, {inversionAttempts: "attemptBoth"});
    return found && found.data ? found.data : null;
  }

  // One decoder for camera frames and photos: resolves to the text of the first QR code, or null.
  function decode(source, width, height) {
    return detector().then(function (native) {
      if (!native) { return readWithJsQR(source, width, height); }
      return native.detect(source).then(function (codes) {
        return codes.length ? codes[0].rawValue : readWithJsQR(source, width, height);
      }, function () { return readWithJsQR(source, width, height); });
    });
  }

  function checkIn(text) {
    var code = String(text).trim();
    say("found", code);
    codeInput.value = code;
    codeForm.submit();
  }

  scan.hidden = false;

  // a photo of the ticket: any browser, no camera permission needed
  var file = document.getElementById("scan-file");
  file.addEventListener("change", function () {
    var chosen = file.files && file.files[0];
    if (!chosen) { return; }
    say("reading");
    window.createImageBitmap(chosen).then(function (image) {
      return decode(image, image.width, image.height);
    }).then(function (text) {
      if (text) { checkIn(text); } else { say("none"); }
    }).catch(function () { say("none"); });
  });

  // the camera, where the browser offers one
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      button.hidden = true;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (track) { track.stop(); }); };
      var look = function () {
        if (video.readyState < 2 || !video.videoWidth) { window.setTimeout(look, 100); return; }
        decode(video, video.videoWidth, video.videoHeight).then(function (text) {
          if (text) { stop(); checkIn(text); } else { window.setTimeout(look, 100); }
        }, function () { window.setTimeout(look, 100); });
      };
      look();
    }).catch(function () {
      say("no-camera");
      button.disabled = true;
    });
  });
})();
