import { createElement } from 'react';
import { renderToStaticMarkup as reactMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { groupIssues, IssueList } from '../../renderer/components/IssueList';

/** The markup without React's generated caption ids (the box around a table is named by its caption's id). */
const renderToStaticMarkup = (element: Parameters<typeof reactMarkup>[0]) =>
  reactMarkup(element).replace(/ id="_R_[^"]*"/g, '');

/** 125 identical warnings are one line with a count, expandable to their lines (issue 10, item 17). */
describe('IssueList groups identical problems', () => {
  const band = (line: number) => ({ line, column: 'Pay Band', message: 'Band 5 is outside bands 2 to 4' });
  const issues = [
    band(2),
    { line: 3, column: 'FTE', message: 'FTE 1 does not match 30 hours' },
    ...Array.from({ length: 124 }, (_, i) => band(1_000 + i)),
  ];

  it('counts each kind once, in the order first seen, with every line', () => {
    const groups = groupIssues(issues);
    expect(groups.map((g) => [g.first.column, g.count])).toEqual([
      ['Pay Band', 125],
      ['FTE', 1],
    ]);
    expect(groups[0]!.lines).toHaveLength(125);
    expect(groups[0]!.lines.slice(0, 3)).toEqual([2, 1000, 1001]);
  });

  it('shows one row per kind: the count, expandable to the lines', () => {
    const html = renderToStaticMarkup(createElement(IssueList, { caption: 'Warnings', issues, total: 126 }));
    expect(html).toContain('<caption>Warnings (126, 2 different)</caption>');
    expect(html.match(/<tr>/g)).toHaveLength(3); // the header and two kinds
    expect(html).toContain('<details class="issue-lines"><summary>125 lines</summary><span>2, 1,000, 1,001, 1,002');
    expect(html).toContain('<td class="num">3</td><td>FTE</td><td>FTE 1 does not match 30 hours</td>');
  });

  it('keeps one row per problem when none repeat', () => {
    const html = renderToStaticMarkup(
      createElement(IssueList, { caption: 'Rejected rows', issues: [band(2), { ...band(3), message: 'Other' }] }),
    );
    expect(html).toContain('<caption>Rejected rows (2)</caption>');
    expect(html).not.toContain('<details');
  });
});
