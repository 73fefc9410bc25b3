// The console's live parts: an element with data-live="URL" is refreshed from that fragment every
// second; when the fragment's data-state differs from the element's, the whole page reloads (a login
// that now needs the code, a run that ended), so that its forms and results are server-rendered.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-live");
    var state = box.getAttribute("data-state");
    if (state === "done" || state === "failed") { return; }
    fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "console"}})
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var part = holder.querySelector("[data-state]");
        var now = part ? part.getAttribute("data-state") : state;
        if (now !== state) { window.location.reload(); return; }
        box.innerHTML = html;
        window.setTimeout(function () { poll(box); }, 1000);
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 3000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(function (box) {
      window.setTimeout(function () { poll(box); }, 1000);
    });
  });
})();
