// Rich-text editing for the item form: Quill replaces the plain HTML textarea when JavaScript runs.
// The server sanitizes whatever arrives (bleach), so this is convenience, not security.
(function () {
  "use strict";
  var form = document.getElementById("item-form");
  var source = document.getElementById("body_html");
  var holder = document.getElementById("editor");
  if (!form || !source || !holder || typeof Quill === "undefined") { return; }
  holder.hidden = false;
  source.hidden = true;
  var quill = new Quill(holder, {
    theme: "snow",
    modules: {
      toolbar: [
        [{ header: [2, 3, 4, false] }],
        ["bold", "italic", "underline"],
        [{ list: "ordered" }, { list: "bullet" }],
        [{ align: [] }, { indent: "-1" }, { indent: "+1" }],
        ["link", "blockquote"],
        ["clean"]
      ]
    },
    placeholder: "在此输入正文，或从 Word 粘贴"
  });
  if (source.value) {
    quill.clipboard.dangerouslyPasteHTML(source.value);
  }
  form.addEventListener("submit", function () {
    source.value = quill.getLength() > 1 ? quill.getSemanticHTML() : "";
  });
  // Show the chosen column's positioning statement next to the column select.
  var select = document.getElementById("column_id");
  if (select) {
    var note = document.createElement("p");
    note.className = "hint positioning-note";
    select.parentNode.appendChild(note);
    var update = function () {
      var dd = document.querySelector('dd[data-column="' + select.value + '"]');
      note.textContent = dd && dd.textContent ? "栏目定位：" + dd.textContent : "";
    };
    select.addEventListener("change", update);
    update();
  }
})();
