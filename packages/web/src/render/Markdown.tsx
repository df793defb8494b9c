import ReactMarkdown, { type Components } from 'react-markdown';

// Raw HTML in markdown is dropped (skipHtml) and never parsed; link targets go through
// react-markdown's URL filter, which removes javascript: and other unsafe protocols.
// Images are not loaded (they would call out to any host): their text stands in.
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  img: ({ alt, src }) => <span className="muted">[image: {alt || src || ''}]</span>,
};

export default function Markdown({ text }: { text: string }) {
  return (
    <ReactMarkdown skipHtml components={components}>
      {text}
    </ReactMarkdown>
  );
}
