/* Live countdowns for response clocks: every element with data-due (an ISO date-time in UTC) shows the time
   left, or how long it is overdue. Static file: the CSP forbids inline scripts. */
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-due]");
  if (!nodes.length) { return; }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h + "小时" + pad(m) + "分" + pad(s % 60) + "秒";
  }
  function tick() {
    var now = Date.now();
    for (var i = 0; i < nodes.length; i++) {
      var due = Date.parse(nodes[i].getAttribute("data-due"));
      if (isNaN(due)) { continue; }
      var left = due - now;
      nodes[i].textContent = left >= 0 ? "剩余 " + span(left) : "已超时 " + span(left);
      nodes[i].classList.toggle("overdue", left < 0);
    }
  }
  tick();
  window.setInterval(tick, 1000);
})();
