// The stage editor of /admin/workflows: add, remove and reorder stages in the page (the same buttons post
// the form back when scripts are off). Field names are stages-<index>-<name>, renumbered after each change.
(function () {
  "use strict";
  var list = document.getElementById("stages");
  var form = document.getElementById("workflow-form");
  if (!list || !form) { return; }

  function renumber() {
    var stages = list.querySelectorAll("[data-stage]");
    stages.forEach(function (stage, index) {
      stage.querySelectorAll("[data-name]").forEach(function (input) {
        input.name = "stages-" + index + "-" + input.getAttribute("data-name");
        if (input.id) { input.id = input.id.replace(/^s\d+-/, "s" + index + "-"); }
      });
      stage.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/^s\d+-/, "s" + index + "-");
      });
      var number = stage.querySelector("[data-stage-number]");
      if (number) { number.textContent = String(index + 1); }
      stage.querySelectorAll("button[data-move]").forEach(function (button) {
        button.value = button.getAttribute("data-move") + "-" + index;
      });
    });
  }

  function blank(stage) {
    var copy = stage.cloneNode(true);
    copy.querySelectorAll("input[type=text], input:not([type])").forEach(function (input) { input.value = ""; });
    copy.querySelectorAll("input[type=checkbox]").forEach(function (input) { input.checked = false; });
    copy.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    copy.querySelectorAll("[data-error]").forEach(function (error) { error.remove(); });
    return copy;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button) { return; }
    var move = button.getAttribute("data-move");
    var stage = button.closest("[data-stage]");
    var stages = list.querySelectorAll("[data-stage]");
    if (move === "add") {
      if (!stages.length) { return; }  // nothing to clone: let the server add one
      event.preventDefault();
      var added = blank(stages[stages.length - 1]);
      list.appendChild(added);
      renumber();
      var first = added.querySelector("input");
      if (first) { first.focus(); }
      return;
    }
    event.preventDefault();
    if (move === "remove") {
      stage.remove();
    } else if (move === "up" && stage.previousElementSibling) {
      list.insertBefore(stage, stage.previousElementSibling);
    } else if (move === "down" && stage.nextElementSibling) {
      list.insertBefore(stage.nextElementSibling, stage);
    }
    renumber();
  });
})();
