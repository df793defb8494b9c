import { JsonTree, type Json } from './JsonTree.js';
import { MediaText } from './MediaText.js';
import { MediaProject } from './MediaView.js';

interface Message {
  role: string;
  content?: Json;
  [k: string]: Json | undefined;
}

const isMessage = (v: Json): v is Message & { [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.role === 'string' && ('content' in v || 'tool_calls' in v);

/** Chat messages in the shapes the SDKs send: a list, `{messages: […]}`, or one message. */
function asMessages(v: Json): { messages: Message[]; rest: Json | null } | null {
  if (Array.isArray(v) && v.length > 0 && v.every(isMessage)) return { messages: v, rest: null };
  if (isMessage(v)) return { messages: [v], rest: null };
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray(v.messages) && v.messages.length > 0 && v.messages.every(isMessage)) {
    const { messages, ...rest } = v;
    return { messages: messages, rest: Object.keys(rest).length > 0 ? rest : null };
  }
  return null;
}

function parse(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/**
 * An input or output (stored as JSON text): a conversation, text (markdown-aware) or a JSON tree;
 * media references in it render as the media of `projectId`.
 */
export function IoView({ value, label, projectId }: { value: string | null; label: string; projectId?: string }) {
  if (value === null || value === '') {
    return (
      <section className="io">
        <h3>{label}</h3>
        <p className="muted">None</p>
      </section>
    );
  }
  return (
    <section className="io" aria-label={label}>
      <h3>{label}</h3>
      <MediaProject.Provider value={projectId ?? null}>
        <JsonValue value={parse(value)} />
      </MediaProject.Provider>
    </section>
  );
}

export function JsonValue({ value }: { value: Json }) {
  if (typeof value === 'string') return <MediaText text={value} />;
  const chat = asMessages(value);
  if (chat) {
    return (
      <div className="chat">
        {chat.messages.map((m, i) => (
          <ChatMessage key={i} message={m} />
        ))}
        {chat.rest !== null && <JsonTree value={chat.rest} />}
      </div>
    );
  }
  return (
    <div className="json">
      <JsonTree value={value} />
    </div>
  );
}

function ChatMessage({ message }: { message: Message }) {
  const { role, content, ...rest } = message;
  const extra = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== null)) as { [k: string]: Json };
  return (
    <div className={`message role-${/^[a-z]+$/.test(role) ? role : 'other'}`}>
      <div className="role">{role}</div>
      {typeof content === 'string' ? (
        <MediaText text={content} />
      ) : Array.isArray(content) ? (
        content.map((part, i) =>
          typeof part === 'object' && part !== null && !Array.isArray(part) && part.type === 'text' && typeof part.text === 'string' ? (
            <MediaText key={i} text={part.text} />
          ) : (
            <JsonTree key={i} value={part} />
          ),
        )
      ) : content !== undefined && content !== null ? (
        <JsonTree value={content} />
      ) : null}
      {Object.keys(extra).length > 0 && <JsonTree value={extra} />}
    </div>
  );
}
