import { createElement } from 'react';
import { renderToStaticMarkup as reactMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, type Column, type DataTableProps } from '../../renderer/components/DataTable';
import { IssueList } from '../../renderer/components/IssueList';

interface Role {
  id: number;
  title: string;
  band: string;
  fte: number;
}

const ROLES: Role[] = [
  { id: 1, title: 'Therapy support worker', band: '3', fte: 2.5 },
  { id: 2, title: 'Assistant practitioner', band: '4', fte: 10 },
  { id: 3, title: 'Rehabilitation assistant', band: '2', fte: 1 },
];
const COLUMNS: Column<Role>[] = [
  { id: 'title', header: 'Role', cell: (r) => r.title, value: (r) => r.title, rowHeader: true, sortable: true },
  { id: 'band', header: 'Band', cell: (r) => r.band, value: (r) => r.band },
  {
    id: 'fte',
    header: 'FTE',
    cell: (r) => r.fte.toFixed(2),
    value: (r) => r.fte,
    numeric: true,
    sortable: true,
    className: (r) => (r.fte > 5 ? 'over' : undefined),
  },
];

/** The markup without React's generated caption ids (the box around a table is named by its caption's id). */
const renderToStaticMarkup = (element: Parameters<typeof reactMarkup>[0]) =>
  reactMarkup(element).replace(/ id="_R_[^"]*"/g, '');
const render = (props: Partial<DataTableProps<Role>>) =>
  renderToStaticMarkup(
    createElement(DataTable<Role>, { caption: 'Roles', columns: COLUMNS, rows: ROLES, rowKey: (r) => r.id, ...props }),
  );
const bodyOrder = (html: string) => [...html.matchAll(/<th scope="row"[^>]*>([^<]*)</g)].map((m) => m[1]);

describe('DataTable', () => {
  it('writes a captioned table with column headers, row headers and right-aligned numbers', () => {
    const html = render({
      label: 'Roles by band',
      testId: 'roles',
      rowAttributes: (r) => ({ 'data-testid': `role-${r.id}` }),
    });
    expect(html).toContain('<table class="table" aria-label="Roles by band" data-testid="roles">');
    expect(html).toContain('<caption>Roles</caption>');
    expect(html).toContain('<th scope="col">Band</th>');
    expect(html).toContain('<th scope="col" class="num"><button type="button" class="sort-button">FTE</button></th>');
    expect(html).toContain(
      '<tr data-testid="role-2"><th scope="row">Assistant practitioner</th><td>4</td><td class="num over">10.00</td></tr>',
    );
    expect(bodyOrder(html)).toEqual(['Therapy support worker', 'Assistant practitioner', 'Rehabilitation assistant']);
  });

  it('sorts by a sortable column, marks the header with aria-sort and the arrow, and numbers compare as numbers', () => {
    const html = render({ defaultSort: { id: 'fte', desc: false } });
    expect(html).toContain(
      '<th scope="col" class="num" aria-sort="ascending"><button type="button" class="sort-button">FTE ▲</button></th>',
    );
    expect(html).toContain('<th scope="col"><button type="button" class="sort-button">Role</button></th>');
    expect(bodyOrder(html)).toEqual(['Rehabilitation assistant', 'Therapy support worker', 'Assistant practitioner']);
    expect(bodyOrder(render({ defaultSort: { id: 'title', desc: true } }))).toEqual([
      'Therapy support worker',
      'Rehabilitation assistant',
      'Assistant practitioner',
    ]);
  });

  it('keeps the order the service gave when sorting is manual', () => {
    const html = render({ sort: { id: 'title', desc: false }, manualSorting: true });
    expect(html).toContain('aria-sort="ascending"');
    expect(bodyOrder(html)).toEqual(['Therapy support worker', 'Assistant practitioner', 'Rehabilitation assistant']);
  });

  it('filters on the searchable columns, ignoring case', () => {
    expect(bodyOrder(render({ filter: 'ASSIST' }))).toEqual(['Assistant practitioner', 'Rehabilitation assistant']);
    expect(bodyOrder(render({ filter: '4' }))).toEqual(['Assistant practitioner']);
  });

  it('shows the empty message across the table, summary rows, and a footer whose label can span columns', () => {
    expect(render({ rows: [], empty: 'No roles yet.' })).toContain(
      '<tbody><tr><td colSpan="3">No roles yet.</td></tr></tbody>',
    );
    const html = render({
      summaryRows: [{ key: 'other', label: 'Other roles', cells: { fte: '0.50' } }],
      footer: [{ key: 'total', label: 'Total', span: 2, cells: { fte: '14.00' } }],
    });
    expect(html).toContain('<tr><th scope="row">Other roles</th><td></td><td class="num">0.50</td></tr></tbody>');
    expect(html).toContain('<tfoot><tr><th scope="row" colSpan="2">Total</th><td class="num">14.00</td></tr></tfoot>');
  });

  it('puts every table in a box that can scroll sideways, so a wide table never widens the page', () => {
    const html = reactMarkup(
      createElement(DataTable<Role>, { caption: 'Roles', columns: COLUMNS, rows: ROLES, rowKey: (r) => r.id }),
    );
    expect(html).toMatch(/^<div class="table-scroll"><table class="table"><caption id="[^"]+">Roles<\/caption>/);
  });

  it('can hide the caption visually, leave out the header, wrap in a scrolling box and show a row still loading', () => {
    const html = render({
      captionHidden: true,
      header: false,
      scroll: 'funding-scroll',
      rowPlaceholder: (r) => (r.id === 2 ? 'Loading…' : undefined),
    });
    expect(html.startsWith('<div class="table-scroll funding-scroll"><table class="table">')).toBe(true);
    expect(html).toContain('<caption class="visually-hidden">Roles</caption>');
    expect(html).not.toContain('<thead>');
    expect(html).toContain('<td colSpan="3" class="hint">Loading…</td>');
  });
});

describe('IssueList', () => {
  it('lists line, column and problem, and says when only the first problems are shown', () => {
    const issues = [
      { line: 13, column: 'Hire Date', message: '"31/02/2021" is not a date' },
      { line: 14, column: null, message: 'The row has 3 cells; the header has 16' },
    ];
    const html = renderToStaticMarkup(createElement(IssueList, { caption: 'Rejected rows', issues, total: 250 }));
    expect(html).toContain('<caption>Rejected rows (first 2 of 250)</caption>');
    expect(html).toContain(
      '<th scope="col" class="num">Line</th><th scope="col">Column</th><th scope="col">Problem</th>',
    );
    expect(html).toContain(
      '<tr><td class="num">13</td><td>Hire Date</td><td>&quot;31/02/2021&quot; is not a date</td></tr>',
    );
    expect(renderToStaticMarkup(createElement(IssueList, { caption: 'Rejected rows', issues }))).toContain(
      '<caption>Rejected rows (2)</caption>',
    );
    expect(renderToStaticMarkup(createElement(IssueList, { caption: 'Rejected rows', issues: [] }))).toBe('');
  });

  it('names the rows of a problem that spans several, and the file when there are several files', () => {
    const html = renderToStaticMarkup(
      createElement(IssueList, {
        caption: 'Problems',
        issues: [{ file: 'descriptors.csv', line: [3, 4], message: 'Item 2.1 has no row for assistant-practitioner' }],
        lineHeader: 'Rows',
      }),
    );
    expect(html).toContain(
      '<th scope="col">File</th><th scope="col" class="num">Rows</th><th scope="col">Problem</th>',
    );
    expect(html).toContain('<td>descriptors.csv</td><td class="num">3, 4</td>');
    expect(html).not.toContain('Column');
  });
});
