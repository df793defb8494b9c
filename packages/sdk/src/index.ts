// The Node entry: the runtime-neutral SDK plus the two Node specifics — AsyncLocalStorage for
// observe() nesting, and a drain of queued events when the process is about to exit.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createAlsContextManager, setContextManager } from './context.js';
import { setPlatformHooks } from './platform.js';

setContextManager(createAlsContextManager(AsyncLocalStorage));
setPlatformHooks({
  registerExitFlush(target) {
    let done = false;
    // 'beforeExit' fires only once the event loop is empty: pending batches would otherwise be lost.
    const onBeforeExit = () => {
      if (done) return;
      done = true;
      void target.drainOnExit();
    };
    process.once('beforeExit', onBeforeExit);
    return () => process.off('beforeExit', onBeforeExit);
  },
});

export * from './web.js';
