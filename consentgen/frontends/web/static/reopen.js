// A reload of the form page: the tab kept the page's secret in sessionStorage (kept per port, unlike a
// cookie), so ask for the page with it; without it, the page explains what to open.
(function () {
  "use strict";
  const token = window.sessionStorage.getItem("consentgen-token");
  if (token) {
    window.location.replace("/?t=" + encodeURIComponent(token));
  }
})();
