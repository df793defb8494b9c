/** A version's labels; `production` and `latest` stand out. */
export function LabelChips({ labels }: { labels: string[] }) {
  return (
    <span className="chips">
      {labels.map((l) => (
        <span key={l} className={`chip label label-${l === 'production' || l === 'latest' ? l : 'other'}`}>
          {l}
        </span>
      ))}
    </span>
  );
}
