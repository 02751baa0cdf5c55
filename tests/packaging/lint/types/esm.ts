// The main entry, as an ES module consumer writes it.
import { createClient, load, SdkError } from 'schacc-sdk';
import type { Client, SdkErrorCode } from 'schacc-sdk';

export const code: SdkErrorCode = 'load';

export async function start(): Promise<Client> {
  await load();
  return createClient({ clientId: 'abc123', server: 'https://login.schacc.example' });
}

export const failedToLoad = (error: unknown): boolean => error instanceof SdkError && error.code === 'load';
