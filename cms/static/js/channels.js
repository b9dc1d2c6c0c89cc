// One-click copy of the new media renditions (templates/admin/channel_list.html).
// "html" copies the article as rich text (the platforms' editors keep its inline styles) with the source as
// plain text; "text" copies the plain text. The Clipboard API first, then a copy-event fallback.
(function () {
  "use strict";

  function fallbackCopy(text, html) {
    var done = false;
    function onCopy(event) {
      event.clipboardData.setData("text/plain", text);
      if (html) { event.clipboardData.setData("text/html", html); }
      event.preventDefault();
      done = true;
    }
    document.addEventListener("copy", onCopy);
    try {
      document.execCommand("copy");
    } finally {
      document.removeEventListener("copy", onCopy);
    }
    return done;
  }

  function copy(source, kind) {
    var text = source.value;
    if (navigator.clipboard && window.isSecureContext) {
      if (kind === "html" && window.ClipboardItem) {
        var item = new window.ClipboardItem({
          "text/html": new Blob([text], { type: "text/html" }),
          "text/plain": new Blob([text], { type: "text/plain" })
        });
        return navigator.clipboard.write([item]).catch(function () { return fallbackCopy(text, text); });
      }
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text, kind === "html" ? text : null);
      });
    }
    return Promise.resolve(fallbackCopy(text, kind === "html" ? text : null));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) { return; }
    copy(source, button.getAttribute("data-copy-kind")).then(function (ok) {
      if (status) { status.textContent = ok === false ? "复制失败，请手动选择复制" : "已复制"; }
      button.setAttribute("data-copied", ok === false ? "no" : "yes");
    });
  });
}());
