// Keyboard triage of the feedback inbox, and the passage picker of an item page.
//
// Inbox: one row is selected (roving tabindex: it alone is focusable). j/k move, Enter opens,
// and the action keys click the row's own button for that key (data-key="a", "x", "1"…), so a
// key does exactly what the visible button does (an htmx POST answered with the new row). After
// the swap the same row is selected and focused again and what happened is announced.
// Item page: selecting part of the text fills the passage form's start/end offsets.
(function () {
  "use strict";

  var ACTION_KEYS = ["a", "x", "1", "2", "3", "m", "c"];
  var pending = null; // the id of the row whose action is under way
  var pendingXhr = null; // and its request (one answer settles several elements: row, tabs)
  var queued = []; // action keys pressed while it was
  var MISSING = {
    a: "No suggestion to accept on this item.",
    x: "No suggestion to reject on this item.",
    m: "No duplicate flagged on this item.",
    c: "This item is already closed.",
    1: "Accept a link first (a), then set its importance.",
  };
  MISSING[2] = MISSING[1];
  MISSING[3] = MISSING[1];

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#inbox-table tbody tr.fb-row"));
  }

  function selected() {
    return document.querySelector("#inbox-table tr.fb-row.is-selected");
  }

  function announce(text) {
    var status = document.getElementById("triage-status");
    if (status) {
      status.textContent = text;
    }
  }

  function select(row, focus) {
    rows().forEach(function (other) {
      other.classList.remove("is-selected");
      other.setAttribute("tabindex", "-1");
    });
    row.classList.add("is-selected");
    row.setAttribute("tabindex", "0");
    if (focus) {
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    var index = all.indexOf(selected());
    var next = all[Math.max(0, Math.min(all.length - 1, index + step))];
    if (next) {
      select(next, true);
    }
  }

  function act(key) {
    var row = selected();
    if (!row) {
      return;
    }
    if (pending) {
      queued.push(key); // typed ahead of the answer: run once the new row is in place
      return;
    }
    var button = row.querySelector('button[data-key="' + key + '"]');
    if (button && !button.disabled) {
      // A row swapped in a moment ago may not be wired by htmx yet (it does so after settling).
      window.htmx.process(row);
      button.click();
    } else {
      announce(MISSING[key] || "Nothing to do.");
    }
  }

  // Run the keys typed while an action was under way, in order, until one starts another.
  function replay() {
    while (queued.length && !pending) {
      var key = queued.shift();
      if (key === "j" || key === "k") {
        move(key === "j" ? 1 : -1);
      } else {
        act(key);
      }
    }
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function showShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      showShortcuts();
      return;
    }
    if (!document.getElementById("inbox-table") || document.querySelector("dialog[open]")) {
      return;
    }
    var onRow = event.target && event.target.classList && event.target.classList.contains("fb-row");
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      // Typed ahead of an answer, a move waits its turn: the settling row takes the selection
      // back, so moving now would send the keys after it to the wrong row.
      if (pending) {
        queued.push(event.key);
      } else {
        move(event.key === "j" ? 1 : -1);
      }
    } else if (event.key === "Enter" && (onRow || event.target === document.body)) {
      var link = selected() && selected().querySelector("a.fb-open");
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    } else if (ACTION_KEYS.indexOf(event.key) >= 0) {
      event.preventDefault();
      act(event.key);
    }
  }

  // A refused action (4xx) leaves the row as it was and says why; the row is not replaced by
  // the error fragment.
  function onBeforeSwap(event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("fb-row") && event.detail.xhr.status >= 400) {
      event.detail.shouldSwap = false;
      pending = null;
      queued = [];
      var answer = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
      announce(answer.body.textContent.trim() || "That did not work; reload the page.");
    }
  }

  function onBeforeRequest(event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("fb-row")) {
      pending = target.dataset.id;
      pendingXhr = event.detail.xhr;
    }
  }

  function onAfterSettle(event) {
    if (!pending || event.detail.xhr !== pendingXhr) {
      return;
    }
    var row = document.getElementById("fb-row-" + pending);
    pending = null;
    if (row) {
      select(row, true);
      if (row.dataset.done) {
        announce(row.dataset.done);
      }
    }
    if (queued.length) {
      window.setTimeout(replay, 0);
    }
  }

  function onRowClick(event) {
    var row = event.target.closest && event.target.closest("tr.fb-row");
    if (row) {
      select(row, false);
    }
  }

  // The passage picker: offsets are counted in the text as stored (the element holds it as is).
  function onSelection() {
    var text = document.getElementById("fb-fulltext");
    var start = document.getElementById("id_passage_start");
    var end = document.getElementById("id_passage_end");
    var shown = document.getElementById("fb-passage-shown");
    if (!text || !start || !end) {
      return;
    }
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) {
      return;
    }
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var from = before.toString().length;
    var to = from + range.toString().length;
    start.value = String(from);
    end.value = String(to);
    if (shown) {
      shown.textContent = "“" + range.toString() + "” (characters " + from + "–" + to + ")";
    }
  }

  function onClearPassage(event) {
    if (!event.target.matches || !event.target.matches("[data-clear-passage]")) {
      return;
    }
    document.getElementById("id_passage_start").value = "";
    document.getElementById("id_passage_end").value = "";
    document.getElementById("fb-passage-shown").textContent = "the whole item";
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("htmx:beforeRequest", onBeforeRequest);
  document.addEventListener("htmx:beforeSwap", onBeforeSwap);
  document.addEventListener("htmx:afterSettle", onAfterSettle);
  document.addEventListener("htmx:sendError", function () {
    pending = null;
    queued = [];
    announce("The server did not answer; nothing changed. Try again.");
  });
  document.addEventListener("click", onRowClick);
  document.addEventListener("click", onClearPassage);
  document.addEventListener("click", function (event) {
    if (event.target.matches && event.target.matches("[data-shortcuts]")) {
      showShortcuts();
    }
  });
  document.addEventListener("mouseup", onSelection);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) {
      onSelection();
    }
  });
})();
