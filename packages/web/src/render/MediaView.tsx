import type { MediaUrlResponse } from '@sightline/server/api-types';
import { createContext, useContext, useEffect, useState } from 'react';
import { useFetch } from '../use-fetch.js';
import type { MediaRef } from './media-refs.js';

/** The project whose media the rendered inputs/outputs reference (set by IoView). */
export const MediaProject = createContext<string | null>(null);

const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** Shown instead of media that cannot be loaded: the reference as text, never a broken element. */
function Unavailable({ media, reason }: { media: MediaRef; reason: string }) {
  return (
    <span className="chip media-unavailable" title={media.text}>
      {reason}: {media.contentType} {media.mediaId}
    </span>
  );
}

/**
 * A media reference rendered as what it is: an image (click to enlarge), an audio or video
 * player, or a download link for anything else (PDFs, documents, SVG, HTML).
 */
export function MediaView({ media }: { media: MediaRef }) {
  const projectId = useContext(MediaProject);
  const { data, error } = useFetch<MediaUrlResponse>(projectId ? `/projects/${projectId}/media/${encodeURIComponent(media.mediaId)}` : null);
  const [enlarged, setEnlarged] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!enlarged) return;
    const close = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setEnlarged(false);
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [enlarged]);
  if (!projectId) return <Unavailable media={media} reason="media" />;
  if (error) return <Unavailable media={media} reason="media unavailable" />;
  if (!data) return <span className="chip muted">loading media…</span>;
  if (failed) return <Unavailable media={media} reason="media failed to load" />;
  const type = data.contentType;
  const caption = `${type}, ${formatBytes(data.contentLength)}`;
  if (data.inline && type.startsWith('image/')) {
    return (
      <>
        <button type="button" className="media-thumb" title={`${caption} — click to enlarge`} onClick={() => setEnlarged(true)}>
          <img src={data.url} alt={`image ${media.mediaId}`} onError={() => setFailed(true)} />
        </button>
        {enlarged && (
          <div className="media-lightbox" role="dialog" aria-label="Enlarged image" onClick={() => setEnlarged(false)}>
            <img src={data.url} alt={`image ${media.mediaId}, enlarged`} />
          </div>
        )}
      </>
    );
  }
  if (data.inline && type.startsWith('audio/')) return <audio className="media-audio" controls preload="metadata" src={data.url} title={caption} onError={() => setFailed(true)} />;
  if (data.inline && type.startsWith('video/')) return <video className="media-video" controls preload="metadata" src={data.url} title={caption} onError={() => setFailed(true)} />;
  return (
    <a className="chip media-file" href={data.url} download={media.mediaId}>
      ⤓ Download {caption}
    </a>
  );
}
