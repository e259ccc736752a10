// Sorts the rows of every table.sortable by the column whose header button
// is clicked (numbers by their data-sort value, names alphabetically);
// a second click reverses. The pages work without it, in code order.
'use strict';
document.querySelectorAll('table.sortable').forEach((table) => {
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, column) => {
    const button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      headers.forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const body = table.tBodies[0];
      const key = (row) => {
        const cell = row.cells[column];
        const text = cell.dataset.sort ?? cell.textContent;
        const number = Number(text);
        return Number.isNaN(number) ? text.toLowerCase() : number;
      };
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const order = typeof x === 'number' && typeof y === 'number'
            ? x - y : String(x).localeCompare(String(y), 'id');
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
});
