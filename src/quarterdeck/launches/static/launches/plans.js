// Launch pages: arrow-key navigation of the month grid (one day in the Tab order, a roving
// tabindex), confirmations of deletes, and the status selects that save on change (htmx).
(function () {
  "use strict";
  document.documentElement.classList.add("lp-js");

  const STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function cells(grid) {
    return Array.from(grid.querySelectorAll('td[role="gridcell"]'));
  }

  function focusCell(grid, next) {
    cells(grid).forEach((cell) => {
      cell.tabIndex = cell === next ? 0 : -1;
      cell.querySelectorAll("a").forEach((a) => { a.tabIndex = cell === next ? 0 : -1; });
    });
    next.focus();
  }

  function onKey(event) {
    const grid = event.currentTarget;
    const cell = event.target.closest('td[role="gridcell"]');
    if (!cell) return;
    const all = cells(grid);
    let index = all.indexOf(cell);
    if (event.key in STEPS) index += STEPS[event.key];
    else if (event.key === "Home") index -= index % 7;
    else if (event.key === "End") index += 6 - (index % 7);
    else if (event.key === "Enter" && event.target === cell) {
      const link = cell.querySelector("a");
      if (link) link.click();
      return;
    } else return;
    event.preventDefault();
    focusCell(grid, all[Math.max(0, Math.min(all.length - 1, index))]);
  }

  function setUp(root) {
    root.querySelectorAll("[data-lp-grid]").forEach((grid) => {
      if (grid.dataset.lpReady) return;
      grid.dataset.lpReady = "1";
      grid.addEventListener("keydown", onKey);
      const current = grid.querySelector('td[tabindex="0"]');
      if (current) current.querySelectorAll("a").forEach((a) => { a.tabIndex = 0; });
    });
  }

  document.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:afterSettle", (event) => setUp(event.target));
})();
