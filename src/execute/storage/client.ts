import type { createClient as CreateClient } from '@supabase/supabase-js';

/** The part of supabase-js the transfer uses. */
export type StorageApi = ReturnType<typeof CreateClient>['storage'];

/**
 * supabase-js looks for a native WebSocket when the client is created (Node 22 has one, Node 20
 * does not). The transfer never opens a realtime channel, so it is given a transport that says so
 * if anything ever tries.
 */
class NoRealtime {
  constructor() {
    throw new Error('supamigrate does not use realtime channels');
  }
}

let loaded: typeof CreateClient | null = null;

/**
 * Loaded on first use, so commands that move no files never load it. On Node 20 the module prints
 * a deprecation notice to stderr when it loads; this engine supports Node 20 on purpose
 * (`engines`), so that one notice is held back and everything else passes through.
 */
function createClient(): typeof CreateClient {
  if (loaded) return loaded;
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Node.js 20 and below are deprecated')) return;
    warn(...args);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = (require('@supabase/supabase-js') as { createClient: typeof CreateClient }).createClient;
  } finally {
    console.warn = warn;
  }
  return loaded;
}

/** `fetch` replaces the global one (a proxy, or a test that drops requests). */
export function storageApi(supabaseUrl: string, serviceRoleKey: string, fetch?: typeof globalThis.fetch): StorageApi {
  const client = createClient()(supabaseUrl, serviceRoleKey, {
    ...(fetch ? { global: { fetch } } : {}),
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime as never },
  });
  return client.storage;
}
