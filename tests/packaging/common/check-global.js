// The check of a page with global.js (the SPiD 2.x drop-in), 2.x style:
// SPiD.init, SPiD_Uri.logout() as the logout URL, SPiD.hasSession(callback).
export function checkGlobal() {
  var query = new URLSearchParams(location.search);
  var done = function (result) {
    window.__packaging = result;
    document.title = result.ok ? 'packaging: ok' : 'packaging: failed';
  };
  try {
    var server = new URL(query.get('server'));
    window.SPiD.init({ client_id: query.get('client'), server: server.host, https: server.protocol === 'https:' });
    var logoutUrl = window.SPiD_Uri.logout(location.href.split('?')[0]);
    // Logged out, 2.x's err is SchAcc's 401 UserException and data the answer; any other err is a failure.
    window.SPiD.hasSession(function (err, data) {
      var answered = !err || err.type === 'UserException';
      done(answered ? { ok: true, logoutUrl: logoutUrl, userStatus: data.userStatus } : { ok: false, error: JSON.stringify(err), code: err.code });
    });
  } catch (error) {
    done({ ok: false, error: String(error) });
  }
}
