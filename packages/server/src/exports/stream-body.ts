/**
 * A byte stream over text chunks that asks for the next chunk only when the consumer has taken
 * the last one (a pull source with a one-chunk queue): a slow client slows the export's reads
 * instead of growing a buffer. Cancelling (the client went away) ends the generator, so its
 * database reads stop too.
 */
export function streamBody(chunks: AsyncGenerator<string>, onError?: (err: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (err) {
          onError?.(err);
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
