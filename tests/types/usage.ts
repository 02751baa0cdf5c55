// Uses the whole public API; `tsc --strict --noEmit` must accept it.
import { createClient, load, SdkError } from 'schacc-sdk';
import type { Client, FallbackResult, Session, SdkErrorCode } from 'schacc-sdk';

export async function everything(): Promise<void> {
  await load();
  await load(new URL('https://cdn.example/schacc_sdk_bg.wasm'));
  const client: Client = await createClient({
    clientId: 'abc123',
    server: 'https://login.schacc.example',
    redirectUri: 'https://news.example/',
    timeout: 5000,
    fallback: 'auto',
    crossTab: true,
  });
  const initial: Session = client.session;
  const id: number | string | null = initial.userId;
  const status: string = initial.userStatus;
  const checked: Session = await client.hasSession();
  const loggedOut: Session = await client.logout();
  const url: string = client.logoutUrl({ redirectUri: 'https://news.example/', oauthToken: 't' });
  client.logoutUrl();
  client.redirectLogout({ oauthToken: 't' });
  await client.apiLogout('token');
  const result: FallbackResult = await client.logoutWithFallback({ redirectUri: 'https://news.example/' });
  const redirected: boolean = result.redirected;
  const stop: () => void = client.on('SPiD.logout', (session) => console.log(session.userStatus));
  client.once('SPiD.error', (error) => {
    const code: SdkErrorCode = error.code;
    const httpStatus: number | undefined = error.status;
    console.log(code, httpStatus, error instanceof SdkError);
  });
  const onChange = (session: Session) => console.log(session.result);
  client.on('SPiD.sessionChange', onChange);
  client.off('SPiD.sessionChange', onChange);
  client.event.subscribe('SPiD.login', onChange);
  client.event.unsubscribe('SPiD.login', onChange);
  const login: string = client.loginUrl({ state: 'opaque', scope: 'openid profile', acrValues: 'otp-email', maxAge: 0 });
  client.login({ state: 'opaque', redirectUri: 'https://www.example.com/back', oneStepLogin: true });
  const service = await createClient({
    clientId: 'abc123', server: 'https://login.schibsted.com', sessionDomain: 'https://id.example.com',
    sdrnNamespace: 'schibsted.com', sessionRenewal: true, beforeSessionRenewal: async (to: string) => console.log(to),
  });
  service.hasSession().catch((error: SdkError) => error.code === 'session_renewal' && console.log(error.url));
  console.log(login);
  stop();
  client.destroy();
  try {
    await createClient({ clientId: '', server: 'x' });
  } catch (error) {
    if (error instanceof SdkError && error.code === 'invalid_config') console.log(error.message);
  }
  console.log(id, status, checked, loggedOut, url, redirected);
}
