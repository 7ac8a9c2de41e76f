import { createClient } from '@supabase/supabase-js';

/** The part of supabase-js the transfer uses. */
export type StorageApi = ReturnType<typeof createClient>['storage'];

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

export function storageApi(supabaseUrl: string, serviceRoleKey: string): StorageApi {
  const client = createClient(supabaseUrl, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime as never },
  });
  return client.storage;
}
