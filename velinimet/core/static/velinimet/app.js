// Velinimet shell behaviour. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // Close open menus when the user clicks elsewhere or presses Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
    var dropdown = document.getElementById("search-dropdown");
    if (dropdown && !event.target.closest(".global-search")) { dropdown.innerHTML = ""; }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details.menu[open]").forEach(function (m) { m.removeAttribute("open"); });
      var nav = document.getElementById("modules");
      if (nav) { nav.classList.remove("open"); }
      var dropdown = document.getElementById("search-dropdown");
      if (dropdown) { dropdown.innerHTML = ""; }
    }
  });
  // The ☰ button opens the module navigation on narrow screens.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    var nav = document.getElementById("modules");
    if (!nav) { return; }
    if (toggle) {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    } else if (!event.target.closest("#modules")) {
      nav.classList.remove("open");
    }
  });
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.dataset.copy);
    if (source && navigator.clipboard) { navigator.clipboard.writeText(source.textContent.trim()); }
  });

  // "Select all" of a list (data-select-all="#table"): ticks every row's checkbox on the page too; the
  // server applies the action to the whole filtered list, after a confirmation naming the count.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) { return; }
    var table = document.querySelector(all.dataset.selectAll);
    if (!table) { return; }
    table.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
  });
  // The search box's dropdown: arrow keys move through its links, Enter opens the marked one. With
  // none marked, Enter sends the form: the search page, or the record itself when the query is a whole
  // identifier (phone, e-mail, customer or card number) of one record.
  function searchLinks(dropdown) {
    return Array.prototype.slice.call(dropdown.querySelectorAll("a"));
  }
  document.addEventListener("keydown", function (event) {
    var box = event.target.closest && event.target.closest(".global-search input[type=search]");
    var dropdown = document.getElementById("search-dropdown");
    if (!box || !dropdown) { return; }
    var links = searchLinks(dropdown);
    var current = links.findIndex(function (a) { return a.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) { return; }
      event.preventDefault();
      var next = event.key === "ArrowDown" ? Math.min(links.length - 1, current + 1) : Math.max(-1, current - 1);
      links.forEach(function (a, i) { a.setAttribute("aria-selected", i === next ? "true" : "false"); });
      if (next >= 0) {
        if (!links[next].id) { links[next].id = "search-hit-" + next; }
        box.setAttribute("aria-activedescendant", links[next].id);
        links[next].scrollIntoView({block: "nearest"});
      } else { box.removeAttribute("aria-activedescendant"); }
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      window.location.assign(links[current].href);
    }
  });
  // new results: nothing is marked
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "search-dropdown") { return; }
    var box = document.querySelector(".global-search input[type=search]");
    if (box) { box.removeAttribute("aria-activedescendant"); }
  });

  // Pickers (core/widgets.py, core/_picker.html): a search box over the record field. Without this
  // script the field is a plain number field; with it, the number input is hidden and the search box
  // asks the picker's endpoint (?q=) as the user types, arrow keys move, Enter or a click chooses,
  // Escape closes. Leaving the box without choosing brings back the last choice; emptying it clears it.
  function pickerParts(picker) {
    return {
      value: picker.querySelector(".picker-value"),
      search: picker.querySelector(".picker-search"),
      list: picker.querySelector(".picker-options")
    };
  }
  function pickerOptions(parts) {
    return Array.prototype.slice.call(parts.list.querySelectorAll("[role=option]"));
  }
  function pickerClose(parts) {
    parts.list.hidden = true;
    parts.search.setAttribute("aria-expanded", "false");
    parts.search.removeAttribute("aria-activedescendant");
  }
  function pickerMark(parts, index) {
    var options = pickerOptions(parts);
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (options[index]) {
      parts.search.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    }
  }
  function pickerChoose(picker, option) {
    var parts = pickerParts(picker);
    parts.value.value = option.dataset.value;
    parts.search.value = option.dataset.label;
    picker.dataset.chosenValue = option.dataset.value;
    picker.dataset.chosenLabel = option.dataset.label;
    pickerClose(parts);
    parts.value.dispatchEvent(new Event("change", {bubbles: true}));
  }
  function pickerAsk(picker) {
    var parts = pickerParts(picker);
    var text = parts.search.value.trim();
    if (!text) { parts.list.innerHTML = ""; pickerClose(parts); return; }
    window.htmx.ajax("GET", picker.dataset.pickerUrl, {
      source: parts.search, target: parts.list, swap: "innerHTML", values: {q: text}
    }).then(function () {
      if (document.activeElement !== parts.search) { return; }
      parts.list.hidden = false;
      parts.search.setAttribute("aria-expanded", "true");
      pickerMark(parts, pickerOptions(parts).length ? 0 : -1);
    });
  }
  function pickerSetUp(picker) {
    if (picker.dataset.pickerReady) { return; }
    picker.dataset.pickerReady = "1";
    var parts = pickerParts(picker);
    picker.dataset.chosenValue = parts.value.value;
    picker.dataset.chosenLabel = parts.value.dataset.pickerLabel || "";
    if (parts.value.value && !picker.dataset.chosenLabel) { picker.dataset.chosenLabel = parts.value.value; }
    parts.search.value = picker.dataset.chosenLabel;
    // the label points at what the user types in; the number field keeps its name and value
    if (parts.value.id) { parts.search.id = parts.value.id; parts.value.id = parts.value.id + "-value"; }
    var named = parts.value.getAttribute("aria-label");
    if (named) { parts.search.setAttribute("aria-label", named); }
    parts.search.required = parts.value.required;
    parts.value.required = false;
    parts.value.type = "hidden";
    parts.search.hidden = false;
    parts.search.setAttribute("hx-sync", "this:replace");
    var timer = null;
    parts.search.addEventListener("input", function () {
      parts.value.value = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { pickerAsk(picker); }, 200);
    });
    parts.search.addEventListener("keydown", function (event) {
      var options = pickerOptions(parts);
      var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (parts.list.hidden) { pickerAsk(picker); return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        pickerMark(parts, Math.max(0, Math.min(options.length - 1, current + step)));
      } else if (event.key === "Enter") {
        if (!parts.list.hidden && options[current]) { event.preventDefault(); pickerChoose(picker, options[current]); }
        else if (!parts.list.hidden) { event.preventDefault(); }
      } else if (event.key === "Escape") {
        if (!parts.list.hidden) { event.preventDefault(); event.stopPropagation(); pickerClose(parts); }
      }
    });
    parts.list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); pickerChoose(picker, option); }
    });
    picker.addEventListener("focusout", function (event) {
      if (picker.contains(event.relatedTarget)) { return; }
      pickerClose(parts);
      if (!parts.search.value.trim()) {
        parts.value.value = ""; picker.dataset.chosenValue = ""; picker.dataset.chosenLabel = "";
      } else if (!parts.value.value) {
        parts.value.value = picker.dataset.chosenValue || "";
        parts.search.value = picker.dataset.chosenLabel || "";
      }
    });
  }
  function pickersIn(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("[data-picker]").forEach(pickerSetUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { pickersIn(document); });
  } else { pickersIn(document); }
  document.addEventListener("htmx:load", function (event) { pickersIn(event.target); });
})();

// Activity forms show a kind's own fields (a call's number, a parcel's tracking number) only while that
// kind is chosen: each such input names its kinds in data-kinds (activities/kinds.py).
(function () {
  "use strict";
  function showKindFields(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) { return; }
    form.querySelectorAll("[data-kinds]").forEach(function (input) {
      var field = input.closest(".field") || input;
      var shown = input.getAttribute("data-kinds").split(" ").indexOf(kind.value) !== -1;
      field.hidden = !shown;
    });
  }
  function formsIn(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-kinds]")) { showKindFields(form); }
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=kind]") && event.target.form) {
      showKindFields(event.target.form);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { formsIn(document); });
  } else { formsIn(document); }
  document.addEventListener("htmx:load", function (event) { formsIn(event.target); });
})();
