import { splitMediaRefs } from './media-refs.js';
import { MediaView } from './MediaView.js';
import { TextBlock } from './TextBlock.js';

/** Text that may hold media references: the references rendered as media, the rest as text. */
export function MediaText({ text }: { text: string }) {
  const parts = splitMediaRefs(text);
  if (parts.length === 1 && typeof parts[0] === 'string') return <TextBlock text={text} />;
  return (
    <div className="media-text">
      {parts.map((p, i) => (typeof p === 'string' ? (p.trim() === '' ? null : <TextBlock key={i} text={p} />) : <MediaView key={i} media={p} />))}
    </div>
  );
}
