// The roadmap board: drag and drop of cards between and within the lanes, and the keyboard
// alternative. Every move is a POST of the card's own form (or, for a drop, the same form with
// the target lane and the card it lands before), answered with the lanes re-rendered by the
// server; a version conflict (412) comes back with the current board and a note. Without this
// script the buttons still work as plain form posts.
// Keys on a focused card: Alt+Left / Alt+Right change lane, Alt+Up / Alt+Down reorder; they
// press the card's own button for that key, so a key does exactly what the visible button does.
(function () {
  "use strict";

  var dragged = null;

  function lanes() {
    return document.getElementById("board-lanes");
  }

  function announce(text) {
    var region = document.getElementById("board-announce");
    if (region) {
      region.textContent = "";
      window.setTimeout(function () {
        region.textContent = text;
      }, 50);
    }
  }

  function focusCard(id) {
    var card = id && document.getElementById("card-" + id);
    if (card) {
      card.focus();
      card.scrollIntoView({ block: "nearest" });
    }
  }

  function swap(html, featureId) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#board-lanes");
    var current = lanes();
    if (!fresh || !current) {
      window.location.reload();
      return;
    }
    current.replaceWith(fresh);
    var note = fresh.querySelector(".rm-note");
    if (note) {
      announce(note.textContent);
    }
    focusCard(featureId);
  }

  function send(form, extra) {
    var data = new FormData(form);
    Object.keys(extra).forEach(function (key) {
      data.set(key, extra[key]);
    });
    var featureId = data.get("feature_id");
    var board = lanes();
    if (board) {
      board.setAttribute("aria-busy", "true");
    }
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        swap(html, featureId);
      })
      .catch(function () {
        announce("The move could not be sent; reload the page and try again.");
        if (board) {
          board.removeAttribute("aria-busy");
        }
      });
  }

  // Buttons and keys -------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("rm-moves")) {
      return;
    }
    event.preventDefault();
    var button = event.submitter;
    var extra = {};
    if (button && button.name) {
      extra[button.name] = button.value;
    }
    send(form, extra);
  });

  var KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || KEYS.indexOf(event.key) < 0) {
      return;
    }
    var card = event.target.closest && event.target.closest(".rm-card");
    if (!card) {
      return;
    }
    var button = card.querySelector('.rm-moves button[data-key="' + event.key + '"]:not([disabled])');
    event.preventDefault();
    if (button) {
      button.click();
    } else {
      announce("This card cannot move that way.");
    }
  });

  // Drag and drop ----------------------------------------------------------------------------

  function clearMarks() {
    document.querySelectorAll(".rm-drop-before, .rm-drop-end, .rm-drop-target").forEach(function (el) {
      el.classList.remove("rm-drop-before", "rm-drop-end", "rm-drop-target");
    });
  }

  function cardAfter(list, y) {
    var cards = Array.prototype.slice.call(list.querySelectorAll(".rm-card:not(.rm-dragging)"));
    for (var i = 0; i < cards.length; i += 1) {
      var box = cards[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        return cards[i];
      }
    }
    return null;
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".rm-card.rm-movable");
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("rm-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.feature);
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("rm-dragging");
    }
    dragged = null;
    clearMarks();
  });

  document.addEventListener("dragover", function (event) {
    var list = dragged && event.target.closest && event.target.closest(".rm-cards[data-drop]");
    if (!list) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    list.classList.add("rm-drop-target");
    var after = cardAfter(list, event.clientY);
    if (after) {
      after.classList.add("rm-drop-before");
    } else {
      list.classList.add("rm-drop-end");
    }
  });

  document.addEventListener("drop", function (event) {
    var list = dragged && event.target.closest && event.target.closest(".rm-cards[data-drop]");
    if (!list) {
      return;
    }
    event.preventDefault();
    var after = cardAfter(list, event.clientY);
    var form = dragged.querySelector("form.rm-moves");
    clearMarks();
    if (!form) {
      return;
    }
    send(form, { lane: list.dataset.lane, before: after ? after.dataset.feature : "", to: "" });
  });
})();
