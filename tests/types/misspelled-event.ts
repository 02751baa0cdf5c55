// Must NOT compile: the event name is misspelled.
import { createClient } from 'schacc-sdk';

export async function misspelled(): Promise<void> {
  const client = await createClient({ clientId: 'abc123', server: 'https://login.schacc.example' });
  client.on('SPiD.logut', () => {});
}
