// On a phone the list tables are shown as one card per row (saraban.css, "Phone widths"), without
// their header row: each cell takes its column's heading as data-label, which the card shows above
// the value. A cell that already has a data-label keeps it; a cell spanning columns (a message
// such as "nothing here") gets none.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table.list")) {
    const header = table.querySelector("tr:has(> th)");
    if (!header) continue;
    const headings = [];
    for (const cell of header.children) for (let i = 0; i < cell.colSpan; i++) headings.push(cell.textContent.trim());
    for (const row of table.querySelectorAll("tr")) {
      if (row === header) continue;
      let column = 0;
      for (const cell of row.children) {
        if (cell.tagName === "TD" && cell.colSpan === 1 && !cell.dataset.label && headings[column]) {
          cell.dataset.label = headings[column];
        }
        column += cell.colSpan;
      }
    }
  }
});
