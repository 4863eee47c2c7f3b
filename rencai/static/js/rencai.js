// The phone menu: one button opens and closes the navigation (the page works without it on a desktop).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("main-menu");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
});

// The menu's groups (人才, 审核, 政策…): one open at a time; a click elsewhere or Esc closes it.
document.addEventListener("DOMContentLoaded", () => {
  const groups = [...document.querySelectorAll("header.top .nav-group")];
  groups.forEach((group) => group.addEventListener("toggle", () => {
    if (group.open) groups.forEach((other) => { if (other !== group) other.open = false; });
  }));
  document.addEventListener("click", (event) => {
    groups.forEach((group) => { if (group.open && !group.contains(event.target)) group.open = false; });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = groups.find((group) => group.open);
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
});

// Tables: each in a box of its own (div.table-scroll) that scrolls sideways on a phone, never the page; the table
// stays as wide as its box (a table made to scroll by itself shrinks to its content and leaves a gap beside it).
// A short cell (a name, a date, an amount, a status) is marked so that a phone never breaks it over two lines
// ("刘洁/红", "2015-07-/01"); longer text wraps. Tables and rows htmx brings in later are treated the same.
(function () {
  "use strict";
  var SHORT = 20;  // characters
  function all(root, selector) {
    var found = root.matches && root.matches(selector) ? [root] : [];
    return found.concat([].slice.call(root.querySelectorAll ? root.querySelectorAll(selector) : []));
  }
  function box(root) {
    all(root, "table").forEach(function (table) {
      if (!table.parentElement || table.parentElement.classList.contains("table-scroll")) return;
      var wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      table.parentElement.insertBefore(wrapper, table);
      wrapper.appendChild(table);
    });
    all(root, "td").forEach(function (cell) {
      if (cell.textContent.trim().length <= SHORT) cell.classList.add("cell-short");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { box(document); });
  document.addEventListener("htmx:load", function (event) { box(event.target); });
})();

// Forms.
//
// 1. Before an irreversible act: a form marked data-confirm is not sent at once. Its own data is sent with
//    the header X-Rencai-Confirm: ask; the server answers what will happen (rencai/core/confirm.py), shown in
//    a <dialog>; only 确认 sends the form, with confirmed=1. 取消 (or Esc) sends nothing. If the question
//    cannot be asked, the form is sent without confirmed=1 and the server shows the same words as a page.
// 2. htmx: a form marked data-swap-errors shows the server's answer to a refused request (422, 409, 400) in
//    its target, where htmx would otherwise show nothing.
(function () {
  "use strict";
  var passing = null;  // the form being sent after 确认: its submit event is let through once

  function actionOf(form, submitter) {
    if (submitter && submitter.hasAttribute("formaction")) return submitter.formAction;
    // form.action is a control when one is named "action" (the decide forms' buttons): read the attribute.
    return new URL(form.getAttribute("action") || "", location.href).href;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function send(form, submitter) {
    var mark = el("input", {type: "hidden", name: "confirmed", value: "1"});
    form.appendChild(mark);
    passing = form;
    try {
      if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
    } finally {
      passing = null;
      mark.remove();  // the form data is taken synchronously; a page kept in history asks again
    }
  }

  function sendUnconfirmed(form, submitter) {
    passing = form;  // sent as it is: the server acts only if the post needs no confirmation, else asks itself
    try {
      if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
    } finally {
      passing = null;
    }
  }

  function dialog(answer, onYes) {
    var box = el("dialog", {"class": "confirm-dialog", "aria-labelledby": "confirm-dialog-title",
                            "data-confirm-dialog": ""});
    var title = el("h2", {id: "confirm-dialog-title"}, answer.error ? "无法完成操作" : answer.confirm.title);
    box.appendChild(title);
    var actions = el("p", {"class": "confirm-actions"});
    if (answer.error) {
      box.appendChild(el("p", {"class": "field-error", role: "alert"}, answer.error));
    } else {
      box.appendChild(el("p", {}, "确认后将："));
      var list = el("ul", {"class": "confirm-effects"});
      answer.confirm.effects.forEach(function (line) { list.appendChild(el("li", {}, line)); });
      box.appendChild(list);
      var yes = el("button", {type: "button", "class": "btn", "data-confirm-yes": ""}, answer.confirm.action);
      yes.addEventListener("click", function () {
        yes.disabled = true;
        box.close();
        onYes();
      });
      actions.appendChild(yes);
    }
    var no = el("button", {type: "button", "class": "btn secondary", "data-confirm-no": "", autofocus: ""},
                answer.error ? "关闭" : "取消");
    no.addEventListener("click", function () { box.close(); });
    actions.appendChild(no);
    box.appendChild(actions);
    box.addEventListener("close", function () { box.remove(); });
    document.body.appendChild(box);
    box.showModal();
    no.focus();  // the safe choice first
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
    if (passing === form) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // htmx's own handler waits for 确认 too
    if (form.dataset.confirmAsking) return;  // a second click while asking
    var submitter = event.submitter || null;
    form.dataset.confirmAsking = "1";
    var data = new FormData(form, submitter);
    if (submitter && submitter.name && !data.has(submitter.name)) data.append(submitter.name, submitter.value);
    fetch(actionOf(form, submitter), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-Rencai-Confirm": "ask", "Accept": "application/json"}
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return json ? response.json() : null;
    }).catch(function () { return null; }).then(function (answer) {
      delete form.dataset.confirmAsking;
      if (answer === null || (answer.confirm === undefined && !answer.error)) {
        sendUnconfirmed(form, submitter);
      } else if (answer.confirm === null) {
        sendUnconfirmed(form, submitter);  // nothing to confirm for this button (e.g. 退回补正): the server decides
      } else {
        dialog(answer, function () { send(form, submitter); });
      }
    });
  }, true);

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = source && source.closest ? source.closest("[data-swap-errors]") : null;
    if (form && (status === 422 || status === 409 || status === 400)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
