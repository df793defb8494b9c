import type { PromptChatItem, PromptVersionView } from '../types.js';
import { Highlighted } from './Highlighted.js';
import { isPlaceholder, versionVariables } from './prompt-text.js';

/** A CSS-safe role class: roles are free text. */
const roleClass = (role: string) => `role-${role.toLowerCase().replace(/[^a-z0-9_-]/g, '')}`;

/** A prompt's text, or its chat messages with their roles and placeholders, variables marked. */
export function PromptBody({ prompt }: { prompt: string | PromptChatItem[] }) {
  if (typeof prompt === 'string') {
    return (
      <pre className="text prompt-text" aria-label="Prompt content">
        <Highlighted text={prompt} />
      </pre>
    );
  }
  return (
    <ol className="chat prompt-chat" aria-label="Chat messages">
      {prompt.map((m, i) =>
        isPlaceholder(m) ? (
          <li key={i} className="message placeholder">
            <span className="role">Placeholder</span> <mark className="prompt-placeholder">{m.name || '(unnamed)'}</mark>
            <span className="muted small"> — a list of messages given at compile()</span>
          </li>
        ) : (
          <li key={i} className={`message ${roleClass(m.role)}`}>
            <div className="role">{m.role}</div>
            <pre className="text">
              <Highlighted text={m.content} />
            </pre>
          </li>
        ),
      )}
    </ol>
  );
}

/** A version's content, its variables and its config. */
export function PromptContent({ version }: { version: PromptVersionView }) {
  const variables = versionVariables(version);
  return (
    <div className="prompt-content">
      <PromptBody prompt={version.prompt} />
      {variables.length > 0 && (
        <p className="chips" aria-label="Variables">
          <span className="muted small">Variables:</span>
          {variables.map((v) => (
            <span key={v} className="chip prompt-variable">
              {v}
            </span>
          ))}
        </p>
      )}
      <section>
        <h3>Config</h3>
        <pre className="text" aria-label="Config">
          {JSON.stringify(version.config ?? {}, null, 2)}
        </pre>
      </section>
    </div>
  );
}
