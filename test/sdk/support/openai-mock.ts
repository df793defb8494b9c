import { acceptAll, type StubHandler, type StubReply } from './stub-server.js';

const sse = (items: unknown[]) => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  body: items.map((i) => `data: ${JSON.stringify(i)}\n\n`).join('') + 'data: [DONE]\n\n',
});

const chatChunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, delta, finish_reason: null }], ...extra,
});

/** Answers like the OpenAI API for chat, completions, responses and embeddings (streams included). */
function openaiReply(path: string, body: any): StubReply {
  if (path === '/v1/chat/completions' && body.messages?.[0]?.content === 'fail') {
    return { status: 400, body: { error: { message: 'bad request from mock', type: 'invalid_request_error' } } };
  }
  if (path === '/v1/chat/completions' && body.stream) {
    return sse([
      chatChunk({ role: 'assistant', content: '' }),
      chatChunk({ content: 'Hel' }),
      chatChunk({ content: 'lo!' }),
      { ...chatChunk({}), choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } },
    ]);
  }
  if (path === '/v1/chat/completions') {
    return { status: 200, body: {
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    } };
  }
  if (path === '/v1/completions') {
    return { status: 200, body: { id: 'cmpl-1', object: 'text_completion', model: 'gpt-3.5-turbo-instruct', choices: [{ index: 0, text: ' world' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } } };
  }
  if (path === '/v1/responses' && body.stream) {
    const response = { id: 'resp_1', object: 'response', model: 'gpt-4o-mini', output: [], usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } };
    return sse([
      { type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress' } },
      { type: 'response.output_text.delta', sequence_number: 1, item_id: 'm1', output_index: 0, content_index: 0, delta: 'Hi ' },
      { type: 'response.output_text.delta', sequence_number: 2, item_id: 'm1', output_index: 0, content_index: 0, delta: 'you' },
      { type: 'response.completed', sequence_number: 3, response: { ...response, status: 'completed' } },
    ]);
  }
  if (path === '/v1/responses') {
    return { status: 200, body: {
      id: 'resp_1', object: 'response', model: 'gpt-4o-mini', status: 'completed',
      output: [{ type: 'message', id: 'm1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi you', annotations: [] }] }],
      usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 },
    } };
  }
  if (path === '/v1/embeddings') {
    return { status: 200, body: { object: 'list', model: 'text-embedding-3-small', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], usage: { prompt_tokens: 4, total_tokens: 4 } } };
  }
  return { status: 404, body: { error: { message: `mock has no ${path}` } } };
}

/** One stub that is both an OpenAI-compatible API (under /v1) and a Sightline ingestion endpoint. */
export const openaiAndIngestion: StubHandler = (req, i) => (req.path.startsWith('/v1/') ? openaiReply(req.path, req.body) : acceptAll(req, i));
