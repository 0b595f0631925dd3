// Error pages: "Quay lại trang trước" returns to the page the user came from
// when it is one of the portal's; without one the button stays hidden and
// the way home remains.
(function () {
  "use strict";
  var from = document.referrer;
  if (!from || new URL(from).origin !== window.location.origin || from === window.location.href) return;
  document.querySelectorAll("a.js-back").forEach(function (link) {
    link.href = from;
    link.hidden = false;
  });
})();
