// The bulk bar: "select all on this page" and a live count of the ticked rows (the form works without it).
(function () {
  var form = document.getElementById("bulk-form");
  if (!form) return;
  var boxes = function () { return document.querySelectorAll('input[type="checkbox"][name="items"][form="bulk-form"]'); };
  var count = document.getElementById("bulk-count");
  var all = document.getElementById("bulk-select-all");
  function update() {
    var n = 0;
    boxes().forEach(function (b) { if (b.checked) n += 1; });
    if (count) count.textContent = n ? "已选 " + n + " 条" : "";
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.name === "items") update();
  });
  if (all) {
    all.hidden = false;
    all.addEventListener("click", function () {
      var list = boxes(), every = true;
      list.forEach(function (b) { if (!b.checked) every = false; });
      list.forEach(function (b) { b.checked = !every; });
      update();
    });
  }
  form.addEventListener("submit", function (e) {
    var n = 0;
    boxes().forEach(function (b) { if (b.checked) n += 1; });
    if (!n) { e.preventDefault(); if (count) count.textContent = "请先勾选信息"; }
  });
})();
