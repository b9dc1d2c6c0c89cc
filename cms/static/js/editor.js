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
        ["link", "blockquote", "table", "image"],
        ["clean"]
      ],
      table: true
    },
    placeholder: "在此输入正文，或从 Word 粘贴"
  });
  if (source.value) {
    quill.clipboard.dangerouslyPasteHTML(source.value);
  }
  // Chinese names for the toolbar's buttons (Quill labels them with its format names).
  var toolbarLabels = {
    bold: "加粗", italic: "斜体", underline: "下划线", link: "插入链接", blockquote: "引用", clean: "清除格式",
    table: "插入表格", image: "插入图片", "list:ordered": "编号列表", "list:bullet": "项目符号列表",
    "indent:-1": "减少缩进", "indent:+1": "增加缩进"
  };
  Array.prototype.forEach.call(form.querySelectorAll(".ql-toolbar button"), function (button) {
    var name = (button.className.match(/ql-([a-z]+)/) || [])[1];
    var key = button.value ? name + ":" + button.value : name;
    if (toolbarLabels[key]) {
      button.setAttribute("aria-label", toolbarLabels[key]);
      button.setAttribute("title", toolbarLabels[key]);
    }
  });
  Array.prototype.forEach.call(form.querySelectorAll(".ql-toolbar .ql-picker-label"), function (label) {
    var picker = label.parentNode;
    label.setAttribute("aria-label", /ql-header/.test(picker.className) ? "标题级别" : "对齐方式");
  });
  // The table button: rows × columns from a dialog.
  var toolbar = quill.getModule("toolbar");
  var tableDialog = document.getElementById("table-dialog");
  var savedRange = null;
  toolbar.addHandler("table", function () {
    savedRange = quill.getSelection(true);
    if (!tableDialog || !tableDialog.showModal) { return; }
    document.getElementById("table-error").hidden = true;
    tableDialog.showModal();
  });
  if (tableDialog) {
    tableDialog.addEventListener("close", function () {
      if (tableDialog.returnValue !== "ok") { quill.focus(); return; }
      var rows = parseInt(document.getElementById("table-rows").value, 10);
      var cols = parseInt(document.getElementById("table-cols").value, 10);
      if (!(rows >= 1 && rows <= 30 && cols >= 1 && cols <= 10)) {
        var problem = document.getElementById("table-error");
        problem.textContent = "行数应为1至30，列数应为1至10。";
        problem.hidden = false;
        tableDialog.showModal();
        return;
      }
      if (savedRange) { quill.setSelection(savedRange.index, 0, "silent"); }
      quill.getModule("table").insertTable(rows, cols);
    });
  }
  // The image button: the image is stored as an attachment of the item, alt text required.
  var imageDialog = document.getElementById("image-dialog");
  var imagesUrl = form.getAttribute("data-images-url");
  var attachButton = document.getElementById("save-and-attach");
  toolbar.addHandler("image", function () {
    savedRange = quill.getSelection(true);
    if (!imageDialog || !imageDialog.showModal) { return; }
    var problem = document.getElementById("image-error");
    if (problem) { problem.hidden = true; }
    imageDialog.showModal();
  });
  var showImageError = function (message) {
    var problem = document.getElementById("image-error");
    problem.textContent = message;
    problem.hidden = false;
    imageDialog.showModal();
  };
  if (imageDialog) {
    imageDialog.addEventListener("close", function () {
      var action = imageDialog.returnValue;
      if (action === "save" && attachButton) {
        source.value = quill.getLength() > 1 ? quill.getSemanticHTML() : "";
        form.requestSubmit(attachButton);
        return;
      }
      if (action !== "ok" || !imagesUrl) { quill.focus(); return; }
      var fileInput = document.getElementById("image-file");
      var altInput = document.getElementById("image-alt");
      var alt = (altInput.value || "").trim();
      if (!fileInput.files.length) { showImageError("请选择图片文件。"); return; }
      if (!alt) { showImageError("请填写图片说明（替代文字），供读屏软件朗读。"); altInput.focus(); return; }
      var data = new FormData();
      var csrfInput = form.querySelector("input[name=csrf_token]");
      if (csrfInput) { data.append("csrf_token", csrfInput.value); }
      data.append("file", fileInput.files[0]);
      data.append("alt", alt);
      fetch(imagesUrl, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (!result.ok) { showImageError((result.body.error && result.body.error.message) || "上传失败，请重试。"); return; }
        var index = savedRange ? savedRange.index : quill.getLength();
        var img = document.createElement("img");
        img.setAttribute("src", result.body.preview_src);
        img.setAttribute("alt", result.body.alt);
        quill.clipboard.dangerouslyPasteHTML(index, img.outerHTML, "user");
        fileInput.value = "";
        altInput.value = "";
      }).catch(function () { showImageError("上传失败，请检查网络后重试。"); });
    });
  }
  // Attachments while drafting: choosing a file saves the draft (silently, through the form) and uploads it.
  var attachInput = document.getElementById("attachment");
  if (attachInput && attachButton) {
    attachInput.addEventListener("change", function () {
      if (attachInput.files.length) { form.requestSubmit(attachButton); }
    });
  }
  // Word pastes: Quill turns Word's numbered paragraphs ("一、", "（二）") into an ordered list and drops the
  // numbering text, so "一、检查范围" came out as "1. 检查范围". Chinese documents number in the text, so the
  // numbering stays text: strip Word's list markup before Quill sees it. Script and style content never
  // becomes text, and Word's align attribute becomes the text-align Quill understands.
  var cleanWordHtml = function (html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(doc.querySelectorAll("script, style, noscript, template, xml, title, meta, link"),
      function (node) { node.parentNode.removeChild(node); });
    Array.prototype.forEach.call(doc.querySelectorAll("[style*=mso-list], [class*=MsoList]"), function (node) {
      var style = (node.getAttribute("style") || "").replace(/mso-list\s*:[^;]*;?/gi, "");
      node.setAttribute("style", style);
      node.removeAttribute("class");
    });
    // Alignment becomes the editor's class (the CSP forbids inline styles, so Quill cannot read them).
    Array.prototype.forEach.call(doc.querySelectorAll("p, h1, h2, h3, h4, h5, h6, div, li, blockquote"), function (node) {
      var found = /text-align\s*:\s*(center|right|justify)/i.exec(node.getAttribute("style") || "");
      var align = ((found && found[1]) || node.getAttribute("align") || "").toLowerCase();
      node.removeAttribute("align");
      if (["center", "right", "justify"].indexOf(align) >= 0) {
        node.setAttribute("class", "ql-align-" + align);
      } else if (/Mso/.test(node.getAttribute("class") || "")) {
        node.removeAttribute("class");
      }
    });
    // Inline styles are dropped (the server drops them too): under the CSP Quill reads an empty text-align
    // from them, which would overwrite the alignment class.
    Array.prototype.forEach.call(doc.querySelectorAll("[style]"), function (node) { node.removeAttribute("style"); });
    doc.documentElement.removeAttribute("xmlns:w");  // Quill's Word list normalizer keys on this
    return doc.body.innerHTML;
  };
  holder.addEventListener("paste", function (event) {
    var data = event.clipboardData;
    var html = data && data.getData("text/html");
    if (!html || event.defaultPrevented) { return; }
    event.preventDefault();
    event.stopPropagation();
    var range = quill.getSelection(true);
    quill.clipboard.onPaste(range, { html: cleanWordHtml(html), text: data.getData("text/plain") });
  }, true);
  form.addEventListener("submit", function () {
    source.value = quill.getLength() > 1 ? quill.getSemanticHTML() : "";
  });
  // The edit lock: renewed while the page is open, released when the editor leaves without saving.
  var lockUrl = form.getAttribute("data-lock-url");
  var unlockUrl = form.getAttribute("data-unlock-url");
  var csrf = form.querySelector("input[name=csrf_token]");
  if (lockUrl && csrf) {
    var body = function () { var data = new FormData(); data.append("csrf_token", csrf.value); return data; };
    var submitting = false;
    form.addEventListener("submit", function () { submitting = true; });
    window.setInterval(function () {
      fetch(lockUrl, { method: "POST", body: body(), credentials: "same-origin" });
    }, 60000);
    window.addEventListener("pagehide", function () {
      if (!submitting && navigator.sendBeacon) { navigator.sendBeacon(unlockUrl, body()); }
    });
  }
  // 信息类型 follows the column: only the types the column accepts can be chosen, the only or usual one is
  // preselected, so "栏目不接受…类信息" cannot happen from this form.
  var columnSelect = document.getElementById("column_id");
  var typeSelect = document.getElementById("type");
  var columnTypes = {};
  try { columnTypes = JSON.parse(form.getAttribute("data-column-types") || "{}"); } catch (e) { columnTypes = {}; }
  if (columnSelect && typeSelect) {
    var narrow = function () {
      var accepted = columnTypes[columnSelect.value] || [];
      Array.prototype.forEach.call(typeSelect.options, function (option) {
        var ok = accepted.length === 0 || accepted.indexOf(option.value) >= 0;
        option.disabled = !ok;
        option.hidden = !ok;
      });
      if (accepted.length && accepted.indexOf(typeSelect.value) < 0) { typeSelect.value = accepted[0]; }
    };
    columnSelect.addEventListener("change", narrow);
    narrow();
  }
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
