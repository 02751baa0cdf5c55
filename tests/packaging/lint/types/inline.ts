// The inlined-wasm entry has the same types.
import { createClient } from 'schacc-sdk/inline';
import type { Client } from 'schacc-sdk/inline';

export const start = (): Promise<Client> => createClient({ clientId: 'abc123', server: 'https://login.schacc.example' });
