import { message, type DraftMessage, type Role } from './draft.js';

const ROLES: Role[] = ['system', 'user', 'assistant'];

/** The chat prompt: one row per message with its role; add and remove messages. */
export function MessagesEditor({ messages, onChange }: { messages: DraftMessage[]; onChange(next: DraftMessage[]): void }) {
  const update = (key: number, patch: Partial<DraftMessage>) => onChange(messages.map((m) => (m.key === key ? { ...m, ...patch } : m)));
  return (
    <div className="pg-messages">
      {messages.map((m, i) => (
        <div key={m.key} className="pg-message" data-index={i}>
          <select aria-label={`Role of message ${i + 1}`} value={m.role} onChange={(e) => update(m.key, { role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <textarea aria-label={`Message ${i + 1}`} rows={Math.min(10, Math.max(2, m.content.split('\n').length))} value={m.content} onChange={(e) => update(m.key, { content: e.target.value })} />
          <button type="button" className="link danger" aria-label={`Remove message ${i + 1}`} disabled={messages.length === 1} onClick={() => onChange(messages.filter((x) => x.key !== m.key))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...messages, message(messages.at(-1)?.role === 'user' ? 'assistant' : 'user')])}>
        Add message
      </button>
    </div>
  );
}
