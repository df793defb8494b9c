import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import Markdown from './Markdown.js';

const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('Markdown', () => {
  it('renders a GitHub table with its header, alignment and inline markdown in cells', () => {
    const html = render('Results:\n\n| model | cost |\n| :--- | ---: |\n| gpt-4o | **0.30** |\n| mini | 0.01 |\n');
    expect(html).toContain('<table>');
    expect(html).toMatch(/<th[^>]*>model<\/th>/);
    expect(html).toMatch(/<td style="text-align:right"><strong>0.30<\/strong><\/td>/);
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('shows a line that starts with an HTML tag as text, keeping the rest of the line and the next lines', () => {
    const html = render('<div>first **bold** tail\nsecond line\n\n<!-- note --> after');
    expect(html).toContain('&lt;div&gt;first <strong>bold</strong> tail');
    expect(html).toContain('second line');
    expect(html).toContain('&lt;!-- note --&gt; after');
    expect(html).not.toContain('<div');
  });

  it('never turns tags, event handlers or javascript: links into elements', () => {
    const html = render('<script>alert(1)</script>\n\n| a |\n| - |\n| <img src=x onerror=alert(1)> |\n\ninline <b onclick="x">b</b> [l](javascript:alert(1))');
    expect(html).not.toMatch(/<(script|img|b)[\s>]/);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps autolinks, strikethrough and task lists', () => {
    const html = render('<https://example.com/a> ~~old~~\n\n- [x] done');
    expect(html).toContain('href="https://example.com/a"');
    expect(html).toContain('<del>old</del>');
    expect(html).toMatch(/<input[^>]*checked[^>]*disabled|<input[^>]*disabled[^>]*checked/);
  });
});
