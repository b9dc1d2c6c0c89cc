// Pickers: find a published item by title or 文号 and put its id into a field (no typing of numeric ids).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker-for]"), function (box) {
    var target = document.getElementById(box.getAttribute("data-picker-for"));
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector(".picker-results");
    var chosen = box.querySelector(".picker-chosen");
    if (!target || !input || !list) { return; }
    box.hidden = false;
    var timer = null;
    var choose = function (item) {
      target.value = item.id;
      chosen.textContent = "已选择：《" + item.title + "》" + (item.doc_number ? "（" + item.doc_number + "）" : "");
      list.innerHTML = "";
    };
    var search = function () {
      var q = input.value.trim();
      if (!q) { list.innerHTML = ""; return; }
      var url = box.getAttribute("data-picker-url") + "?q=" + encodeURIComponent(q);
      if (box.getAttribute("data-picker-type")) { url += "&type=" + encodeURIComponent(box.getAttribute("data-picker-type")); }
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        list.innerHTML = "";
        (data.items || []).forEach(function (item) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link";
          button.textContent = item.title + (item.doc_number ? "（" + item.doc_number + "）" : "");
          button.addEventListener("click", function () { choose(item); });
          li.appendChild(button);
          list.appendChild(li);
        });
        if (!data.items || !data.items.length) {
          var none = document.createElement("li");
          none.textContent = "未找到已发布的相符信息";
          list.appendChild(none);
        }
      });
    };
    input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(search, 250); });
  });
})();
