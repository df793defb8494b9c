import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { remarkHtmlAsText } from './remark-html-as-text.js';

// Raw HTML is not markdown syntax here (remarkHtmlAsText): tags show as the text they are.
// skipHtml stays as a second guard. Link targets go through react-markdown's URL filter,
// which empties javascript:, data:, vbscript: and any other protocol but http(s), mailto and
// the like; a link left without a target is shown as its text, not as an anchor that would
// reload the page when clicked. Images are not loaded (they would call out to any host): their
// text stands in. GitHub's tables, strikethrough and task lists are rendered (remark-gfm).
const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span className="unsafe-link">{children}</span>
    ),
  img: ({ alt, src }) => <span className="muted">[image: {alt || src || ''}]</span>,
};

const remarkPlugins = [remarkGfm, remarkHtmlAsText];

export default function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown skipHtml remarkPlugins={remarkPlugins} components={components}>
      {text}
    </ReactMarkdown>
  );
}
