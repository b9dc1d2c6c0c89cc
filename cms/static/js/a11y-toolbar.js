// Elder-friendly / accessible reading (适老化/无障碍): text size (4 steps), high contrast, wider line
// spacing and a reading guide line; remembered in localStorage; every control is a real <button>.
(function () {
  "use strict";
  var KEY = "cms-a11y";
  var LEVELS = ["标准字号", "大字号", "较大字号", "特大字号"];
  var root = document.documentElement;
  var state = { text: 0, contrast: false, spacing: false, guide: false };
  try {
    var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
    if (saved && typeof saved === "object") {
      state.text = Math.max(0, Math.min(LEVELS.length - 1, parseInt(saved.text, 10) || 0));
      state.contrast = saved.contrast === true;
      state.spacing = saved.spacing === true;
      state.guide = saved.guide === true;
    }
  } catch (e) { /* storage unavailable or corrupt: defaults */ }

  var guide = document.createElement("div");
  guide.className = "reading-guide";
  guide.setAttribute("aria-hidden", "true");

  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  function apply() {
    for (var i = 1; i < LEVELS.length; i++) { root.classList.toggle("a11y-text-" + i, state.text === i); }
    root.classList.toggle("a11y-contrast", state.contrast);
    root.classList.toggle("a11y-spacing", state.spacing);
    root.classList.toggle("a11y-guide", state.guide);
    var toolbar = document.getElementById("a11y-toolbar");
    if (!toolbar) { return; }
    ["contrast", "spacing", "guide"].forEach(function (name) {
      var button = toolbar.querySelector('[data-a11y="' + name + '"]');
      if (button) { button.setAttribute("aria-pressed", state[name] ? "true" : "false"); }
    });
    var level = document.getElementById("a11y-level");
    if (level) { level.textContent = LEVELS[state.text]; }
    toolbar.querySelector('[data-a11y="smaller"]').disabled = state.text === 0;
    toolbar.querySelector('[data-a11y="larger"]').disabled = state.text === LEVELS.length - 1;
  }

  function moveGuide(y) {
    if (state.guide) { guide.style.top = Math.max(0, y) + "px"; }
  }

  apply();  // as early as possible, before the page is painted in full

  function start() {
    var toolbar = document.getElementById("a11y-toolbar");
    if (!toolbar) { return; }
    toolbar.hidden = false;
    document.body.appendChild(guide);
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-a11y]");
      if (!button) { return; }
      var action = button.getAttribute("data-a11y");
      if (action === "larger") { state.text = Math.min(LEVELS.length - 1, state.text + 1); }
      else if (action === "smaller") { state.text = Math.max(0, state.text - 1); }
      else if (action === "reset") { state = { text: 0, contrast: false, spacing: false, guide: false }; }
      else { state[action] = !state[action]; }
      save();
      apply();
      if (button.disabled) { document.getElementById("a11y-level").focus(); }
    });
    document.addEventListener("mousemove", function (event) { moveGuide(event.clientY + 8); });
    document.addEventListener("focusin", function (event) {
      var rect = event.target.getBoundingClientRect();
      moveGuide(rect.bottom + 2);
    });
    apply();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
